"""Outbox rules: what a queued proactive message is, how delivery failures are retried, pacing."""
from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class Operation(str, Enum):
    SEND = "send"  # new message in a stored conversation (channel, chat or 1:1)
    SEND_PERSONAL = "send_personal"  # 1:1 to a user; the chat is created when none is stored
    UPDATE = "update"  # replace a card the bot sent earlier (identified by that message's key)


class Status(str, Enum):
    PENDING = "pending"
    SENDING = "sending"  # the request is on the wire; a crash here must not lead to a resend
    DELIVERED = "delivered"
    FAILED = "failed"  # permanent for this recipient (blocked, gone, attempts exhausted)
    UNCERTAIN = "uncertain"  # the process died mid-request; not resent, to never send two copies
    SUPERSEDED = "superseded"  # a card update overtaken by a newer one for the same card: never sent
    DISMISSED = "dismissed"  # an uncertain message a leader marked as handled: never resent


@dataclass
class OutboxMessage:
    """One message the bot sends on its own, stored before anything is sent."""

    delivery_key: str
    operation: Operation
    target: str  # conversation id (SEND/UPDATE) or a user's AAD object id (SEND_PERSONAL)
    activity: dict
    created_at: datetime
    next_attempt_at: datetime
    update_of: str | None = None  # delivery key of the message an UPDATE replaces
    status: Status = Status.PENDING
    attempts: int = 0
    last_error: str | None = None
    activity_id: str | None = None
    conversation_id: str | None = None
    delivered_at: datetime | None = None
    id: int | None = None


class RecipientKind(str, Enum):
    PERSON = "person"  # a 1:1 chat with a member (the name is the member's)
    CHANNEL = "channel"  # a team channel (the name is the team's, when known)
    GROUP = "group"  # a group chat
    UNKNOWN = "unknown"  # no stored conversation or member any more


@dataclass(frozen=True)
class Undelivered:
    """An `uncertain` message as a leader sees it: what (its preview text), to whom, since when. The preview
    may hold case text, so it is shown on cards only, never logged."""

    id: int
    summary: str
    recipient: RecipientKind
    recipient_name: str
    queued_at: datetime


def summary_of(activity: dict) -> str:
    """The preview Teams would show for a queued activity (its summary, else its text), shortened."""
    raw = activity.get("summary") or activity.get("text") or ""
    text = " ".join(str(raw).split())
    return text if len(text) <= 120 else text[:119] + "…"


class DeliveryError(Exception):
    """A channel answered with an error; `status` is the HTTP status (0 for a network error)."""

    def __init__(self, status: int, retry_after: float | None = None, code: str | None = None) -> None:
        super().__init__(f"delivery failed with HTTP {status}")
        self.status = status
        self.retry_after = retry_after
        self.code = code


RETRYABLE = frozenset({0, 412, 429, 500, 502, 503, 504})
PERMANENT = {403: "blocked", 404: "not_found"}


@dataclass(frozen=True)
class Retry:
    delay: float


@dataclass(frozen=True)
class GiveUp:
    reason: str


def after_failure(error: DeliveryError, attempts: int, max_attempts: int,
                  rng: random.Random | None = None) -> Retry | GiveUp:
    """Decide what a failed attempt leads to: Retry-After on 429, jittered backoff on 5xx/412."""
    if error.status in PERMANENT:
        return GiveUp(error.code or PERMANENT[error.status])
    if error.status not in RETRYABLE:
        return GiveUp(f"http_{error.status}")
    if attempts >= max_attempts:
        return GiveUp(f"gave_up_after_{attempts}_attempts_http_{error.status}")
    if error.status == 429 and error.retry_after is not None:
        return Retry(max(error.retry_after, 0.0))
    base = min(2.0 * (2 ** (attempts - 1)), 60.0)
    jitter = (rng or random).uniform(0, base / 2)
    return Retry(base + jitter)


SHARED_LAG = 0.05  # how much later than its grant a request may reach Teams without ever being counted twice
SHARED_SPREAD = 1.25


@dataclass(frozen=True)
class SharedWindow:
    """The app's budget when several processes share it (storage/pacing.py): at most `limit` requests in any
    `span` seconds, each at least `gap` after the previous one, counted on the database's clock when a request
    is granted. The request reaches Teams a little later (the answer, the event loop, the HTTP client): if that
    lag varies by at most SHARED_LAG, the requests Teams sees in any 1-s window were granted within 1 +
    SHARED_LAG seconds, so span = 1 + SHARED_LAG keeps them at `limit` (48 of 50: two to spare for a longer
    lag, e.g. a process or the network stalling for a moment).
    The gap spreads requests out (bursts at most 1.25 x the rate), so the lag rarely matters at all."""

    limit: int
    span: float
    gap: float

    @classmethod
    def for_rate(cls, per_second: float) -> "SharedWindow":
        return cls(max(1, int(per_second * 0.96)), 1.0 + SHARED_LAG, 1.0 / (per_second * SHARED_SPREAD))


