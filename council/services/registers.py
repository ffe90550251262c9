"""Register reads for the council's tab: the case register, one case with its history, and its export.

Each read is a fixed number of statements whatever the data holds (filtering, sorting and paging happen in
the database), so the tab stays as fast with ten years of cases as with ten."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, tzinfo

from council.audit import AuditEntry
from council.cases import Case
from council.clock import Clock
from council.errors import NotFound
from council.evaluation import Figure, Period, figures
from council.members import Member
from council.registers import (
    DECISION_PAGE,
    CaseFacets,
    CasePage,
    CaseQuery,
    CaseRow,
    DecisionRow,
    HearingRow,
    HistoryLine,
    MeetingRow,
    require_register_access,
)
from council.services.ports import UnitOfWorkFactory

EXPORT_LIMIT = 10_000


class RegisterService:
    """Read-only views of the registers; every method checks the actor's role first."""

    def __init__(self, uow: UnitOfWorkFactory, directory: Callable[[], Awaitable[dict[str, Member]]], clock: Clock,
                 tz: tzinfo, units: tuple[str, ...] = ()) -> None:
        self._uow = uow
        self._units = units  # the seats: a decision's implementation summary counts these
        self._directory = directory  # MemberService.directory: names for the history's actors
        self._clock = clock
        self._tz = tz

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    async def hearings_and_decisions(self, actor: Member, year: int | None
                                     ) -> tuple[list[HearingRow], list[DecisionRow]]:
        """The hearing register and the decision register (vedtak from the minutes, with their benefits and
        implementation summary), newest first."""
        require_register_access(actor)
        async with self._uow() as uow:
            return (await uow.hearing_register.hearings(year, DECISION_PAGE),
                    await uow.hearing_register.decisions(year, DECISION_PAGE, self._units))

    async def year_plan(self, actor: Member, year: int) -> tuple[list[MeetingRow], list]:
        """The council's meetings of the year with their sakslister, and PASK's meetings beside them."""
        require_register_access(actor)
        first = datetime.combine(date(year, 1, 1), time(0), self._tz)
        last = datetime.combine(date(year, 12, 31), time(23, 59), self._tz)
        async with self._uow() as uow:
            return await uow.meeting_plan.year(year), await uow.pask.meetings(first, last)

    async def evaluation(self, actor: Member, period: Period) -> list[Figure]:
        """The evaluation's figures for the period: the page and the DOCX/PDF report both come from here."""
        require_register_access(actor)
        async with self._uow() as uow:
            data = await uow.evaluation.data(period, self.today(), self._tz)
        return figures(data)

    async def cases(self, actor: Member, query: CaseQuery) -> tuple[CasePage, CaseFacets]:
        require_register_access(actor)
        async with self._uow() as uow:
            rows, total = await uow.registers.case_page(query)
            facets = await uow.registers.case_facets()
        return CasePage(rows, total, query), facets

    async def cases_for_export(self, actor: Member, query: CaseQuery) -> list[CaseRow]:
        """Every case the filters match (sorted as on the page, not paged), up to EXPORT_LIMIT."""
        require_register_access(actor)
        async with self._uow() as uow:
            return await uow.registers.case_rows(query, EXPORT_LIMIT)

    async def case(self, actor: Member, case_id: int) -> tuple[Case, list[HistoryLine]]:
        require_register_access(actor)
        async with self._uow() as uow:
            case = await uow.cases.get(case_id)
            if case is None:
                raise NotFound("tab.case_not_found")
            entries: list[AuditEntry] = await uow.audit.for_entity("case", str(case_id))
        people = await self._directory()
        return case, [HistoryLine(e, _name(people, e.actor)) for e in entries]


def _name(people: dict, actor: str) -> str:
    member = people.get(actor)
    return member.name if member is not None else actor
