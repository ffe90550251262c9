"""Register reads for the tab: filtered, sorted, paged case rows in a fixed number of statements."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import distinct, exists, func, or_, select

from council.evaluation import ANSWERED
from council.guests import Guest
from council.registers import AgendaLine, CaseFacets, CaseQuery, CaseRow, DecisionRow, HearingRow, MeetingRow
from storage.benefits import decision_select, to_decision
from storage.cases import _to_case, topics_of
from storage.tables import agenda_item_guests, agenda_items, case_topics, cases, guests, hearings, meetings

_SORT_COLUMNS = {
    "number": (cases.c.year, cases.c.number),
    "title": (func.lower(cases.c.title), cases.c.id),
    "unit": (cases.c.unit, cases.c.id),
    "type": (cases.c.requested_type, cases.c.id),
    "status": (cases.c.status, cases.c.id),
    "submitted": (cases.c.submitted_at, cases.c.id),
    "meeting": (meetings.c.date, cases.c.id),
}


def _filtered(query: CaseQuery, statement):
    if query.year:
        statement = statement.where(cases.c.year == query.year)
    if query.status:
        statement = statement.where(cases.c.status == query.status.value)
    if query.unit:
        statement = statement.where(cases.c.unit == query.unit)
    if query.case_type:
        statement = statement.where(func.coalesce(cases.c.final_type, cases.c.requested_type)
                                    == query.case_type.value)
    if query.meeting_id:
        statement = statement.where(cases.c.meeting_id == query.meeting_id)
    if query.topic:
        statement = statement.where(exists().where(case_topics.c.case_id == cases.c.id,
                                                   case_topics.c.topic == query.topic))
    if query.text:
        statement = statement.where(_search(query))
    return statement


def _search(query: CaseQuery):
    matches = [cases.c.title.icontains(query.text, autoescape=True),
               cases.c.description.icontains(query.text, autoescape=True),
               cases.c.deviation_ref.icontains(query.text, autoescape=True)]
    if query.number is not None:
        matches.append(cases.c.number == query.number)
    if (reference := query.reference) is not None:
        short_year, number = reference
        matches.append((cases.c.number == number) & (cases.c.year % 100 == short_year))
    return or_(*matches)


def _rows_statement(query: CaseQuery):
    joined = cases.outerjoin(meetings, meetings.c.id == cases.c.meeting_id)
    order = [c.desc() if query.descending else c.asc() for c in _SORT_COLUMNS[query.sort]]
    if query.sort == "meeting":  # cases without a meeting last, whichever the direction
        order.insert(0, meetings.c.date.is_(None))
    return _filtered(query, select(cases, meetings.c.date.label("meeting_date")).select_from(joined)).order_by(*order)


class SqlRegisters:
    def __init__(self, session) -> None:
        self._s = session

    async def case_page(self, query: CaseQuery) -> tuple[list[CaseRow], int]:
        total = (await self._s.execute(_filtered(query, select(func.count()).select_from(cases)))).scalar_one()
        rows = await self._s.execute(_rows_statement(query).limit(query.per_page).offset(query.offset))
        return await self._with_topics(rows), total

    async def case_rows(self, query: CaseQuery, limit: int) -> list[CaseRow]:
        return await self._with_topics(await self._s.execute(_rows_statement(query).limit(limit)))

    async def _with_topics(self, rows) -> list[CaseRow]:
        """The rows' topics in one more statement, whatever the page holds."""
        found = [CaseRow(_to_case(r), r.meeting_date) for r in rows]
        topics = await topics_of(self._s, (row.case.id for row in found if row.case.id is not None))
        return [CaseRow(replace(row.case, topics=topics.get(row.case.id, ())), row.meeting_date)
                if row.case.id in topics else row for row in found]

    async def case_facets(self) -> CaseFacets:
        years = await self._s.execute(select(distinct(cases.c.year)).order_by(cases.c.year.desc()))
        used = await self._s.execute(
            select(meetings.c.id, meetings.c.date).where(meetings.c.id.in_(select(cases.c.meeting_id)))
            .order_by(meetings.c.date.desc()))
        topics = await self._s.execute(select(distinct(case_topics.c.topic)))
        return CaseFacets(years=[y for (y,) in years], meetings=[(m.id, m.date) for m in used],
                          topics=[topic for (topic,) in topics])


class SqlHearingRegister:
    """The hearing and decision registers, newest first, bounded pages."""

    def __init__(self, session) -> None:
        self._s = session

    async def hearings(self, year: int | None, limit: int) -> list[HearingRow]:
        statement = select(hearings).order_by(hearings.c.internal_deadline.desc(), hearings.c.id.desc()).limit(limit)
        if year:
            statement = statement.where(func.extract("year", hearings.c.external_deadline) == year)
        return [HearingRow(r.id, r.title, r.sender, r.received, r.internal_deadline, r.external_deadline, r.status,
                           r.status in ANSWERED) for r in await self._s.execute(statement)]

    async def decisions(self, year: int | None, limit: int, units: tuple[str, ...] = ()) -> list[DecisionRow]:
        """Each with its benefit and how many of `units` have introduced it (storage/benefits.py)."""
        statement = decision_select(units).order_by(meetings.c.date.desc(), agenda_items.c.position).limit(limit)
        if year:
            statement = statement.where(func.extract("year", meetings.c.date) == year)
        return [to_decision(r) for r in await self._s.execute(statement)]


class SqlMeetingPlan:
    """A year's council meetings with their agenda items and invited guests: three statements whatever the year
    holds."""

    def __init__(self, session) -> None:
        self._s = session

    async def year(self, year: int) -> list[MeetingRow]:
        first, last = date(year, 1, 1), date(year, 12, 31)
        rows = (await self._s.execute(select(meetings).where(meetings.c.date.between(first, last))
                                      .order_by(meetings.c.date, meetings.c.id))).all()
        invited: dict[int, list[Guest]] = {}
        for r in await self._s.execute(
                select(agenda_item_guests.c.item_id, guests)
                .select_from(agenda_item_guests.join(guests, guests.c.id == agenda_item_guests.c.guest_id)
                             .join(agenda_items, agenda_items.c.id == agenda_item_guests.c.item_id)
                             .join(meetings, meetings.c.id == agenda_items.c.meeting_id))
                .where(meetings.c.date.between(first, last))
                .order_by(agenda_item_guests.c.item_id, agenda_item_guests.c.invited_at, guests.c.id)):
            invited.setdefault(r.item_id, []).append(Guest(r.id, r.name, r.organisation, r.email or ""))
        items: dict[int, list[AgendaLine]] = {}
        lines = await self._s.execute(
            select(agenda_items).join(meetings, meetings.c.id == agenda_items.c.meeting_id)
            .where(meetings.c.date.between(first, last)).order_by(agenda_items.c.meeting_id, agenda_items.c.position))
        for r in lines:
            items.setdefault(r.meeting_id, []).append(AgendaLine(r.number, r.year, r.title, r.case_id, r.id,
                                                                 tuple(invited.get(r.id, ()))))
        return [MeetingRow(r.id, r.date, r.status, r.notice_published_at is not None, r.minutes_status,
                           items.get(r.id, [])) for r in rows]
