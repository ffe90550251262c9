"""Hearings repository: one mapper between rows and council.hearings.Hearing; updates check the version."""
from __future__ import annotations

from sqlalchemy import insert, select, update

from council.hearings import FINAL, Hearing, HearingStatus
from storage.tables import hearings


def _to_hearing(row) -> Hearing:
    return Hearing(
        id=row.id, title=row.title, sender=row.sender, received=row.received,
        external_deadline=row.external_deadline, internal_deadline=row.internal_deadline,
        created_by=row.created_by, created_at=row.created_at, their_reference=row.their_reference,
        case_number=row.case_number, journal_number=row.journal_number,
        document_links=tuple(row.document_links or ()), owner=row.owner, owner_name=row.owner_name,
        draft_text=row.draft_text, draft_link=row.draft_link, status=HearingStatus(row.status),
        status_changed_at=row.status_changed_at, meeting_id=row.meeting_id, agenda_item_id=row.agenda_item_id,
        vote_id=row.vote_id, vote_outcome=row.vote_outcome, decision=row.decision,
        response_reference=row.response_reference, version=row.version,
    )


def _values(h: Hearing) -> dict:
    return {
        "title": h.title, "sender": h.sender, "their_reference": h.their_reference, "case_number": h.case_number,
        "journal_number": h.journal_number, "received": h.received, "external_deadline": h.external_deadline,
        "internal_deadline": h.internal_deadline, "document_links": list(h.document_links), "owner": h.owner,
        "owner_name": h.owner_name, "draft_text": h.draft_text, "draft_link": h.draft_link,
        "status": h.status.value, "status_changed_at": h.status_changed_at, "meeting_id": h.meeting_id,
        "agenda_item_id": h.agenda_item_id, "vote_id": h.vote_id, "vote_outcome": h.vote_outcome,
        "decision": h.decision, "response_reference": h.response_reference, "created_by": h.created_by,
        "created_at": h.created_at, "version": h.version,
    }


class SqlHearings:
    def __init__(self, session) -> None:
        self._s = session

    async def add(self, hearing: Hearing) -> Hearing:
        result = await self._s.execute(insert(hearings).values(**_values(hearing)).returning(hearings.c.id))
        return await self.get(result.scalar_one())

    async def get(self, hearing_id: int) -> Hearing | None:
        row = (await self._s.execute(select(hearings).where(hearings.c.id == hearing_id))).first()
        return _to_hearing(row) if row else None

    async def save(self, hearing: Hearing, expected_version: int) -> bool:
        """Compare-and-set: False when someone else changed the hearing first."""
        result = await self._s.execute(update(hearings).where(hearings.c.id == hearing.id,
                                                              hearings.c.version == expected_version)
                                       .values(**_values(hearing)))
        return result.rowcount == 1

    async def search(self, include_closed: bool = False) -> list[Hearing]:
        """The register, nearest internal deadline first; closed (sent, no comments, unanswered) on request."""
        query = select(hearings).order_by(hearings.c.internal_deadline, hearings.c.id)
        if not include_closed:
            query = query.where(hearings.c.status.not_in([s.value for s in FINAL]))
        return [_to_hearing(r) for r in await self._s.execute(query)]

    async def for_meeting(self, meeting_id: int) -> list[Hearing]:
        rows = await self._s.execute(select(hearings).where(hearings.c.meeting_id == meeting_id)
                                     .order_by(hearings.c.id))
        return [_to_hearing(r) for r in rows]
