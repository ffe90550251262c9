"""The sample data kept in the repository (tests/data; what each file exercises is in its README)."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PASK_ICS = DATA / "pask-calendar-outlook-export.ics"
