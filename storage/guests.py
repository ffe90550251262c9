"""Guests repository: the council's guest list and the guests invited to agenda items."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from council.guests import Guest
from storage.tables import agenda_item_guests, guests
from storage.upsert import insert_new


def _to_guest(row) -> Guest:
    return Guest(row.id, row.name, row.organisation, row.email or "")


class SqlGuests:
    def __init__(self, session: AsyncConnection) -> None:
        self._s = session

    async def all(self) -> list[Guest]:
        return [_to_guest(r) for r in await self._s.execute(select(guests).order_by(guests.c.id))]

    async def get(self, guest_id: int) -> Guest | None:
        row = (await self._s.execute(select(guests).where(guests.c.id == guest_id))).first()
        return _to_guest(row) if row else None

    async def add(self, guest: Guest, by: str, at: datetime) -> Guest:
        result = await self._s.execute(insert(guests).values(
            name=guest.name, organisation=guest.organisation, email=guest.email, updated_by=by, updated_at=at
        ).returning(guests.c.id))
        return replace(guest, id=result.scalar_one())

    async def save(self, guest: Guest, by: str, at: datetime) -> None:
        await self._s.execute(update(guests).where(guests.c.id == guest.id).values(
            name=guest.name, organisation=guest.organisation, email=guest.email, updated_by=by, updated_at=at))

    async def remove(self, guest_id: int) -> None:
        await self._s.execute(delete(agenda_item_guests).where(agenda_item_guests.c.guest_id == guest_id))
        await self._s.execute(delete(guests).where(guests.c.id == guest_id))

    async def invite(self, item_id: int, guest_id: int, by: str, at: datetime) -> bool:
        return await insert_new(self._s, agenda_item_guests, {"item_id": item_id, "guest_id": guest_id,
                                                              "invited_by": by, "invited_at": at},
                                ["item_id", "guest_id"])

    async def uninvite(self, item_id: int, guest_id: int) -> bool:
        result = await self._s.execute(delete(agenda_item_guests).where(
            agenda_item_guests.c.item_id == item_id, agenda_item_guests.c.guest_id == guest_id))
        return bool(result.rowcount)

    async def for_items(self, item_ids: list[int]) -> dict[int, list[Guest]]:
        if not item_ids:
            return {}
        rows = await self._s.execute(
            select(agenda_item_guests.c.item_id, guests)
            .join(guests, guests.c.id == agenda_item_guests.c.guest_id)
            .where(agenda_item_guests.c.item_id.in_(item_ids))
            .order_by(agenda_item_guests.c.item_id, agenda_item_guests.c.invited_at, guests.c.id))
        found: dict[int, list[Guest]] = {}
        for row in rows:
            found.setdefault(row.item_id, []).append(_to_guest(row))
        return found
