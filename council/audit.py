"""The audit trail: who changed what, when, with the state before and after."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SYSTEM = "system"


@dataclass(frozen=True)
class AuditEntry:
    actor: str  # AAD object id, or "system" for the scheduler
    entity: str
    entity_id: str
    action: str
    at: datetime
    before: dict | None = None
    after: dict | None = None
