"""The evaluation's raw counts for a period: one grouped statement per figure, whatever the data holds."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import case, func, select

from council.evaluation import ANSWERED, CONCLUDED, EvaluationData, Period
from council.topics import TopicsStatus
from storage.tables import (
    action_items,
    agenda_items,
    attendance,
    case_topics,
    cases,
    decision_benefits,
    hearings,
    meetings,
    members,
)
from storage.themes import theme_meetings, theme_rsvps


def _bounds(period: Period, tz: tzinfo) -> tuple[datetime, datetime]:
    """The period's first and last day as aware instants (council time), for timestamp columns."""
    return (datetime.combine(period.first, time(0), tz), datetime.combine(period.last + timedelta(days=1), time(0), tz))


class SqlEvaluation:
    def __init__(self, session) -> None:
        self._s = session

    async def data(self, period: Period, today: date, tz: tzinfo) -> EvaluationData:
        start, end = _bounds(period, tz)
        return EvaluationData(
            meetings=await self._meetings(period, today), attendance=await self._attendance(period, today),
            cases_by_unit=await self._cases_by(cases.c.unit, start, end),
            cases_by_type=await self._cases_by(func.coalesce(cases.c.final_type, cases.c.requested_type), start, end),
            cases_by_status=await self._cases_by(cases.c.status, start, end),
            cases_by_topic=await self._cases_by_topic(start, end),
            lead_days=await self._lead_days(start, end), escalations=await self._escalations(period),
            hearings=await self._hearings(period, tz), actions=await self._actions(period, today, tz),
            themes=await self._themes(period, today), network_signups=await self._signups(period, today),
            benefits=await self._benefits(period))

    async def _grouped(self, statement) -> dict:
        return {key: count for key, count in await self._s.execute(statement) if key is not None}

    async def _meetings(self, period: Period, today: date) -> dict[str, int]:
        state = case((meetings.c.status == "avlyst", "cancelled"), (meetings.c.date < today, "held"),
                     else_="upcoming")
        return await self._grouped(select(state, func.count()).where(meetings.c.date.between(period.first,
                                                                                               period.last))
                                   .group_by(state))

    async def _attendance(self, period: Period, today: date) -> dict[str, dict[str, int]]:
        kind = case((attendance.c.status == "til_stede", "present"), (attendance.c.deputy.is_not(None), "deputy"),
                    else_="absent")
        statement = (select(members.c.unit, kind, func.count())
                     .select_from(attendance.join(meetings, meetings.c.id == attendance.c.meeting_id)
                                  .join(members, members.c.aad_object_id == attendance.c.member))
                     .where(meetings.c.date.between(period.first, min(period.last, today)),
                            meetings.c.status != "avlyst", members.c.unit.is_not(None))
                     .group_by(members.c.unit, kind))
        result: dict[str, dict[str, int]] = {}
        for unit, what, count in await self._s.execute(statement):
            result.setdefault(unit, {})[what] = count
        return result

    async def _cases_by(self, column, start: datetime, end: datetime) -> dict[str, int]:
        return await self._grouped(select(column, func.count()).where(cases.c.submitted_at >= start,
                                                                       cases.c.submitted_at < end).group_by(column))

    async def _cases_by_topic(self, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
        confirmed = case((cases.c.topics_status == TopicsStatus.CONFIRMED.value, "confirmed"), else_="unconfirmed")
        statement = (select(case_topics.c.topic, confirmed, func.count())
                     .select_from(case_topics.join(cases, cases.c.id == case_topics.c.case_id))
                     .where(cases.c.submitted_at >= start, cases.c.submitted_at < end)
                     .group_by(case_topics.c.topic, confirmed))
        result: dict[str, dict[str, int]] = {}
        for topic, state, count in await self._s.execute(statement):
            result.setdefault(topic, {})[state] = count
        return result

    async def _lead_days(self, start: datetime, end: datetime) -> list[float]:
        rows = await self._s.execute(select(cases.c.submitted_at, cases.c.status_changed_at).where(
            cases.c.status.in_(CONCLUDED), cases.c.status_changed_at >= start, cases.c.status_changed_at < end))
        return [(changed - submitted).total_seconds() / 86400 for submitted, changed in rows]

    async def _escalations(self, period: Period) -> dict[str, int]:
        state = case((cases.c.dlg_outcome_at.is_not(None), "decided"), else_="awaiting")
        return await self._grouped(select(state, func.count())
                                   .where(cases.c.escalated_on.between(period.first, period.last)).group_by(state))

    async def _hearings(self, period: Period, tz: tzinfo) -> dict[str, int]:
        answered = hearings.c.status.in_(ANSWERED)
        rows = await self._s.execute(select(answered, hearings.c.status_changed_at, hearings.c.internal_deadline,
                                            hearings.c.external_deadline)
                                     .where(hearings.c.external_deadline.between(period.first, period.last)))
        counts = {"before_internal": 0, "before_external": 0, "late": 0, "open": 0}
        for is_answered, at, internal, external in rows:
            day = at.astimezone(tz).date() if at else None
            if not is_answered or day is None:
                counts["open"] += 1
            elif day <= internal:
                counts["before_internal"] += 1
            elif day <= external:
                counts["before_external"] += 1
            else:
                counts["late"] += 1
        return counts

    async def _actions(self, period: Period, today: date, tz: tzinfo) -> dict[str, int]:
        rows = await self._s.execute(select(action_items.c.due, action_items.c.closed_at, action_items.c.status)
                                     .where(action_items.c.due.between(period.first, period.last)))
        counts = {"on_time": 0, "late": 0, "overdue": 0, "not_due": 0}
        for due, closed_at, status in rows:
            if status == "lukket" and closed_at is not None:
                counts["on_time" if closed_at.astimezone(tz).date() <= due else "late"] += 1
            else:
                counts["overdue" if due < today else "not_due"] += 1
        return counts

    async def _themes(self, period: Period, today: date) -> dict[str, int]:
        state = case((theme_meetings.c.status == "avlyst", "cancelled"),
                     (theme_meetings.c.status == "holdt", "held"),
                     (theme_meetings.c.date < today, "held"), else_="planned")
        return await self._grouped(select(state, func.count())
                                   .where(theme_meetings.c.date.between(period.first, period.last)).group_by(state))

    async def _signups(self, period: Period, today: date) -> int:
        statement = (select(func.count()).select_from(theme_rsvps.join(theme_meetings,
                                                                       theme_meetings.c.id == theme_rsvps.c.theme_id))
                     .where(theme_meetings.c.date.between(period.first, min(period.last, today)),
                            theme_meetings.c.status != "avlyst", theme_rsvps.c.answer == "kommer"))
        return (await self._s.execute(statement)).scalar_one()

    async def _benefits(self, period: Period) -> dict[tuple[str, str], int]:
        """Decisions from the period's meetings with an expected benefit, by category and «realisert?»."""
        b = decision_benefits.c
        statement = (select(b.category, b.realised, func.count())
                     .select_from(decision_benefits.join(agenda_items, agenda_items.c.id == b.item_id)
                                  .join(meetings, meetings.c.id == agenda_items.c.meeting_id))
                     .where(meetings.c.date.between(period.first, period.last), b.category.is_not(None),
                            agenda_items.c.outcome == "vedtatt")
                     .group_by(b.category, b.realised))
        return {(category, realised): count for category, realised, count in await self._s.execute(statement)}
