"""Local fake of the Bot Framework v3 Connector REST API: e2e tests, benchmarks and the terminal chat never call Teams.

Error finding, verified in test_connector.py (botframework-connector 4.17.1, msrest 0.7.1, urllib3 2.x,
default pipeline of botframework.connector.aio.ConnectorClient, which CloudAdapter also uses):

* A non-2xx answer raises ``botbuilder.schema.ErrorResponseException`` (== ``botframework.connector.models.
  ErrorResponseException``, subclass of ``msrest.exceptions.HttpOperationError``). ``err.response`` is the
  ``requests.Response``: ``err.response.status_code`` (int) and ``err.response.headers.get("Retry-After")``
  (str or None, case-insensitive). ``err.error.error.code`` is e.g. "ConversationBlockedByUser".
* The SDK retries on its own (urllib3 Retry, total=3, backoff 0.8, blocking sleeps in a worker thread),
  but only for GET/PUT/DELETE: 408 and 5xx except 501/505 are retried and, once exhausted, raise
  ``msrest.exceptions.ClientRequestError`` (``.inner_exception`` is ``requests.exceptions.RetryError``; no
  response, no status code). 413/429/503 *with* Retry-After are retried after sleeping Retry-After; a 429
  still failing after 3 retries raises ErrorResponseException(429). POST (send, reply, create conversation)
  is never retried (urllib3 2 ignores msrest's ``method_whitelist``): first error -> ErrorResponseException.
* To own all retries, before the first call: ``rp = client.config.retry_policy; rp.retries = 0;
  rp.policy.status_forcelist = set()``. Then every method raises ErrorResponseException with the real status
  on the first failed answer (``retries = 0`` alone turns a 5xx on PUT/GET into ClientRequestError).
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import unquote

from aiohttp import web

_DEFAULT_ERRORS = {
    403: ("ConversationBlockedByUser", "User blocked the conversation with the bot."),
    404: ("ConversationNotFound", "Conversation not found."),
    429: ("Throttled", "Too many requests; retry after the Retry-After interval."),
}
# Operations that deliver or change messages: these are rate limited and can be made to fail.
_WRITES = {"send", "reply", "update", "delete", "create"}


def _error(status: int) -> dict:
    """Build a Teams-shaped error body so the SDK can deserialize it into ErrorResponse."""
    code, message = _DEFAULT_ERRORS.get(status, ("ServiceError", f"Fake connector answered {status}."))
    return {"error": {"code": code, "message": message}}


@dataclass
class Recorded:
    """One request as the fake received it, so tests can assert on exactly what the bot sent."""

    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: dict | None
    headers: dict
    at: float
    kind: str = "unsupported"  # send|reply|update|delete|create|members|member|pagedmembers|unsupported
    query: dict = field(default_factory=dict)
    status: int = 0
    response: Any = None
    throttled: bool = False


@dataclass
class RateLimits:
    """Teams-like sliding-window limits, so throttling and retry paths can be exercised locally."""

    per_app_per_second: float = 50
    per_conversation_per_second: int = 7
    per_conversation_per_30s: int = 60


@dataclass
class _Failure:
    """A pending injected failure, consumed by the next matching write request."""

    remaining: int
    status: int
    retry_after: float | None
    body: dict | None
    conversation_id: str | None


class FakeConnector:
    """Serves the Connector endpoints a Teams bot uses and records every call for assertions."""

    def __init__(self, *, limits: RateLimits | None = None):
        self.limits = limits
        self.url = ""
        self.requests: list[Recorded] = []
        self.throttled = 0
        self._rosters: dict[str, list[dict]] = defaultdict(list)
        self._failures: list[_Failure] = []
        self._next_id = 0
        self._app_hits: deque[float] = deque()
        self._conv_hits: dict[str, deque[float]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self._cond: asyncio.Condition | None = None
        self._reading = 0  # requests whose body is still being read

    async def start(self) -> str:
        """Bind a free port on 127.0.0.1 and return the base URL the bot should use as serviceUrl."""
        self._cond = asyncio.Condition()  # created here so it binds to the loop that runs the server
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"
        return self.url

    async def stop(self) -> None:
        """Close the server so the port and sockets are released between tests."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def add_member(self, team_id: str, member: dict) -> None:
        """Add a roster entry returned by the members and pagedmembers endpoints for team_id."""
        self._rosters[team_id].append(dict(member))

    def fail_next(self, n: int, status: int, *, retry_after: float | None = None, body: dict | None = None,
                  conversation_id: str | None = None) -> None:
        """Make the next n write requests (optionally only for one conversation) answer `status`."""
        if n > 0:
            self._failures.append(_Failure(n, status, retry_after, body, conversation_id))

    def sent(self, conversation_id: str | None = None) -> list[dict]:
        """Activities actually delivered (sends, replies, initial activity of created conversations)."""
        out = []
        for r in self._delivered(conversation_id):
            if r.kind in ("send", "reply"):
                out.append(r.body)
            elif r.kind == "create" and isinstance(r.body, dict) and r.body.get("activity"):
                out.append(r.body["activity"])
        return out

    def updates(self, conversation_id: str | None = None) -> list[dict]:
        """Activity bodies of successful PUT (update) requests."""
        return [r.body for r in self._delivered(conversation_id) if r.kind == "update"]

    async def wait_for(self, predicate: Callable[[Recorded], bool], timeout: float = 5.0) -> Recorded:
        """Wait until some recorded request matches, so tests need no sleeps; AssertionError on timeout."""
        assert self._cond is not None, "call start() first"
        found: list[Recorded] = []
        seen = 0

        def scan() -> bool:
            nonlocal seen
            for r in self.requests[seen:]:
                seen += 1
                if predicate(r):
                    found.append(r)
                    return True
            return False

        async with self._cond:
            try:
                await asyncio.wait_for(self._cond.wait_for(scan), timeout)
            except TimeoutError:
                summary = "\n".join(f"  {r.method} {r.path} -> {r.status}" for r in self.requests[-20:])
                raise AssertionError(
                    f"no matching request within {timeout}s; {len(self.requests)} seen, last:\n{summary}"
                ) from None
        return found[0]

    async def settled(self) -> None:
        """Let every request that has arrived be recorded (a sender killed mid-request leaves some behind)."""
        for _ in range(100):
            await asyncio.sleep(0)
            if not self._reading:
                return
        while self._reading:
            await asyncio.sleep(0.01)

    def _delivered(self, conversation_id: str | None) -> list[Recorded]:
        """Requests that succeeded (not throttled, not failed), optionally for one conversation."""
        return [r for r in self.requests if 200 <= r.status < 300 and not r.throttled
                and (conversation_id is None or r.conversation_id == conversation_id)]

    async def _handle(self, request: web.Request) -> web.Response:
        """Record, route and answer one request; the path is split before decoding so %2F etc. survive."""
        at = time.monotonic()
        self._reading += 1
        try:
            raw = await request.read()
        finally:
            self._reading -= 1
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        segs = [unquote(s) for s in request.raw_path.split("?", 1)[0].split("/") if s]
        kind, conv, act = self._route(request.method, segs)
        rec = Recorded(request.method, "/" + "/".join(segs), conv, act, body, dict(request.headers), at,
                       kind, dict(request.query))
        status, payload, headers = self._respond(rec)
        rec.status, rec.response = status, payload
        self.requests.append(rec)
        assert self._cond is not None
        async with self._cond:
            self._cond.notify_all()
        if payload is None:
            return web.Response(status=status, headers=headers)
        return web.json_response(payload, status=status, headers=headers)

    @staticmethod
    def _route(method: str, s: list[str]) -> tuple[str, str | None, str | None]:
        """Map method + decoded path segments to (kind, conversation id, activity/member id)."""
        if s[:2] != ["v3", "conversations"]:
            return "unsupported", None, None
        rest = s[2:]
        conv = rest[0] if rest else None
        sub = rest[1] if len(rest) > 1 else None
        item = rest[2] if len(rest) == 3 else None
        table = {
            (0, "POST", None): "create",
            (2, "POST", "activities"): "send",
            (3, "POST", "activities"): "reply",
            (3, "PUT", "activities"): "update",
            (3, "DELETE", "activities"): "delete",
            (2, "GET", "pagedmembers"): "pagedmembers",
            (2, "GET", "members"): "members",
            (3, "GET", "members"): "member",
        }
        return table.get((len(rest), method, sub), "unsupported"), conv, item

    def _respond(self, rec: Recorded) -> tuple[int, Any, dict]:
        """Apply injected failures and rate limits to writes, then dispatch to the endpoint handler."""
        if rec.kind == "unsupported":
            msg = f"Fake connector does not implement {rec.method} {rec.path}"
            return 501, {"error": {"code": "NotImplemented", "message": msg}}, {}
        if rec.kind in _WRITES:
            failure = next((f for f in self._failures if f.conversation_id in (None, rec.conversation_id)), None)
            if failure is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                ra = failure.retry_after
                headers = {} if ra is None else {"Retry-After": str(int(ra) if float(ra).is_integer() else ra)}
                return failure.status, failure.body or _error(failure.status), headers
            wait = self._throttle_wait(rec)
            if wait is not None:
                rec.throttled = True
                self.throttled += 1
                return 429, _error(429), {"Retry-After": str(wait)}
        return getattr(self, f"_do_{rec.kind}")(rec)

    def _throttle_wait(self, rec: Recorded) -> int | None:
        """Return whole seconds to wait (as Teams sends) if a window is full, else count the hit."""
        if self.limits is None:
            return None
        now, lim = rec.at, self.limits
        while self._app_hits and self._app_hits[0] <= now - 1.0:
            self._app_hits.popleft()
        checks = [(list(self._app_hits), 1.0, lim.per_app_per_second)]
        conv_hits = self._conv_hits[rec.conversation_id] if rec.conversation_id else None
        if conv_hits is not None:
            while conv_hits and conv_hits[0] <= now - 30.0:
                conv_hits.popleft()
            checks.append(([t for t in conv_hits if t > now - 1.0], 1.0, lim.per_conversation_per_second))
            checks.append((list(conv_hits), 30.0, lim.per_conversation_per_30s))
        wait = 0.0
        for hits, span, limit in checks:
            if len(hits) >= limit:  # the hit that must expire before one more fits in the window
                wait = max(wait, hits[len(hits) - math.ceil(limit)] + span - now)
        if wait > 0:
            return max(1, math.ceil(wait))
        self._app_hits.append(now)
        if conv_hits is not None:
            conv_hits.append(now)
        return None

    def _new_activity_id(self) -> str:
        self._next_id += 1
        return f"bot-act-{self._next_id}"

    def _do_send(self, rec: Recorded) -> tuple[int, Any, dict]:
        return 201, {"id": self._new_activity_id()}, {}

    _do_reply = _do_send

    def _do_update(self, rec: Recorded) -> tuple[int, Any, dict]:
        return 200, {"id": rec.activity_id}, {}

    def _do_delete(self, rec: Recorded) -> tuple[int, Any, dict]:
        return 200, None, {}

    def _do_create(self, rec: Recorded) -> tuple[int, Any, dict]:
        """Create a channel thread or a 1:1 chat; 1:1 ids are stable per member, as in Teams."""
        body = rec.body if isinstance(rec.body, dict) else {}
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        members = body.get("members") or []
        if channel:
            act_id = self._new_activity_id()
            conv = f"{channel};messageid={act_id}"
        elif len(members) == 1 and members[0].get("id"):
            act_id = self._new_activity_id() if body.get("activity") else None
            conv = f"a:1:1-{members[0]['id']}"
            if not self._rosters.get(conv):
                known = [m for ms in self._rosters.values() for m in ms if m.get("id") == members[0]["id"]]
                self._rosters[conv] = [dict(known[0] if known else members[0])]
        else:
            msg = "Fake connector creates only 1:1 chats (one member) or channel threads (channelData.channel)."
            return 400, {"error": {"code": "BadArgument", "message": msg}}, {}
        rec.conversation_id = conv
        return 201, {"id": conv, **({"activityId": act_id} if act_id else {})}, {}

    def _roster(self, conv: str | None) -> list[dict]:
        """Members of a team/conversation; a channel thread id falls back to its channel's roster."""
        conv = conv or ""
        return self._rosters.get(conv) or self._rosters.get(conv.split(";", 1)[0]) or []

    def _do_members(self, rec: Recorded) -> tuple[int, Any, dict]:
        return 200, self._roster(rec.conversation_id), {}

    def _do_member(self, rec: Recorded) -> tuple[int, Any, dict]:
        for m in self._roster(rec.conversation_id):
            if rec.activity_id in (m.get("id"), m.get("aadObjectId")):
                return 200, m, {}
        err = {"code": "MemberNotFoundInConversation", "message": "The member was not found."}
        return 404, {"error": err}, {}

    def _do_pagedmembers(self, rec: Recorded) -> tuple[int, Any, dict]:
        """Page through the roster; tokens are opaque base64 offsets, absent on the last page."""
        roster = self._roster(rec.conversation_id)
        try:
            size = max(1, int(rec.query.get("pageSize") or 200))
            token = rec.query.get("continuationToken")
            start = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
        except ValueError:
            return 400, {"error": {"code": "BadArgument", "message": "Bad pageSize or continuationToken."}}, {}
        page: dict[str, Any] = {"members": roster[start:start + size]}
        if start + size < len(roster):
            page["continuationToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
        return 200, page, {}
