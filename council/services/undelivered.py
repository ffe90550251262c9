"""Messages that may not have reached Teams: listed for the leader, resent or dismissed only on their word.

A message in flight when its process died is marked `uncertain` and never resent automatically, because the
recipient may already have it (two copies are worse than a question). This service makes such messages visible
(/healthz, the weekly digest, the «usendte meldinger» card) and lets a leader decide per message.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from council.audit import AuditEntry
from council.clock import Clock
from council.conversations import ConversationKind
from council.errors import Conflict, NotAllowed, NotFound
from council.ids import stored_id
from council.members import Member
from council.outbox import Operation, OutboxMessage, RecipientKind, Status, Undelivered, summary_of
from council.services.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

LIST_LIMIT = 50  # a card lists at most this many; the count says how many there are in all


async def undelivered(uow: UnitOfWork, limit: int = LIST_LIMIT) -> list[Undelivered]:
    """The uncertain messages with a recipient name each (inside the caller's transaction)."""
    return [await _describe(uow, message) for message in await uow.outbox.uncertain(limit)]


async def _describe(uow: UnitOfWork, message: OutboxMessage) -> Undelivered:
    kind, name = RecipientKind.UNKNOWN, ""
    if message.operation is Operation.SEND_PERSONAL:
        member = await uow.members.get(message.target)
        if member is not None:
            kind, name = RecipientKind.PERSON, member.name
    else:
        ref = await uow.conversations.get(message.target)
        if ref is not None and ref.kind is ConversationKind.CHANNEL:
            kind, name = RecipientKind.CHANNEL, ref.team_name or ""
        elif ref is not None and ref.kind is ConversationKind.GROUP:
            kind = RecipientKind.GROUP
        elif ref is not None and ref.user_aad_id:
            member = await uow.members.get(ref.user_aad_id)
            if member is not None:
                kind, name = RecipientKind.PERSON, member.name
    return Undelivered(id=stored_id(message.id), summary=summary_of(message.activity), recipient=kind,
                       recipient_name=name, queued_at=message.created_at)


class UndeliveredService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self.wake: Callable[[], None] = lambda: None  # set by the app: deliver queued messages now

    async def count(self) -> int:
        async with self._uow() as uow:
            return (await uow.outbox.counts()).get(Status.UNCERTAIN.value, 0)

    async def list(self, actor: Member) -> tuple[list[Undelivered], int]:
        """Leader only: the oldest uncertain messages and how many there are in all."""
        _leader(actor)
        async with self._uow() as uow:
            items = await undelivered(uow)
            total = (await uow.outbox.counts()).get(Status.UNCERTAIN.value, 0)
        return items, total

    async def get(self, actor: Member, message_id: int) -> Undelivered:
        """Leader only: one uncertain message (for the confirmation card)."""
        _leader(actor)
        async with self._uow() as uow:
            return await _describe(uow, await self._uncertain(uow, message_id))

    async def resend(self, actor: Member, message_id: int) -> None:
        """Leader only, after a confirmation: the message goes back to the queue as a new delivery attempt.
        Pressed twice (or redelivered), the second press finds it no longer uncertain and changes nothing."""
        _leader(actor)
        now = self._clock.now()
        async with self._uow() as uow:
            message = await self._uncertain(uow, message_id)
            if not await uow.outbox.resend_uncertain(message_id, now):
                raise Conflict("undelivered.already_handled")
            await uow.outbox.revive_latest_update(message.delivery_key)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "outbox", str(message_id), "resend", now,
                                           {"status": Status.UNCERTAIN.value}, {"status": Status.PENDING.value}))
            await uow.commit()
        log.info("outbox: message %s resent by a leader", message_id)
        self.wake()

    async def dismiss(self, actor: Member, message_id: int) -> None:
        """Leader only: the leader has checked (or decided it does not matter); it leaves the warnings."""
        _leader(actor)
        now = self._clock.now()
        async with self._uow() as uow:
            await self._uncertain(uow, message_id)
            if not await uow.outbox.dismiss_uncertain(message_id):
                raise Conflict("undelivered.already_handled")
            await uow.audit.add(AuditEntry(actor.aad_object_id, "outbox", str(message_id), "dismiss", now,
                                           {"status": Status.UNCERTAIN.value}, {"status": Status.DISMISSED.value}))
            await uow.commit()
        log.info("outbox: message %s marked as handled by a leader", message_id)

    @staticmethod
    async def _uncertain(uow: UnitOfWork, message_id: int) -> OutboxMessage:
        message = await uow.outbox.get(message_id)
        if message is None:
            raise NotFound("undelivered.not_found")
        if message.status is not Status.UNCERTAIN:
            raise Conflict("undelivered.already_handled")
        return message


def _leader(actor: Member) -> None:
    if not actor.is_leader:
        raise NotAllowed("error.leader_only")
