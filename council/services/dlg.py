"""DLG's outcome brings a case back: a line under «Tilbakemeldinger fra DLG» on the next meeting's agenda."""
from __future__ import annotations

from datetime import datetime

from council.agenda import AgendaItem, ItemKind, ordered
from council.cases import Case, CaseStatus
from council.dlg import DLG_FEEDBACK_TITLE, feedback_line
from council.meetings import MeetingStatus
from council.records import CasePaper
from council.services.ports import UnitOfWork


async def add_dlg_feedback(uow: UnitOfWork, case: Case, now: datetime) -> AgendaItem | None:
    """On the next meeting (after the one that fremmet the case) whose notice is not yet published: find or
    create the standing item and add the case's line to its saksframlegg background. None when no such meeting."""
    after = case.escalation.on if case.escalation else now.date()
    meetings = [m for m in await uow.meetings.from_date(now.date())
                if m.date > after and m.status is MeetingStatus.PLANNED and not m.notice_published and m.id is not None]
    if not meetings:
        return None
    meeting_id = min(meetings, key=lambda m: m.date).id
    assert meeting_id is not None
    items = await uow.agenda.items(meeting_id)
    item = next((i for i in items if i.kind is ItemKind.STANDING and i.title == DLG_FEEDBACK_TITLE), None)
    if item is None:
        item = await uow.agenda.add(AgendaItem(None, meeting_id, len(items) - 1, ItemKind.STANDING,
                                               DLG_FEEDBACK_TITLE))
        for placed in ordered([*items, item]):
            await uow.agenda.save(placed)
    assert item.id is not None
    paper = (await uow.papers.for_items([item.id])).get(item.id)
    line = feedback_line(case)
    lines = [x for x in (paper.background if paper else "").splitlines() if x.strip()]
    if line not in lines:
        lines.append(line)
        await uow.papers.save(CasePaper(item.id, "\n".join(lines), paper.proposed_decision if paper else ""), now)
    return item


async def place_waiting_feedback(uow: UnitOfWork, now: datetime) -> set[int]:
    """DLG outcomes recorded when no meeting was open for them: placed on the first meeting that is, once one
    exists (called by the writes that place waiting cases). An outcome is waiting until a notice has been
    published after it; placing again on the same open meeting changes nothing. The meetings changed."""
    outcomes = [(c, c.escalation.on, c.escalation.outcome_at)
                for c in await uow.cases.with_status(frozenset({CaseStatus.DLG_DECIDED}))
                if c.escalation is not None and c.escalation.outcome_at is not None]
    if not outcomes:
        return set()
    meetings = await uow.meetings.from_date(min(on for _, on, _ in outcomes))
    latest_notice = max((m.notice_published_at for m in meetings if m.notice_published_at is not None), default=None)
    changed: set[int] = set()
    for case, _, outcome_at in outcomes:
        if latest_notice is not None and latest_notice >= outcome_at:
            continue
        item = await add_dlg_feedback(uow, case, now)
        if item is not None:
            changed.add(item.meeting_id)
    return changed
