"""Accepted and deferred cases onto an agenda: done by the writes that make a case wait for a meeting (triage, a
cancelled or added meeting, agenda edits, the notice), never by showing the agenda."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from council.agenda import AgendaItem, case_item, ordered
from council.cases import Case, CaseStatus
from council.ids import stored_id
from council.meetings import MeetingStatus
from council.services.dlg import place_waiting_feedback
from council.services.ports import UnitOfWork

WAITING = frozenset({CaseStatus.ON_AGENDA, CaseStatus.DEFERRED})


async def waiting_cases(uow: UnitOfWork, today: date) -> list[tuple[Case, int]]:
    """Cases that belong on an agenda but are on none, each with its meeting id (its own, or the first meeting
    whose notice is not out yet)."""
    first_open = next((m for m in await uow.meetings.from_date(today)
                       if not m.notice_published and m.status is MeetingStatus.PLANNED), None)
    waiting = []
    for case in await uow.cases.with_status(WAITING):
        target = case.meeting_id if case.meeting_id is not None else (first_open.id if first_open else None)
        if target is not None and not await uow.agenda.by_case(stored_id(case.id)):
            waiting.append((case, target))
    return waiting


def shown_with(items: list[AgendaItem], meeting_id: int, waiting: list[tuple[Case, int]]) -> list[AgendaItem]:
    """The agenda as it will be once the waiting cases are placed (for a view; nothing is stored)."""
    extra = [case_item(meeting_id, case, len(items) + n) for n, (case, target) in enumerate(waiting)
             if target == meeting_id]
    return ordered([*items, *extra]) if extra else items


async def place_waiting_cases(uow: UnitOfWork, today: date, now: datetime) -> set[int]:
    """Store the waiting cases on their agendas (in the caller's transaction); the meetings changed."""
    changed: set[int] = set()
    for case, meeting_id in await waiting_cases(uow, today):
        if case.meeting_id is None:
            await uow.cases.save(replace(case, meeting_id=meeting_id, version=case.version + 1), case.version)
        items = await uow.agenda.items(meeting_id)
        items.append(await uow.agenda.add(case_item(meeting_id, case, len(items) - 1)))
        for item in ordered(items):
            await uow.agenda.save(item)
        changed.add(meeting_id)
    changed |= await place_waiting_feedback(uow, now)
    for meeting_id in changed:
        meeting = await uow.meetings.get(meeting_id)
        if meeting is not None and meeting.notice_published and meeting.notice_changed_at is None:
            await uow.meetings.save(replace(meeting, notice_changed_at=now))
    return changed
