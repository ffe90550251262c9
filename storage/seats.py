"""Seat terms (appointed by, period) for the composition page; one row per unit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from council.seats import SeatTerm
from storage.tables import seat_terms
from storage.upsert import upsert


class SqlSeats:
    def __init__(self, session) -> None:
        self._s = session

    async def terms(self) -> dict[str, SeatTerm]:
        rows = await self._s.execute(select(seat_terms))
        return {r.unit: SeatTerm(r.unit, r.appointed_by, r.starts, r.ends) for r in rows}

    async def save(self, term: SeatTerm, actor: str, at: datetime) -> None:
        await upsert(self._s, seat_terms, {"unit": term.unit, "appointed_by": term.appointed_by,
                                           "starts": term.starts, "ends": term.ends, "updated_by": actor,
                                           "updated_at": at}, ["unit"])
