"""Reminders through the real service on SQLite and PostgreSQL: each rule fires once to the right people when the
clock passes its time, the check at sending time, restart across a due time, obsolete reminders dropped with a
reason, two processes on one database, switching a rule off, the weekly digest and the vote-closing delegation."""
from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from council.cases import Case, CaseType
from council.conversations import ConversationKind, ConversationRef
from council.errors import NotAllowed
from council.meetings import Meeting
from council.members import Member, Role
from council.minutes import ActionItem, ActionStatus, Attendance
from council.outbox import Operation
from council.reminders import Rule
from council.services.reminders import ReminderService
from storage.db import make_engine
from storage.tables import outbox
from storage.uow import unit_of_work_factory
from tests.fakes.clock import ManualClock

OSLO = ZoneInfo("Europe/Oslo")
T0 = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)  # Monday 30 March 2026, 07:00 CEST (the day after the DST change)
LEADER = Member("leader", "Lene Leder", roles=frozenset({Role.LEADER}), locale="nb-NO")
SECRETARY = Member("secretary", "Siri Sekretær", roles=frozenset({Role.SECRETARY}))
DEPUTY = Member("deputy", "Vara", roles=frozenset({Role.DEPUTY}))
CHANNEL = ConversationRef("19:general@thread.tacv2", ConversationKind.CHANNEL, "http://127.0.0.1:9/", "tenant",
                          "bot", team_id="19:general@thread.tacv2", channel_id="19:general@thread.tacv2")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def member(n: int) -> Member:
    return Member(f"m{n}", f"Medlem {n}", roles=frozenset({Role.MEMBER}), locale="en-US" if n == 3 else "nb-NO")


def factory(engine):
    return unit_of_work_factory(engine)


class FakeMessages:
    def submission_deadline(self, meeting, deadline):
        return {"kind": "submission_deadline", "meeting": meeting.id, "deadline": deadline.isoformat()}

    def notice_published(self, meeting):
        return {"kind": "notice_published", "meeting": meeting.id}

    def meeting_tomorrow(self, meeting):
        return {"kind": "meeting_tomorrow", "meeting": meeting.id}

    def meeting_tomorrow_personal(self, meeting, locale):
        return {"kind": "meeting_tomorrow_personal", "meeting": meeting.id, "locale": locale}

    def minutes_awaiting_approval(self, meeting):
        return {"kind": "minutes_awaiting_approval", "meeting": meeting.id}

    def action_due(self, action, overdue, locale):
        return {"kind": "action_due", "action": action.id, "overdue": overdue, "locale": locale}

    def case_waiting(self, case, age_days, locale):
        return {"kind": "case_waiting", "case": case.id, "days": age_days}

    def digest(self, digest, locale):
        return {"kind": "digest", "week": digest.week, "open_cases": digest.open_cases, "oldest": digest.oldest_days,
                "deadlines": [[d.on.isoformat(), d.kind] for d in digest.deadlines],
                "overdue": [a.what for a in digest.overdue]}


class FakeVotes:
    def __init__(self):
        self.calls = []

    async def remind_due(self, hours=None):
        self.calls.append(hours)
        return 0


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def ruow(engine):
    return factory(engine)


@pytest.fixture
def service(ruow, clock):
    return ReminderService(ruow, clock, OSLO, FakeMessages())


@pytest.fixture
async def second_engine(database_url, engine):
    """A second engine on the same (already migrated) database: another app process."""
    other = make_engine(database_url)
    yield other
    await other.dispose()


async def seed(ruow, *, meetings=(), actions=(), cases=(), attendance=()):
    async with ruow() as u:
        for person in (LEADER, SECRETARY, DEPUTY, member(1), member(2), member(3)):
            await u.members.save(person)
        await u.conversations.save(CHANNEL, T0)
        saved = [await u.meetings.add(m) for m in meetings]
        for a in actions:
            await u.agenda.add_action(a)
        for c in cases:
            await u.cases.add(c)
        for meeting_index, who, status in attendance:
            await u.agenda.set_attendance(saved[meeting_index].id, who, status, T0)
        await u.commit()
    return saved


async def queued(ruow, prefix: str = "reminder:") -> list:
    async with ruow() as u:
        rows = await u.session.execute(select(outbox).where(outbox.c.delivery_key.startswith(prefix))
                                       .order_by(outbox.c.delivery_key))
        return list(rows)


async def reminder_rows(ruow, rule: Rule | None = None):
    async with ruow() as u:
        return await u.reminders.all(rule)


