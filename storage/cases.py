"""Cases repository: one mapper between rows and council.cases.Case; updates check the version.

A case's topics live in `case_topics` (by label): every read adds one statement for all the cases it returns,
and a save writes them only when they changed."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import delete, insert, select, update

from council.cases import Case, CaseFilter, CaseStatus, CaseType, Escalation
from council.topics import TopicsStatus
from storage.tables import case_topics, cases


async def topics_of(session, case_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The topics of these cases in one statement (even for none, so a page costs the same statements
    whatever it holds), each case's in the order they were set."""
    ids = list(dict.fromkeys(case_ids))
    rows = await session.execute(select(case_topics.c.case_id, case_topics.c.topic)
                                 .where(case_topics.c.case_id.in_(ids))
                                 .order_by(case_topics.c.case_id, case_topics.c.position))
    found: dict[int, list[str]] = {}
    for case_id, topic in rows:
        found.setdefault(case_id, []).append(topic)
    return {case_id: tuple(topics) for case_id, topics in found.items()}


def _to_case(row) -> Case:
    escalation = None
    if row.escalated_on is not None:
        escalation = Escalation(row.escalated_on, row.escalation_reference or "", row.dlg_outcome, row.dlg_outcome_at)
    return Case(
        id=row.id, year=row.year, number=row.number, title=row.title, description=row.description, unit=row.unit,
        requested_type=CaseType(row.requested_type), submitted_by=row.submitted_by,
        submitted_by_name=row.submitted_by_name, submitted_at=row.submitted_at, submission_key=row.submission_key,
        status=CaseStatus(row.status), status_changed_at=row.status_changed_at,
        requested_meeting_id=row.requested_meeting_id, meeting_id=row.meeting_id,
        final_type=CaseType(row.final_type) if row.final_type else None, links=tuple(row.links or ()),
        urgent=row.urgent, urgent_reason=row.urgent_reason, deferrals=row.deferrals, reason=row.reason,
        duplicate_of=row.duplicate_of, question=row.question, answer=row.answer, escalation=escalation,
        pii_override=row.pii_override, deviation_ref=row.deviation_ref,
        topics_status=TopicsStatus(row.topics_status), version=row.version,
    )


def _values(case: Case) -> dict:
    escalation = case.escalation
    return {
        "year": case.year, "number": case.number, "submission_key": case.submission_key, "title": case.title,
        "description": case.description, "unit": case.unit, "requested_type": case.requested_type.value,
        "final_type": case.final_type.value if case.final_type else None, "submitted_by": case.submitted_by,
        "submitted_by_name": case.submitted_by_name, "submitted_at": case.submitted_at,
        "status": case.status.value, "status_changed_at": case.status_changed_at,
        "requested_meeting_id": case.requested_meeting_id, "meeting_id": case.meeting_id,
        "links": list(case.links), "urgent": case.urgent, "urgent_reason": case.urgent_reason,
        "deferrals": case.deferrals, "reason": case.reason, "duplicate_of": case.duplicate_of,
        "question": case.question, "answer": case.answer,
        "escalated_on": escalation.on if escalation else None,
        "escalation_reference": escalation.reference if escalation else None,
        "dlg_outcome": escalation.outcome if escalation else None,
        "dlg_outcome_at": escalation.outcome_at if escalation else None,
        "pii_override": case.pii_override, "deviation_ref": case.deviation_ref,
        "topics_status": case.topics_status.value, "version": case.version,
    }


class SqlCases:
    def __init__(self, session) -> None:
        self._s = session
        self._stored_topics: dict[int, tuple[str, ...]] = {}  # as read in this unit of work

    async def _with_topics(self, rows) -> list[Case]:
        found = [_to_case(r) for r in rows]
        topics = await topics_of(self._s, (c.id for c in found if c.id is not None))
        result = [replace(c, topics=topics.get(c.id, ())) if c.id is not None else c for c in found]
        self._stored_topics.update((c.id, c.topics) for c in result if c.id is not None)
        return result

    async def _one(self, statement) -> Case | None:
        row = (await self._s.execute(statement)).first()
        return (await self._with_topics([row]))[0] if row else None

    async def add(self, case: Case) -> Case:
        result = await self._s.execute(insert(cases).values(**_values(case)).returning(cases.c.id))
        case_id = result.scalar_one()
        await self._write_topics(case_id, case.topics)
        stored = await self.get(case_id)
        assert stored is not None
        return stored

    async def by_submission_key(self, key: str) -> Case | None:
        return await self._one(select(cases).where(cases.c.submission_key == key))

    async def get(self, case_id: int) -> Case | None:
        return await self._one(select(cases).where(cases.c.id == case_id))

    async def save(self, case: Case, expected_version: int) -> bool:
        """Compare-and-set: False when someone else changed the case first."""
        result = await self._s.execute(update(cases).where(cases.c.id == case.id,
                                                           cases.c.version == expected_version)
                                       .values(**_values(case)))
        if result.rowcount != 1:
            return False
        if case.id is not None and self._stored_topics.get(case.id) != case.topics:
            await self._s.execute(delete(case_topics).where(case_topics.c.case_id == case.id))
            await self._write_topics(case.id, case.topics)
        return True

    async def _write_topics(self, case_id: int, topics: tuple[str, ...]) -> None:
        if topics:
            await self._s.execute(insert(case_topics), [{"case_id": case_id, "topic": topic, "position": n}
                                                        for n, topic in enumerate(dict.fromkeys(topics))])
        self._stored_topics[case_id] = topics

    async def by_submitter(self, aad_object_id: str) -> list[Case]:
        rows = await self._s.execute(select(cases).where(cases.c.submitted_by == aad_object_id)
                                     .order_by(cases.c.submitted_at.desc()))
        return await self._with_topics(rows)

    async def with_status(self, statuses: frozenset[CaseStatus]) -> list[Case]:
        rows = await self._s.execute(select(cases).where(cases.c.status.in_([s.value for s in statuses]))
                                     .order_by(cases.c.submitted_at, cases.c.id))
        return await self._with_topics(rows)

    async def search(self, filters: CaseFilter) -> list[Case]:
        query = select(cases).order_by(cases.c.year.desc(), cases.c.number.desc())
        if filters.year:
            query = query.where(cases.c.year == filters.year)
        if filters.status:
            query = query.where(cases.c.status == filters.status.value)
        if filters.unit:
            query = query.where(cases.c.unit == filters.unit)
        if filters.case_type:
            query = query.where(cases.c.requested_type == filters.case_type.value)
        return await self._with_topics(await self._s.execute(query))
