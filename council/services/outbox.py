"""Proactive delivery: queue in the same transaction as the change, deliver later, never twice."""
from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from council.clock import Clock
from council.conversations import ConversationRef
from council.ids import stored_id
from council.outbox import (
    CONVERSATION_HORIZON,
    DeliveryError,
    GiveUp,
    Operation,
    OutboxMessage,
    Pacer,
    Status,
    after_failure,
)
from council.services.ports import Notifier, RequestBudget, UnitOfWork, UnitOfWorkFactory
from council.settings import Limits

log = logging.getLogger(__name__)


async def queue(uow: UnitOfWork, clock: Clock, *, key: str, operation: Operation, target: str,
                activity: dict, due: datetime | None = None, update_of: str | None = None) -> bool:
    """Add a message inside the caller's transaction; False if that delivery key was queued before."""
    now = clock.now()
    if operation is Operation.UPDATE and update_of:
        await uow.outbox.supersede_pending(update_of)  # only the newest card state needs to go out
    return await uow.outbox.add(OutboxMessage(
        delivery_key=key, operation=operation, target=target, activity=activity,
        created_at=now, next_attempt_at=due or now, update_of=update_of,
    ))


class _Skip(Exception):
    """The message cannot go yet (its card's first send is still pending)."""


class _Superseded(Exception):
    """A newer update of the same card is queued: this one would only cost a request."""


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class OutboxService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, limits: Limits, owner: str, *,
                 batch: int = 200, concurrency: int = 32, lease: timedelta = timedelta(minutes=2),
                 linger: float = 0.0, owner_alive: Callable[[str], bool] | None = None,
                 budget: RequestBudget | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._uow = uow
        self._clock = clock
        self._limits = limits
        self._owner = owner
        self._batch = batch
        self._concurrency = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._linger = linger  # wait (once per sweep) for a retry due sooner than the next sweep
        self._owner_alive = owner_alive  # lets a restarted process take over a dead predecessor's claims at once
        self._monotonic = monotonic
        self._sleep = sleep
        self._pacer = Pacer(limits.per_app_per_second, limits.per_conversation_per_second,
                            limits.per_conversation_per_30s)
        self._budget = budget  # shared with other processes; replaces the in-process app pacer when set
        self._budget_turn = asyncio.Lock()
        self.notifier: Notifier | None = None

    async def recover(self) -> tuple[int, int]:
        """After a crash: unsent claims go back to the queue; in-flight sends become 'uncertain'."""
        async with self._uow() as uow:
            now = self._clock.now()
            if self._owner_alive is not None:
                for owner in await uow.outbox.lease_owners():
                    if owner != self._owner and not self._owner_alive(owner):
                        await uow.outbox.expire_leases(owner, now)
            requeued, uncertain = await uow.outbox.recover_stale(now)
            await uow.commit()
        if uncertain:
            log.warning("outbox: %d message(s) were in flight when the process stopped; not resent", uncertain)
        return requeued, uncertain

    def _connected(self) -> Notifier:
        if self.notifier is None:
            raise RuntimeError("OutboxService.notifier is not connected")
        return self.notifier

    async def deliver_due(self) -> DeliveryReport:
        """Claim due messages in batches and deliver them until none are due."""
        self._connected()
        report = DeliveryReport()
        lingered = False
        while True:
            await self.recover()
            claimed = await self._claim()
            if claimed and self._budget is not None:
                await self._take_over(claimed)
            if not claimed:
                wait = await self._next_due_within(self._linger) if not lingered else None
                if wait is None:
                    return report
                lingered = True
                await self._sleep(wait)
                continue
            by_target: dict[str, list[OutboxMessage]] = defaultdict(list)
            for message in claimed:
                by_target[message.target].append(message)
            await asyncio.gather(*(self._deliver_in_order(msgs, report) for msgs in by_target.values()))
            if report.deferred and report.deferred >= len(claimed):
                return report

    async def _next_due_within(self, seconds: float) -> float | None:
        if seconds <= 0:
            return None
        async with self._uow() as uow:
            due = await uow.outbox.next_due()
        if due is None:
            return None
        wait = (due - self._clock.now()).total_seconds()
        return max(wait, 0.0) if wait <= seconds else None

    async def _claim(self) -> list[OutboxMessage]:
        now = self._clock.now()
        async with self._uow() as uow:
            claimed = await uow.outbox.claim_due(now, self._owner, now + self._lease, self._batch)
            await uow.commit()
            return claimed

    async def _take_over(self, claimed: list[OutboxMessage]) -> None:
        """Several processes: a conversation another process served until a moment ago continues here (claims
        give each conversation to one process at a time), so its recent requests count in this process's
        windows. Their delivery times are a little later than the requests: the windows err on the safe side."""
        now, wall = self._monotonic(), self._clock.now()
        new = sorted({m.target for m in claimed if not self._pacer.knows(m.target, now)})
        if not new:
            return
        async with self._uow() as uow:
            recent = await uow.outbox.recent_deliveries(new, wall - timedelta(seconds=CONVERSATION_HORIZON))
        sent: dict[str, list[float]] = defaultdict(list)
        for target, at in recent:
            sent[target].append(now - max((wall - at).total_seconds(), 0.0))  # never in the future
        for target, times in sent.items():
            self._pacer.seed(target, times)

    async def _deliver_in_order(self, messages: list[OutboxMessage], report: DeliveryReport) -> None:
        async with self._concurrency:
            for message in messages:
                await self._deliver(message, report)

    async def _deliver(self, message: OutboxMessage, report: DeliveryReport) -> None:
        message_id = stored_id(message.id)
        notifier = self._connected()
        try:
            ref, activity_id = await self._resolve(message)
            await self._pace(message.target)  # one target is one conversation (keyed so before it is resolved)
            async with self._uow() as uow:
                if not await uow.outbox.mark_sending(message_id, self._owner):
                    return  # the lease was lost to another process, which now owns it
                await uow.commit()
            await self._request_slot(message.target)
            try:
                if activity_id is not None:  # an update of the card sent as that activity
                    await notifier.update(ref, activity_id, message.activity)
                    sent_id: str | None = activity_id
                else:
                    sent_id = await notifier.send(ref, message.activity)
            finally:
                self._pacer.conversation_request_done(message.target, self._monotonic())
        except _Superseded:
            async with self._uow() as uow:
                await uow.outbox.mark_superseded(message_id)
                await uow.commit()
        except _Skip:
            report.deferred += 1
            await self._reschedule(message, seconds=2, error=None, count_attempt=False)
        except DeliveryError as error:
            await self._failed_attempt(message, error, report)
        except Exception:  # a bug must not stop the other messages; retried with backoff
            log.exception("outbox: unexpected error delivering message %s", message.id)
            await self._failed_attempt(message, DeliveryError(0, code="internal"), report)
        else:
            async with self._uow() as uow:
                await uow.outbox.mark_delivered(message_id, sent_id, ref.conversation_id, self._clock.now())
                await uow.commit()
            report.delivered += 1

    async def _pace(self, conversation_id: str) -> None:
        """The conversation's limits, then (one process) the app's: a slot reserved before the database work."""
        delay = self._pacer.conversation_delay(conversation_id, self._monotonic())
        if delay > 0:
            await self._sleep(delay)
        if self._budget is None:
            delay = self._pacer.app_delay(self._monotonic())
            if delay > 0:
                await self._sleep(delay)

    async def _request_slot(self, conversation: str | None = None) -> None:
        """Right before a request: the conversation's and the app's windows over actual requests (a stall
        between the reservation and the request could otherwise overrun them): the shared one when several
        processes share the budget, then this process's own."""
        if conversation is not None:
            delay = self._pacer.conversation_request_delay(conversation, self._monotonic())
            if delay > 0:
                await self._sleep(delay)
        if self._budget is not None:
            async with self._budget_turn:  # one request of this process asks at a time, in order
                while (delay := await self._budget.reserve()) > 0:
                    await self._sleep(delay)
        delay = self._pacer.request_delay(self._monotonic())
        if delay > 0:
            await self._sleep(delay)

    async def _resolve(self, message: OutboxMessage) -> tuple[ConversationRef, str | None]:
        """The conversation, and the activity to update (None: a new activity is sent)."""
        async with self._uow() as uow:
            if message.operation is Operation.UPDATE:
                return await self._resolve_update(uow, message)
            if message.operation is Operation.SEND:
                ref = await uow.conversations.get(message.target)
                if ref is None:
                    raise DeliveryError(404, code="unknown_conversation")
                return ref, None
            ref = await uow.conversations.personal_for(message.target)
            if ref is not None:
                return ref, None
            member = await uow.members.get(message.target)
            via = await uow.conversations.any_in_tenant(member.tenant_id if member else None)
        if member is None or not member.teams_user_id or via is None:
            raise DeliveryError(404, code="unknown_user")
        await self._pace(f"create:{member.aad_object_id}")
        await self._request_slot()
        ref = await self._connected().open_personal(member, via)
        async with self._uow() as uow:
            await uow.conversations.save(ref, self._clock.now())
            await uow.commit()
        return ref, None

    async def _resolve_update(self, uow: UnitOfWork, message: OutboxMessage) -> tuple[ConversationRef, str]:
        update_of = message.update_of or ""
        original = await uow.outbox.get_by_key(update_of)
        if original is None or original.status in (Status.FAILED, Status.UNCERTAIN):
            raise DeliveryError(404, code="original_not_delivered")
        if await uow.outbox.newer_update_exists(update_of, stored_id(message.id)):
            raise _Superseded()
        if original.status is not Status.DELIVERED:
            raise _Skip()
        ref = await uow.conversations.get(original.conversation_id or "")
        if ref is None or not original.activity_id:
            raise DeliveryError(404, code="unknown_conversation")
        return ref, original.activity_id

    async def _failed_attempt(self, message: OutboxMessage, error: DeliveryError, report: DeliveryReport) -> None:
        attempts = message.attempts + 1
        decision = after_failure(error, attempts, self._limits.max_attempts)
        label = f"http_{error.status}" if error.status else f"network_{error.code}"
        report.errors[label] += 1
        if isinstance(decision, GiveUp):
            report.failed += 1
            log.warning("outbox: message %s failed permanently (%s)", message.id, decision.reason)
            async with self._uow() as uow:
                await uow.outbox.mark_failed(stored_id(message.id), decision.reason)
                await uow.commit()
            return
        report.retried += 1
        await self._reschedule(message, seconds=decision.delay, error=label)

    async def _reschedule(self, message: OutboxMessage, *, seconds: float, error: str | None,
                          count_attempt: bool = True) -> None:
        async with self._uow() as uow:
            await uow.outbox.reschedule(stored_id(message.id), self._clock.now() + timedelta(seconds=seconds), error,
                                        count_attempt)
            await uow.commit()

    async def counts(self) -> dict[str, int]:
        async with self._uow() as uow:
            return await uow.outbox.counts()