def case(number: int, submitted: datetime) -> Case:
    return Case(id=None, year=2026, number=number, title=f"Sak {number}", description="", unit="Klinikk",
                requested_type=CaseType.ORIENTERING, submitted_by="m1", submitted_by_name="Medlem 1",
                submitted_at=submitted, submission_key=f"k{number}")


# --- each rule fires once, to the right people ----------------------------------------------------------------


async def test_meeting_tomorrow_goes_to_the_channel_and_only_to_members_who_have_not_reported(ruow, clock, service):
    [meeting] = await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16))],
                           attendance=[(0, "m1", Attendance.ABSENT), (0, "m2", Attendance.PRESENT)])
    clock.set(utc(2026, 4, 15, 9, 59))  # 11:59 CEST, the day before
    await service.sweep()
    assert await queued(ruow, "reminder:meeting_tomorrow") == []
    clock.set(utc(2026, 4, 15, 10, 0))  # 12:00 CEST
    await service.sweep()
    await service.sweep()
    key = f"reminder:meeting_tomorrow:meeting:{meeting.id}:2026-04-16"
    rows = await queued(ruow, "reminder:meeting_tomorrow")
    assert [(r.delivery_key, r.operation, r.target) for r in rows] == [
        (key, Operation.SEND.value, CHANNEL.conversation_id),
        (f"{key}:to:leader", Operation.SEND_PERSONAL.value, "leader"),
        (f"{key}:to:m3", Operation.SEND_PERSONAL.value, "m3"),
        (f"{key}:to:secretary", Operation.SEND_PERSONAL.value, "secretary"),
    ]  # m1 reported absence, m2 presence; the deputy is not asked
    assert rows[2].activity["locale"] == "en-US"
    [row] = await reminder_rows(ruow, Rule.MEETING_TOMORROW)
    assert (row.status, row.sent_count, row.reason) == ("sent", 4, None)


async def test_the_attendance_check_is_made_at_sending_time_not_at_planning(ruow, clock, service):
    [meeting] = await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16))])
    await service.plan()
    async with ruow() as u:  # m3 reports absence after the reminder was planned
        await u.agenda.set_attendance(meeting.id, "m3", Attendance.ABSENT, T0)
        await u.commit()
    clock.set(utc(2026, 4, 15, 10, 0))
    await service.sweep()
    targets = {r.target for r in await queued(ruow, "reminder:meeting_tomorrow")}
    assert targets == {CHANNEL.conversation_id, "leader", "secretary", "m1", "m2"}


async def test_action_item_reminders_go_to_the_owner_before_and_when_overdue_and_a_closed_one_is_dropped(
        ruow, clock, service):
    await seed(ruow, meetings=[Meeting(None, date(2026, 3, 19))], actions=[
        ActionItem(None, 1, None, "Oppdatere rutinen", "m1", "Medlem 1", date(2026, 4, 7)),
        ActionItem(None, 1, None, "Skrive notat", "m2", "Medlem 2", date(2026, 4, 7))])
    clock.set(utc(2026, 3, 30, 6, 59))
    await service.sweep()
    assert await queued(ruow, "reminder:action_item_due") == []
    clock.set(utc(2026, 3, 30, 7, 0))  # 09:00 CEST, 3 working days before 7 April across Easter
    await service.sweep()
    before = await queued(ruow, "reminder:action_item_due")
    assert [(r.delivery_key, r.target, r.activity["overdue"]) for r in before] == [
        ("reminder:action_item_due:action:1:before:2026-04-07:to:m1", "m1", False),
        ("reminder:action_item_due:action:2:before:2026-04-07:to:m2", "m2", False)]
    async with ruow() as u:  # m2 finishes theirs
        action = await u.agenda.action(2)
        await u.agenda.save_action(ActionItem(**{**action.__dict__, "status": ActionStatus.DONE,
                                                 "closed_at": clock.now()}))
        await u.commit()
    clock.set(utc(2026, 4, 8, 7, 0))  # the working day after the due date
    await service.sweep()
    after = await queued(ruow, "reminder:action_item_due")
    new = sorted({r.delivery_key for r in after} - {r.delivery_key for r in before})
    assert new == ["reminder:action_item_due:action:1:overdue:2026-04-07:to:m1"]
    overdue_rows = {r.subject: r for r in await reminder_rows(ruow, Rule.ACTION_ITEM_DUE)
                    if r.detail["overdue"]}
    assert (overdue_rows["action:1"].status, overdue_rows["action:2"].status) == ("sent", "dropped")
    assert overdue_rows["action:2"].reason == "closed"


