"""Keep a copy of the PASK calendar: sync each source on a schedule and on demand; a failing source keeps
the last good copy and the leader is told (once a day, not at every attempt)."""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from council.clock import Clock
from council.errors import InvalidInput, NotAllowed
from council.members import Member, Role
from council.outbox import Operation
from council.pask import CalendarSource, CalendarUnavailable, ManualSource
from council.services.outbox import queue
from council.services.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
MANUAL = "manual"


class PaskMessages(Protocol):
    def sync_failed(self, source: str, code: str, locale: str | None) -> dict: ...


def parse_manual_dates(text: str) -> list[tuple[date, time, time]]:
    """Lines like '12.01.2027 kl. 10.00–12.00' or '12.01.2027 10:00-12:00' (or '12.01.2027' for 10–12) typed by
    the leader."""
    entries = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        day_part, _, time_part = line.partition(" ")
        try:
            day = datetime.strptime(day_part, "%d.%m.%Y").date()  # noqa: DTZ007 (only the date is kept)
            time_part = time_part.strip().removeprefix("kl.").strip()  # the card's hint: "kl. 10.00–12.00"
            start_text, _, end_text = (time_part or "10:00-12:00").replace("–", "-").partition("-")
            start = datetime.strptime(start_text.strip().replace(".", ":"), "%H:%M").time()  # noqa: DTZ007
            end = (datetime.strptime(end_text.strip().replace(".", ":"), "%H:%M").time() if end_text  # noqa: DTZ007
                   else (datetime.combine(day, start) + timedelta(hours=2)).time())
        except ValueError:
            raise InvalidInput("pask.manual_invalid", line=line[:40]) from None
        if end <= start:
            raise InvalidInput("pask.manual_invalid", line=line[:40])
        entries.append((day, start, end))
    return entries


class PaskService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, sources: dict[str, CalendarSource], tz: tzinfo,
                 messages: PaskMessages) -> None:
        self._uow = uow
        self._clock = clock
        self._sources = sources
        self._tz = tz
        self._messages = messages

    @property
    def configured(self) -> list[str]:
        return sorted(self._sources)

    async def sync(self) -> dict[str, str]:
        """Fetch this year and next from every configured source; returns source -> 'ok: N' or 'code: reason'."""
        today = self._clock.now().astimezone(self._tz).date()
        first, last = date(today.year, 1, 1), date(today.year + 1, 12, 31)
        results = {}
        for name, source in self._sources.items():
            try:
                meetings = await source.meetings(first, last)
            except CalendarUnavailable as error:
                results[name] = await self._failed(name, error)
                continue
            async with self._uow() as uow:
                await uow.pask.replace(name, meetings)
                await uow.pask.record_sync(name, self._clock.now(), None, len(meetings))
                await uow.commit()
            results[name] = f"ok: {len(meetings)}"
        return results

    async def _failed(self, name: str, error: CalendarUnavailable) -> str:
        reason = error.reason
        log.warning("PASK source %s failed: %s", name, reason)
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.pask.record_sync(name, now, f"{error.code}: {reason}"[:300], None)
            for leader in await uow.members.with_role(Role.LEADER):
                await queue(uow, self._clock, key=f"pask:{name}:failed:{now.date().isoformat()}:{leader.aad_object_id}",
                            operation=Operation.SEND_PERSONAL, target=leader.aad_object_id,
                            activity=self._messages.sync_failed(name, error.code, leader.locale))
            await uow.commit()
        return f"{error.code}: {reason}"

    async def set_manual(self, actor: Member, text: str) -> int:
        """The leader's typed-in PASK dates replace the previous typed-in list."""
        if not actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        entries = parse_manual_dates(text)
        meetings = await ManualSource(entries, self._tz).meetings(date.min, date.max)
        async with self._uow() as uow:
            await uow.pask.replace(MANUAL, meetings)
            await uow.pask.record_sync(MANUAL, self._clock.now(), None, len(meetings))
            await uow.commit()
        return len(meetings)

    async def close(self) -> None:
        """Sources that hold HTTP sessions (Graph) release them with the app."""
        for source in self._sources.values():
            closer = getattr(source, "aclose", None)
            if closer is not None:
                await closer()

    async def status(self) -> list[dict]:
        async with self._uow() as uow:
            return await uow.pask.sync_status()
