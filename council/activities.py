"""The mark an activity's key carries while its turn runs and once it has run."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

IN_PROGRESS = "in_progress"
DONE = "done"


@dataclass(frozen=True)
class TurnMark:
    status: str  # IN_PROGRESS or DONE
    owner: str | None  # the process running the turn (council.owners.process_owner)
    lease_until: datetime | None
    response: dict | None  # an invoke's answer {"status": int, "body": ...}

    def stale(self, now: datetime, alive: Callable[[str], bool]) -> bool:
        """A claim nobody is working on any more: its process is gone or its lease ran out."""
        return self.status == IN_PROGRESS and (
            self.owner is None or self.lease_until is None or self.lease_until <= now or not alive(self.owner))
