"""Planning a year against the PASK calendar (the sample Outlook export in tests/data), through the real services."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from calendars.ics import IcsSource
from council.meetings import DeadlineRules
from council.members import Member, Role
from council.pask import PaskFilter
from council.services.meetings import MeetingService
from council.services.pask import PaskService, parse_manual_dates
from tests.fakes.clock import ManualClock
from tests.sample_data import PASK_ICS as ICS

OSLO = ZoneInfo("Europe/Oslo")
NETWORK_MEETINGS = 21  # 2026–2027: monthly, no July, 10 November 2026 cancelled (see tests/unit/test_pask_ics.py)
KARI = Member("aad-kari", "Kari", roles=frozenset({Role.LEADER}))


class _Messages:
    def sync_failed(self, source, code, locale):
        return {"type": "message", "text": f"{source}: {code}"}


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc))


async def test_a_year_is_planned_from_the_outlook_export_one_meeting_a_month_after_pask(uow, clock):
    pask = PaskService(uow, clock, {"ics": IcsSource(str(ICS), OSLO, PaskFilter())}, OSLO, _Messages())
    assert await pask.sync() == {"ics": f"ok: {NETWORK_MEETINGS}"}
    meetings = MeetingService(uow, clock, DeadlineRules(), OSLO)
    plan = await meetings.propose(KARI, 2027)
    assert len(plan) == 11 and all(p.date.month != 7 for p in plan)
    for proposal in plan:
        assert proposal.pask_date is not None and proposal.pask_date < proposal.date
        assert proposal.pask_date.month == proposal.date.month
        assert proposal.date.weekday() < 5


async def test_a_failing_calendar_keeps_the_last_good_copy_and_records_why(uow, clock, tmp_path):
    broken = tmp_path / "broken.ics"
    source = IcsSource(str(ICS), OSLO, PaskFilter())
    pask = PaskService(uow, clock, {"ics": source}, OSLO, _Messages())
    await pask.sync()
    broken.write_text("BEGIN:VCALENDAR\nthis is not a calendar")
    failing = PaskService(uow, clock, {"ics": IcsSource(str(broken), OSLO, PaskFilter())}, OSLO, _Messages())
    result = await failing.sync()
    assert not result["ics"].startswith("ok")
    [status] = await failing.status()
    assert status["last_error"] and status["count"] == NETWORK_MEETINGS
    async with uow() as u:
        kept = await u.pask.meetings(datetime(2026, 1, 1, tzinfo=OSLO), datetime(2027, 12, 31, tzinfo=OSLO))
    assert len(kept) == NETWORK_MEETINGS


async def test_dates_typed_in_by_the_leader_are_a_source_too(uow, clock):
    pask = PaskService(uow, clock, {}, OSLO, _Messages())
    assert await pask.set_manual(KARI, "12.01.2027 10:00-12:00\n09.02.2027\n") == 2
    assert parse_manual_dates("09.02.2027")[0][1:] == (time(10, 0), time(12, 0))
    plan = await MeetingService(uow, clock, DeadlineRules(), OSLO).propose(KARI, 2027)
    assert [p.pask_date for p in plan if p.pask_date] == [date(2027, 1, 12), date(2027, 2, 9)]
