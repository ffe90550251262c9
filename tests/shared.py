"""Where the project's shared material is: ../shared beside the clone (as in CI), or RADSBOT_SHARED_DIR."""
from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("RADSBOT_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared")
PASK_ICS = SHARED / "data" / "pask-calendar-outlook-export.ics"
