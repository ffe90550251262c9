"""The council's meetings as Outlook events through Graph: the sweep creates, updates and deletes them, once."""
from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from calendars.graph import GraphCalendarWriter
from council.agenda import ItemKind
from council.meetings import DeadlineRules
from council.members import Member, Role
from council.services.meetings import CALENDAR_SUBJECT, MeetingService
from tests.fakes.clock import ManualClock
from tests.fakes.graph import CLIENT_ID, CLIENT_SECRET, MAILBOX, TENANT_ID, FakeGraph

OSLO = ZoneInfo("Europe/Oslo")
KARI = Member("aad-kari", "Kari", roles=frozenset({Role.LEADER}))
PLACE = "Fjordsalen, Tønsberg"
BEFORE_DST, AFTER_DST = date(2027, 3, 23), date(2027, 3, 30)  # summer time starts 28 March 2027
EVENTS = f"/v1.0/users/{MAILBOX}/events"


class _Messages:
    def plan_posted(self, meetings):
        return {"type": "message"}

    def meeting_moved(self, before, after):
        return {"type": "message"}

    def meeting_cancelled(self, meeting):
        return {"type": "message"}


@pytest.fixture
async def fake(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    graph = FakeGraph()
    await graph.start()
    yield graph
    await graph.stop()


@pytest.fixture
async def writer(fake):
    made = GraphCalendarWriter(TENANT_ID, CLIENT_ID, CLIENT_SECRET, MAILBOX, authority_host=fake.authority_host,
                               graph_base=fake.graph_base, ca_file=fake.ca_file, timeout=5)
    yield made
    await made.aclose()


@pytest.fixture
def service(uow):
    clock = ManualClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    return MeetingService(uow, clock, DeadlineRules(), OSLO, messages=_Messages(),
                          standing_titles={kind: kind.value for kind in ItemKind})


async def _plan(service):
    return await service.accept_plan(KARI, [(BEFORE_DST, time(9), time(11)), (AFTER_DST, time(9), time(11))], PLACE)


def _writes(fake):
    return [(r.method, r.path, r.status) for r in fake.graph_requests]


async def test_an_accepted_plan_becomes_events_at_oslo_times_across_dst(fake, writer, service):
    first, second = await _plan(service)

    assert await service.sync_calendar(writer) == 2

    assert _writes(fake) == [("POST", EVENTS, 201), ("POST", EVENTS, 201)]
    posted = [r.body for r in fake.graph_requests]
    assert [p["transactionId"] for p in posted] == [f"radsbot-meeting-{first.id}", f"radsbot-meeting-{second.id}"]
    assert posted[0]["start"] == {"dateTime": "2027-03-23T09:00:00", "timeZone": "W. Europe Standard Time"}
    assert posted[1]["end"] == {"dateTime": "2027-03-30T11:00:00", "timeZone": "W. Europe Standard Time"}
    assert posted[0]["subject"] == CALENDAR_SUBJECT and posted[0]["location"] == {"displayName": PLACE}
    assert posted[0]["body"]["contentType"] == "text" and posted[0]["body"]["content"]
    # 09:00 in Oslo is 08:00 UTC before the change to summer time and 07:00 UTC after it
    assert [(e.start.astimezone(UTC), e.end.astimezone(UTC)) for e in fake.events] == [
        (datetime(2027, 3, 23, 8, tzinfo=UTC), datetime(2027, 3, 23, 10, tzinfo=UTC)),
        (datetime(2027, 3, 30, 7, tzinfo=UTC), datetime(2027, 3, 30, 9, tzinfo=UTC)),
    ]
    stored = [await service.get(m.id) for m in (first, second)]
    assert [m.calendar_event_id for m in stored] == [e.id for e in fake.events]
    assert [(m.calendar_version, m.calendar_synced_version) for m in stored] == [(1, 1), (1, 1)]

    # nothing changed: the next sweep writes nothing
    assert await service.sync_calendar(writer) == 0
    assert len(fake.graph_requests) == 2


async def test_a_moved_meeting_is_patched_and_a_cancelled_one_deleted(fake, writer, service):
    first, second = await _plan(service)
    await service.sync_calendar(writer)
    event_ids = [e.id for e in fake.events]
    fake.graph_requests.clear()

    moved = await service.move_meeting(KARI, first.id, date(2027, 3, 31), time(12, 30), time(14))
    assert moved.calendar_version == 2
    assert await service.sync_calendar(writer) == 1
    [patch] = fake.graph_requests
    assert (patch.method, patch.path, patch.status) == ("PATCH", f"{EVENTS}/{event_ids[0]}", 200)
    assert patch.body["start"] == {"dateTime": "2027-03-31T12:30:00", "timeZone": "W. Europe Standard Time"}
    assert "transactionId" not in patch.body  # Graph does not let an update change it
    assert fake.events[0].start == datetime(2027, 3, 31, 10, 30, tzinfo=UTC)
    assert (await service.get(first.id)).calendar_synced_version == 2

    fake.graph_requests.clear()
    await service.cancel_meeting(KARI, second.id)
    assert await service.sync_calendar(writer) == 1
    assert _writes(fake) == [("DELETE", f"{EVENTS}/{event_ids[1]}", 204)]
    assert [e.id for e in fake.events] == [event_ids[0]]
    assert (await service.get(second.id)).calendar_event_id is None

    fake.graph_requests.clear()
    assert await service.sync_calendar(writer) == 0
    assert fake.graph_requests == []


async def test_a_failed_write_waits_for_the_next_sweep(fake, writer, service, caplog):
    first, second = await _plan(service)
    fake.fail_writes = 503
    with caplog.at_level(logging.WARNING, logger="council.services.meetings"):
        assert await service.sync_calendar(writer) == 0
    assert fake.events == []
    assert (await service.get(first.id)).calendar_synced_version is None
    assert f"meeting {first.id} " in caplog.text and "HTTP 503" in caplog.text
    assert PLACE not in caplog.text and CALENDAR_SUBJECT not in caplog.text

    fake.fail_writes = None
    assert await service.sync_calendar(writer) == 2
    assert len(fake.events) == 2
    assert (await service.get(second.id)).calendar_event_id == fake.events[1].id


async def test_a_retried_create_makes_no_second_event(fake, writer, service):
    """The answer to a POST was lost (no id stored): the same transactionId gets the same event back."""
    first, _ = await _plan(service)
    event_id = await writer.upsert(first, OSLO, CALENDAR_SUBJECT, "")
    assert await writer.upsert(first, OSLO, CALENDAR_SUBJECT, "") == event_id
    assert [e.id for e in fake.events] == [event_id]


async def test_an_event_deleted_in_outlook_is_created_again_and_a_gone_one_counts_as_deleted(fake, writer, service):
    first, second = await _plan(service)
    await service.sync_calendar(writer)
    gone = fake.events.pop(0)  # someone deleted it in Outlook
    await service.move_meeting(KARI, first.id, date(2027, 3, 24), time(9), time(11))
    assert await service.sync_calendar(writer) == 1
    assert [(r.method, r.status) for r in fake.graph_requests[-2:]] == [("PATCH", 404), ("POST", 201)]
    assert fake.graph_requests[-1].body["transactionId"] == f"radsbot-meeting-{first.id}-v2"
    recreated = await service.get(first.id)
    assert recreated.calendar_event_id not in (None, gone.id)
    assert recreated.calendar_event_id == fake.events[-1].id

    fake.events.clear()  # and this one too, before the meeting is cancelled
    await service.cancel_meeting(KARI, second.id)
    assert await service.sync_calendar(writer) == 1
    assert fake.graph_requests[-1].status == 404
    assert (await service.get(second.id)).calendar_event_id is None


@pytest.mark.parametrize("status, reason", [(403, "Calendars.ReadWrite"), (401, "HTTP 401"), (500, "HTTP 500")])
async def test_graph_refusals_are_short_reasons(fake, writer, service, status, reason):
    from council.pask import CalendarUnavailable

    first, _ = await _plan(service)
    fake.fail_writes = status
    with pytest.raises(CalendarUnavailable, match=reason):
        await writer.upsert(first, OSLO, CALENDAR_SUBJECT, "")
