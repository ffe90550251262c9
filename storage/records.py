"""The referat's documents frozen at approval: written once per kind, read back byte for byte."""
from __future__ import annotations

from sqlalchemy import insert, select

from council.records import FrozenDocument
from storage.tables import record_documents


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
