"""Outbox rows; claiming uses FOR UPDATE SKIP LOCKED on PostgreSQL so each row has one owner."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update

from council.outbox import Operation, OutboxMessage, Status
from storage.tables import outbox
from storage.upsert import insert_new

CLAIM_LOCK = 0x7261647362_01  # pg_advisory_xact_lock key for outbox claims ("radsb" + 1)


def _to_message(row) -> OutboxMessage:
    return OutboxMessage(
        id=row.id, delivery_key=row.delivery_key, operation=Operation(row.operation), target=row.target,
        activity=row.activity, created_at=row.created_at, next_attempt_at=row.next_attempt_at,
        update_of=row.update_of, status=Status(row.status), attempts=row.attempts, last_error=row.last_error,
        activity_id=row.activity_id, conversation_id=row.conversation_id, delivered_at=row.delivered_at,
    )


class SqlOutbox:
    def __init__(self, session) -> None:
        self._s = session

    async def add(self, m: OutboxMessage) -> bool:
        return await insert_new(self._s, outbox, {
            "delivery_key": m.delivery_key, "operation": m.operation.value, "target": m.target,
            "activity": m.activity, "update_of": m.update_of, "status": Status.PENDING.value, "attempts": 0,
            "created_at": m.created_at, "next_attempt_at": m.next_attempt_at,
        }, ["delivery_key"])

    async def get_by_key(self, delivery_key: str) -> OutboxMessage | None:
        row = (await self._s.execute(select(outbox).where(outbox.c.delivery_key == delivery_key))).first()
        return _to_message(row) if row else None

    async def claim_due(self, now: datetime, owner: str, lease_until: datetime, limit: int) -> list[OutboxMessage]:
        free = or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now)
        due = (select(outbox.c.id)
               .where(outbox.c.status == Status.PENDING.value, outbox.c.next_attempt_at <= now, free)
               .order_by(outbox.c.id).limit(limit))
        if self._s.dialect.name == "postgresql":
            # One conversation is served by one process at a time, so its per-conversation limits (paced in
            # that process) and its order hold across processes: targets another live process holds are left
            # to it. Claims take turns (a transaction lock), so each sees the others' committed leases.
            await self._s.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
            held = select(outbox.c.target).where(
                outbox.c.lease_owner.is_not(None), outbox.c.lease_owner != owner, outbox.c.lease_until >= now,
                outbox.c.status.in_([Status.PENDING.value, Status.SENDING.value]))
            due = due.where(outbox.c.target.not_in(held)).with_for_update(skip_locked=True)
        ids = [row.id for row in await self._s.execute(due)]
        if not ids:
            return []
        await self._s.execute(update(outbox).where(outbox.c.id.in_(ids), free)
                              .values(lease_owner=owner, lease_until=lease_until))
        rows = await self._s.execute(select(outbox).where(outbox.c.id.in_(ids), outbox.c.lease_owner == owner)
                                     .order_by(outbox.c.id))
        return [_to_message(r) for r in rows]

    async def mark_sending(self, message_id: int, owner: str) -> bool:
        result = await self._s.execute(
            update(outbox).where(outbox.c.id == message_id, outbox.c.lease_owner == owner,
                                 outbox.c.status == Status.PENDING.value)
            .values(status=Status.SENDING.value))
        return result.rowcount == 1

    async def mark_delivered(self, message_id: int, activity_id: str | None, conversation_id: str,
                             at: datetime) -> None:
        await self._s.execute(update(outbox).where(outbox.c.id == message_id).values(
            status=Status.DELIVERED.value, activity_id=activity_id, conversation_id=conversation_id,
            delivered_at=at, lease_owner=None, lease_until=None, last_error=None))

    async def reschedule(self, message_id: int, at: datetime, error: str | None,
                         count_attempt: bool = True) -> None:
        await self._s.execute(update(outbox).where(outbox.c.id == message_id).values(
            status=Status.PENDING.value, next_attempt_at=at, last_error=error,
            attempts=outbox.c.attempts + (1 if count_attempt else 0), lease_owner=None, lease_until=None))

    async def newer_update_exists(self, update_of: str, message_id: int) -> bool:
        """Updates carry the whole card, so only the newest queued one for a card needs to go out."""
        live = [Status.PENDING.value, Status.SENDING.value, Status.DELIVERED.value]
        row = (await self._s.execute(select(outbox.c.id).where(
            outbox.c.update_of == update_of, outbox.c.id > message_id, outbox.c.status.in_(live)).limit(1))).first()
        return row is not None

    async def has_pending(self, update_of: str) -> bool:
        """Whether an update of this card is queued and not yet on its way."""
        row = (await self._s.execute(select(outbox.c.id).where(outbox.c.update_of == update_of,
                                                               outbox.c.status == Status.PENDING.value)
                                     .limit(1))).first()
        return row is not None

    async def supersede_pending(self, update_of: str) -> None:
        """Older queued updates of a card that no sender has started: the new one replaces them."""
        await self._s.execute(update(outbox).where(outbox.c.update_of == update_of,
                                                   outbox.c.status == Status.PENDING.value)
                              .values(status=Status.SUPERSEDED.value))

    async def mark_superseded(self, message_id: int) -> None:
        await self._s.execute(update(outbox).where(outbox.c.id == message_id).values(
            status=Status.SUPERSEDED.value, lease_owner=None, lease_until=None))

    async def mark_failed(self, message_id: int, error: str) -> None:
        await self._s.execute(update(outbox).where(outbox.c.id == message_id).values(
            status=Status.FAILED.value, last_error=error, attempts=outbox.c.attempts + 1,
            lease_owner=None, lease_until=None))

    async def lease_owners(self) -> list[str]:
        rows = await self._s.execute(select(outbox.c.lease_owner).where(outbox.c.lease_owner.is_not(None)).distinct())
        return [row.lease_owner for row in rows]

    async def expire_leases(self, owner: str, now: datetime) -> None:
        """The owner is known to be dead: its leases end now (recover_stale then sorts its rows out)."""
        await self._s.execute(update(outbox).where(outbox.c.lease_owner == owner)
                              .values(lease_until=now - timedelta(microseconds=1)))

    async def recover_stale(self, now: datetime) -> tuple[int, int]:
        stale = outbox.c.lease_until < now
        requeued = await self._s.execute(
            update(outbox).where(stale, or_(outbox.c.status == Status.PENDING.value,
                                            (outbox.c.status == Status.SENDING.value)
                                            & (outbox.c.operation == Operation.UPDATE.value)))
            .values(status=Status.PENDING.value, lease_owner=None, lease_until=None))
        uncertain = await self._s.execute(
            update(outbox).where(stale, outbox.c.status == Status.SENDING.value)
            .values(status=Status.UNCERTAIN.value, last_error="in_flight_at_crash",
                    lease_owner=None, lease_until=None))
        return requeued.rowcount, uncertain.rowcount

    async def uncertain(self, limit: int) -> list[OutboxMessage]:
        """Messages that may not have reached Teams (in flight at a crash), oldest first."""
        rows = await self._s.execute(select(outbox).where(outbox.c.status == Status.UNCERTAIN.value)
                                     .order_by(outbox.c.created_at, outbox.c.id).limit(limit))
        return [_to_message(r) for r in rows]

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = (await self._s.execute(select(outbox).where(outbox.c.id == message_id))).first()
        return _to_message(row) if row else None

    async def resend_uncertain(self, message_id: int, now: datetime) -> bool:
        """An uncertain message goes back to the queue (compare-and-set: one resend however often pressed);
        the lost attempt counts."""
        result = await self._s.execute(
            update(outbox).where(outbox.c.id == message_id, outbox.c.status == Status.UNCERTAIN.value)
            .values(status=Status.PENDING.value, next_attempt_at=now, last_error="resent_after_uncertain",
                    attempts=outbox.c.attempts + 1, lease_owner=None, lease_until=None))
        return result.rowcount == 1

    async def revive_latest_update(self, update_of: str) -> bool:
        """The newest update of a card that failed because its first send was uncertain is queued again, so
        the resent card shows its latest state (it waits until the resend is delivered)."""
        newest = (await self._s.execute(
            select(func.max(outbox.c.id)).where(outbox.c.update_of == update_of,
                                                outbox.c.status == Status.FAILED.value,
                                                outbox.c.last_error == "original_not_delivered"))).scalar()
        if newest is None:
            return False
        await self._s.execute(update(outbox).where(outbox.c.id == newest).values(
            status=Status.PENDING.value, last_error=None, lease_owner=None, lease_until=None))
        return True

    async def dismiss_uncertain(self, message_id: int) -> bool:
        result = await self._s.execute(
            update(outbox).where(outbox.c.id == message_id, outbox.c.status == Status.UNCERTAIN.value)
            .values(status=Status.DISMISSED.value))
        return result.rowcount == 1

    async def recent_deliveries(self, targets: list[str], since: datetime) -> list[tuple[str, datetime]]:
        """(target, delivered_at) of the messages delivered to these targets since `since`."""
        rows = await self._s.execute(select(outbox.c.target, outbox.c.delivered_at).where(
            outbox.c.target.in_(targets), outbox.c.status == Status.DELIVERED.value,
            outbox.c.delivered_at >= since))
        return [(r.target, r.delivered_at) for r in rows]

    async def next_due(self) -> datetime | None:
        """When the earliest pending message falls due (a retry waiting out Retry-After, say)."""
        return (await self._s.execute(select(func.min(outbox.c.next_attempt_at))
                                      .where(outbox.c.status == Status.PENDING.value))).scalar()

    async def counts(self) -> dict[str, int]:
        rows = await self._s.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))
        return {status: count for status, count in rows}

    async def prune_delivered(self, before: datetime) -> int:
        result = await self._s.execute(delete(outbox).where(outbox.c.status == Status.DELIVERED.value,
                                                            outbox.c.delivered_at < before))
        return result.rowcount

    async def originals(self, prefix: str) -> list[tuple[str, str]]:
        """(key, target) of the sends (not updates) whose key starts with `prefix`: the cards to refresh."""
        rows = await self._s.execute(select(outbox.c.delivery_key, outbox.c.target)
                                     .where(outbox.c.delivery_key.startswith(prefix, autoescape=True),
                                            outbox.c.operation != Operation.UPDATE.value).order_by(outbox.c.id))
        return [(r.delivery_key, r.target) for r in rows]
