"""Council records: the referat's documents frozen at approval (written once per kind, read back byte for
byte) and the Saksframlegg per agenda item."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from council.records import CasePaper, FrozenDocument
from storage.tables import case_papers, record_documents
from storage.upsert import upsert


class SqlRecords:
    def __init__(self, session) -> None:
        self._s = session

    async def store(self, meeting_id: int, document: FrozenDocument) -> None:
        """Insert only: an approved referat is never rewritten (a second approval is refused upstream)."""
        await self._s.execute(insert(record_documents).values(
            meeting_id=meeting_id, kind=document.kind, body=document.body, sha256=document.sha256,
            stored_at=document.stored_at))

    async def get(self, meeting_id: int, kind: str) -> FrozenDocument | None:
        row = (await self._s.execute(select(record_documents).where(
            record_documents.c.meeting_id == meeting_id, record_documents.c.kind == kind))).first()
        return FrozenDocument(row.kind, bytes(row.body), row.sha256, row.stored_at) if row else None

    async def digests(self, meeting_id: int) -> dict[str, str]:
        """Kind → SHA-256 of each frozen document (without loading the bytes)."""
        rows = await self._s.execute(select(record_documents.c.kind, record_documents.c.sha256)
                                     .where(record_documents.c.meeting_id == meeting_id))
        return {r.kind: r.sha256 for r in rows}


class SqlCasePapers:
    """Saksframlegg per agenda item (one row per item, replaced on edit)."""

    def __init__(self, session) -> None:
        self._s = session

    async def for_items(self, item_ids: list[int]) -> dict[int, CasePaper]:
        if not item_ids:
            return {}
        rows = await self._s.execute(select(case_papers).where(case_papers.c.item_id.in_(item_ids)))
        return {r.item_id: CasePaper(r.item_id, r.background, r.proposed_decision) for r in rows}

    async def save(self, paper: CasePaper, at: datetime) -> None:
        await upsert(self._s, case_papers, {"item_id": paper.item_id, "background": paper.background,
                                            "proposed_decision": paper.proposed_decision, "updated_at": at},
                     ["item_id"])