async def test_channel_rules_submission_notice_and_minutes_fire_once(ruow, clock, service):
    [coming, past] = await seed(ruow, meetings=[
        Meeting(None, date(2026, 4, 16), notice_published_at=utc(2026, 3, 30, 4, 0)),
        Meeting(None, date(2026, 3, 19), minutes_status="utkast")])
    clock.set(utc(2026, 3, 30, 7, 0))
    for _ in range(3):
        await service.sweep()
    channel = [(r.delivery_key, r.activity["kind"]) for r in await queued(ruow)
               if r.target == CHANNEL.conversation_id]
    assert channel == [
        (f"reminder:minutes_awaiting_approval:meeting:{past.id}:2026-03-19", "minutes_awaiting_approval"),
        (f"reminder:notice_published:meeting:{coming.id}:2026-04-16", "notice_published"),
        (f"reminder:submission_deadline:meeting:{coming.id}:2026-04-16", "submission_deadline")]


async def test_a_long_waiting_case_reminds_the_leader_once(ruow, clock, service):
    await seed(ruow, cases=[case(1, utc(2026, 2, 27, 12)), case(2, utc(2026, 3, 20, 12))])
    clock.set(utc(2026, 3, 30, 7, 0))
    await service.sweep()
    await service.sweep()
    rows = await queued(ruow, "reminder:case_waiting")
    assert [(r.delivery_key, r.target) for r in rows] == [("reminder:case_waiting:case:1:30d:to:leader", "leader")]


# --- never lost, never doubled ----------------------------------------------------------------------------------


async def test_a_restart_across_the_due_time_sends_exactly_one_copy(ruow, clock, service):
    await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16))])
    clock.set(utc(2026, 4, 15, 9, 0))
    await service.sweep()  # planned, not yet due; then the process stops
    clock.set(utc(2026, 4, 15, 14, 0))  # back up two hours after the due time, before the meeting
    restarted = ReminderService(ruow, clock, OSLO, FakeMessages())
    await restarted.sweep()
    await restarted.sweep()
    await service.sweep()
    rows = await queued(ruow, "reminder:meeting_tomorrow")
    assert len([r for r in rows if r.target == CHANNEL.conversation_id]) == 1
    assert len(rows) == len({r.delivery_key for r in rows}) == 6  # channel + leader, secretary, m1, m2, m3


async def test_a_reminder_found_long_after_its_moment_is_dropped_with_the_reason_recorded(ruow, clock, service):
    [meeting] = await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16))], actions=[
        ActionItem(None, 1, None, "Notat", "m1", "Medlem 1", date(2026, 4, 14))])
    clock.set(utc(2026, 3, 27, 8, 0))
    await service.sweep()  # everything planned, nothing due
    clock.set(utc(2026, 4, 16, 8, 0))  # down from 27 March until the meeting had started
    await service.sweep()
    rows = {(r.rule, r.subject, r.detail.get("overdue")): r for r in await reminder_rows(ruow)}
    tomorrow = rows[(Rule.MEETING_TOMORROW, f"meeting:{meeting.id}", None)]
    assert (tomorrow.status, tomorrow.reason, tomorrow.decided_at) == ("dropped", "obsolete", clock.now())
    before = rows[(Rule.ACTION_ITEM_DUE, "action:1", False)]
    assert (before.status, before.reason) == ("dropped", "obsolete")
    overdue = rows[(Rule.ACTION_ITEM_DUE, "action:1", True)]
    assert overdue.status == "sent"  # still useful: the action is still open and overdue
    assert [r.delivery_key for r in await queued(ruow, "reminder:meeting_tomorrow")] == []
    assert [r.delivery_key for r in await queued(ruow, "reminder:action_item_due")] == [
        "reminder:action_item_due:action:1:overdue:2026-04-14:to:m1"]


async def test_a_moved_or_cancelled_meeting_drops_its_planned_reminder(ruow, clock, service):
    [meeting] = await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16))])
    await service.plan()
    async with ruow() as u:
        await u.meetings.save(Meeting(**{**meeting.__dict__, "date": date(2026, 4, 23)}))
        await u.commit()
    clock.set(utc(2026, 4, 15, 10, 0))
    await service.sweep()
    rows = {r.delivery_key: r for r in await reminder_rows(ruow, Rule.MEETING_TOMORROW)}
    assert rows[f"reminder:meeting_tomorrow:meeting:{meeting.id}:2026-04-16"].reason == "moved"
    assert rows[f"reminder:meeting_tomorrow:meeting:{meeting.id}:2026-04-23"].status == "planned"


