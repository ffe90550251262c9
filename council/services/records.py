"""Council records: what the innkalling and its saksframlegg are built from, and editing a saksframlegg.

The referat's data come from MinutesService (frozen at approval); this service adds what only the notice
needs: the recipients (Til/Kopi), the saksframlegg per item, the hearings on the agenda and the date by which
apologies are due.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from council.audit import AuditEntry
from council.clock import Clock
from council.errors import NotFound
from council.hearings import Hearing
from council.ids import stored_id
from council.members import Member, require_organiser
from council.planning import PlanRules, WorkingCalendar
from council.records import CasePaper, check_paper, paper_for
from council.services.agenda import AgendaService, AgendaView
from council.services.ports import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class NoticeView:
    """Everything the innkalling shows. `papers` has a saksframlegg for every case and hearing item."""

    agenda: AgendaView
    members: tuple[Member, ...]
    papers: dict[int, CasePaper] = field(default_factory=dict)
    hearings: dict[int, Hearing] = field(default_factory=dict)  # by agenda item id
    apologies_by: date | None = None  # «Forfall meldes … innen»: the working day before the meeting
    copy_network: bool = False  # the leadership network gets a copy


class RecordService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, agenda: AgendaService, plan: PlanRules,
                 copy_network: bool = False) -> None:
        self._uow = uow
        self._clock = clock
        self._agenda = agenda
        self._plan = plan
        self._copy_network = copy_network

    async def notice(self, meeting_id: int) -> NoticeView:
        return await self._agenda.read_placed(lambda uow: self._notice(uow, meeting_id))

    async def _notice(self, uow: UnitOfWork, meeting_id: int) -> NoticeView:
        agenda = await self._agenda.view_in(uow, meeting_id)
        hearings = {h.agenda_item_id: h for h in await uow.hearings.for_meeting(meeting_id)
                    if h.agenda_item_id is not None}
        with_paper = [i for i in agenda.items if i.id is not None and (i.case_id is not None or i.id in hearings
                                                                        or i.id in agenda.papers)]
        papers = {stored_id(i.id): paper_for(i, agenda.cases.get(i.case_id) if i.case_id else None,
                                             agenda.papers.get(stored_id(i.id))) for i in with_paper}
        return NoticeView(agenda, tuple(await uow.members.all()), papers, hearings,
                          self.working_day_before(agenda.meeting.date), self._copy_network)

    def working_day_before(self, day: date) -> date:
        calendar = WorkingCalendar((day.year - 1, day.year), self._plan)
        previous = day - timedelta(days=1)
        while not calendar.is_working_day(previous):
            previous -= timedelta(days=1)
        return previous

    async def set_paper(self, actor: Member, item_id: int, background: str, proposed_decision: str) -> NoticeView:
        """Leader or secretary edits an item's saksframlegg (the notice's documents show it from then on)."""
        require_organiser(actor)
        background, proposed_decision = background.strip(), proposed_decision.strip()
        check_paper(background, proposed_decision)
        async with self._uow() as uow:
            item = await uow.agenda.get(item_id)
            if item is None:
                raise NotFound("agenda.item_not_found")
            await uow.papers.save(CasePaper(item_id, background, proposed_decision), self._clock.now())
            await uow.audit.add(AuditEntry(actor.aad_object_id, "case_paper", str(item_id), "edit",
                                           self._clock.now()))
            view = await self._notice(uow, item.meeting_id)
            await uow.commit()
        return view
