"""Audit trail rows, written in the same transaction as the change they describe."""
from __future__ import annotations

from sqlalchemy import insert, select

from council.audit import AuditEntry
from storage.tables import audit_log


class SqlAudit:
    def __init__(self, session) -> None:
        self._s = session

    async def add(self, entry: AuditEntry) -> None:
        await self.add_all([entry])

    async def add_all(self, entries: list[AuditEntry]) -> None:
        if entries:
            await self._s.execute(insert(audit_log), [
                {"at": e.at, "actor": e.actor, "entity": e.entity, "entity_id": e.entity_id, "action": e.action,
                 "before": e.before, "after": e.after} for e in entries])

    async def for_entity(self, entity: str, entity_id: str) -> list[AuditEntry]:
        rows = await self._s.execute(
            select(audit_log).where(audit_log.c.entity == entity, audit_log.c.entity_id == entity_id)
            .order_by(audit_log.c.id))
        return [AuditEntry(r.actor, r.entity, r.entity_id, r.action, r.at, r.before, r.after) for r in rows]