async def test_two_processes_on_one_database_send_each_reminder_once(ruow, engine, second_engine, clock):
    await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16)), Meeting(None, date(2026, 3, 19),
                                                                           minutes_status="utkast")],
               actions=[ActionItem(None, 1, None, f"Punkt {n}", f"m{n}", f"Medlem {n}", date(2026, 4, 7))
                        for n in (1, 2, 3)],
               cases=[case(n, utc(2026, 2, 1, 12)) for n in range(1, 6)])
    first = ReminderService(ruow, clock, OSLO, FakeMessages())
    second = ReminderService(factory(second_engine), clock, OSLO, FakeMessages())
    clock.set(utc(2026, 4, 15, 10, 0))
    await asyncio.gather(first.plan(), second.plan())
    results = await asyncio.gather(first.send_due(), second.send_due(), first.send_due(), second.send_due())
    rows = await reminder_rows(ruow)
    decided = [r for r in rows if r.status != "planned"]
    assert sum(s for s, _ in results) == len([r for r in rows if r.status == "sent"]) > 0
    assert sum(d for _, d in results) == len([r for r in rows if r.status == "dropped"])
    messages = await queued(ruow)
    assert len(messages) == len({m.delivery_key for m in messages}) == sum(r.sent_count for r in decided)


# --- settings -----------------------------------------------------------------------------------------------------


async def test_a_rule_switched_off_sends_nothing_and_only_the_leader_may_switch(ruow, clock, service):
    await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16))])
    await service.plan()
    with pytest.raises(NotAllowed):
        await service.update_settings(SECRETARY, {"meeting_tomorrow": {"enabled": False}})
    settings = await service.update_settings(LEADER, {"meeting_tomorrow": {"enabled": False}})
    assert not settings.enabled(Rule.MEETING_TOMORROW)
    assert not (await service.settings()).enabled(Rule.MEETING_TOMORROW)
    clock.set(utc(2026, 4, 15, 10, 0))
    await service.sweep()
    assert await queued(ruow, "reminder:meeting_tomorrow") == []
    [row] = await reminder_rows(ruow, Rule.MEETING_TOMORROW)
    assert (row.status, row.reason) == ("dropped", "disabled")
    # switched on again with another time: planned anew (new date key only if the meeting moved) — here it is
    # already decided, so nothing more is sent for this meeting
    await service.update_settings(LEADER, {"meeting_tomorrow": {"enabled": True}})
    await service.sweep()
    assert await queued(ruow, "reminder:meeting_tomorrow") == []


async def test_a_changed_time_moves_a_planned_reminder(ruow, clock, service):
    await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16))])
    await service.plan()
    await service.update_settings(LEADER, {"meeting_tomorrow": {"at": "15:00"}})
    await service.plan()
    [row] = await reminder_rows(ruow, Rule.MEETING_TOMORROW)
    assert row.due_at == utc(2026, 4, 15, 13, 0)


async def test_vote_closing_delegates_to_the_vote_service_with_the_hours_and_respects_the_switch(ruow, clock):
    await seed(ruow)
    votes = FakeVotes()
    service = ReminderService(ruow, clock, OSLO, FakeMessages(), votes)
    await service.update_settings(LEADER, {"vote_closing": {"offset": 12}})
    await service.sweep()
    await service.update_settings(LEADER, {"vote_closing": {"enabled": False}})
    await service.sweep()
    assert votes.calls == [12]


# --- the weekly digest --------------------------------------------------------------------------------------------


async def test_the_weekly_digest_goes_to_the_leader_once_with_queue_age_deadlines_and_overdue_items(
        ruow, clock, service):
    await seed(ruow, meetings=[Meeting(None, date(2026, 4, 16)), Meeting(None, date(2026, 5, 21))],
               actions=[ActionItem(None, 1, None, "Sent ute", "m1", "Medlem 1", date(2026, 3, 26)),
                        ActionItem(None, 1, None, "Snart", "m2", "Medlem 2", date(2026, 4, 10))],
               cases=[case(1, utc(2026, 3, 20, 12)), case(2, utc(2026, 2, 28, 12))])
    clock.set(utc(2026, 3, 30, 5, 59))
    await service.sweep()
    assert await queued(ruow, "reminder:weekly_digest") == []
    clock.set(utc(2026, 3, 30, 6, 0))  # Monday 08:00 CEST
    await service.sweep()
    await service.sweep()
    [digest] = await queued(ruow, "reminder:weekly_digest")
    assert (digest.delivery_key, digest.target) == ("reminder:weekly_digest:digest:2026-W14:weekly:to:leader",
                                                    "leader")
    assert digest.activity == {"kind": "digest", "week": "2026-W14", "open_cases": 2, "oldest": 30,
                               "deadlines": [["2026-04-02", "submission"], ["2026-04-09", "notice"],
                                             ["2026-04-10", "action"]],
                               "overdue": ["Sent ute"]}
