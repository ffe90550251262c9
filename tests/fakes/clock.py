"""A clock tests move by hand, so nothing in a test waits for real time to pass."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ManualClock:
    """Always timezone-aware UTC; `advance` and `set` move it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> datetime:
        self._now += timedelta(**delta)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)