class AppPacer:
    """Spaces requests so no one-second window holds more than `rate` (a GCRA chain)."""

    def __init__(self, rate: float, margin: float = 1.02) -> None:
        self._interval = margin / rate
        self._next = 0.0

    def reserve(self, now: float) -> float:
        """Reserve the next slot; returns how long to wait before using it."""
        slot = max(now, self._next)
        self._next = slot + self._interval
        return slot - now


@dataclass
class ConversationWindow:
    """Sliding windows for one conversation (7 per second and 60 per 30 s by default)."""

    limits: tuple[tuple[int, float], ...]
    times: deque = field(default_factory=deque)

    def reserve(self, now: float) -> float:
        """Earliest moment at or after `now` (and after this conversation's last slot) within limits."""
        horizon = max(span for _, span in self.limits)
        while self.times and self.times[0] <= now - horizon:
            self.times.popleft()
        slot = max(now, self.times[-1]) if self.times else now
        moved = True
        while moved:
            moved = False
            for count, span in self.limits:
                if len(self.times) >= count and self.times[-count] > slot - span:
                    slot = self.times[-count] + span + 0.001
                    moved = True
        self.times.append(slot)
        return slot - now


class SlidingWindow:
    """At most `limit` events in any `span` seconds, checked right before each request: the GCRA pacer
    reserves slots earlier, and a stall between reservation and request could otherwise bunch requests."""

    def __init__(self, limit: int, span: float = 1.0, times: list[float] | None = None) -> None:
        self._limit = limit
        self._span = span
        self._times: deque[float] = deque(times or ())

    def wait(self, now: float) -> float:
        """How long until one more event fits in the window (nothing is recorded)."""
        while self._times and self._times[0] <= now - self._span:
            self._times.popleft()
        if len(self._times) < self._limit:
            return 0.0
        return max(0.0, self._times[-self._limit] + self._span - now)

    def record(self, at: float) -> None:
        self._times.append(at)

    def delay(self, now: float) -> float:
        """How long to wait so an event at now + delay keeps the window; the event is recorded."""
        while self._times and self._times[0] <= now - self._span:
            self._times.popleft()
        slot = now
        if len(self._times) >= self._limit:
            slot = max(now, self._times[-self._limit] + self._span)
        self._times.append(slot)
        return slot - now


CONVERSATION_HORIZON = 30.0  # seconds: the longest per-conversation window (60 per 30 s)


class Pacer:
    """Per-app and per-conversation pacing, computed on a monotonic clock (pure, no sleeping)."""

    def __init__(self, per_app_per_second: float, per_conversation_per_second: int,
                 per_conversation_per_30s: int) -> None:
        self._app = AppPacer(per_app_per_second)
        self._window = SlidingWindow(max(1, int(per_app_per_second)))
        self._conversation_limits = ((per_conversation_per_second, 1.0), (per_conversation_per_30s, 30.0))
        self._conversations: dict[str, ConversationWindow] = {}
        self._finished: dict[str, SlidingWindow] = {}

    def knows(self, conversation_id: str, now: float) -> bool:
        """Whether this process sent to the conversation within the longest window."""
        window = self._conversations.get(conversation_id)
        horizon = max(span for _, span in self._conversation_limits)
        return window is not None and bool(window.times) and window.times[-1] > now - horizon

    def seed(self, conversation_id: str, sent_at: list[float]) -> None:
        """Another process's recent requests to a conversation this one takes over (monotonic instants)."""
        window = ConversationWindow(self._conversation_limits)
        window.times.extend(sorted(sent_at))
        self._conversations[conversation_id] = window
        count, span = self._conversation_limits[0]
        self._finished[conversation_id] = SlidingWindow(count, span, sorted(sent_at))

    def conversation_delay(self, conversation_id: str, now: float) -> float:
        window = self._conversations.setdefault(conversation_id, ConversationWindow(self._conversation_limits))
        return window.reserve(now)

    def app_delay(self, now: float) -> float:
        return self._app.reserve(now)

    def request_delay(self, now: float) -> float:
        return self._window.delay(now)

    def conversation_request_delay(self, conversation_id: str, now: float) -> float:
        """Right before a request: how long until the conversation's per-second window (over when its earlier
        requests *finished*) has room. A request reaches Teams before it finishes, so this holds however late
        a request left after its reservation, and however long it took; a conversation's requests go one at a
        time (in order), so none of its requests is unfinished here."""
        window = self._finished.get(conversation_id)
        return window.wait(now) if window is not None else 0.0

    def conversation_request_done(self, conversation_id: str, now: float) -> None:
        window = self._finished.get(conversation_id)
        if window is None:
            count, span = self._conversation_limits[0]
            window = self._finished[conversation_id] = SlidingWindow(count, span)
        window.record(now)
