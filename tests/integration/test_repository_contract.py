"""The fake unit of work keeps the SQL repositories' promises: the same checks run on both (and on PostgreSQL).

Only what the services rely on is checked: ids, compare-and-set, orderings, what `save` leaves alone, and that a
transaction left without `commit` leaves nothing behind."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from council.agenda import AgendaItem, ItemKind
from council.cases import Case, CaseFilter, CaseStatus, CaseType
from council.conversations import ConversationKind, ConversationRef
from council.guests import Guest
from council.meetings import Meeting, MeetingStatus
from council.minutes import ActionItem, ActionStatus, Attendance, ItemRecord, Outcome
from council.outbox import Operation, OutboxMessage
from council.seats import SeatTerm
from council.topics import TopicsStatus
from storage.db import make_engine, migrate
from storage.uow import unit_of_work_factory
from tests.databases import POSTGRES_URL, require_postgres, reset_postgres
from tests.fakes.uow import FakeDatabase

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def uow(request, tmp_path):
    if request.param == "fake":
        yield FakeDatabase()
        return
    if request.param == "postgres":
        await require_postgres()
        await reset_postgres()
    engine = make_engine(POSTGRES_URL if request.param == "postgres" else f"sqlite+aiosqlite:///{tmp_path}/c.db")
    await migrate(engine)
    yield unit_of_work_factory(engine)
    await engine.dispose()


def a_case(key: str, number: int, at: datetime, status: CaseStatus = CaseStatus.SUBMITTED, year: int = 2026,
           submitter: str = "aad-emma") -> Case:
    return Case(None, year, number, f"Sak {key}", "Beskrivelse", "Medisinsk klinikk", CaseType.DROFTING, submitter,
                "Emma", at, key, status=status)


async def test_a_case_gets_an_id_and_reads_back_as_stored(uow):
    async with uow() as u:
        case = await u.cases.add(replace(a_case("k1", 1, T0), links=("https://a.no",), urgent=True))
        await u.commit()
    async with uow() as u:
        assert await u.cases.get(case.id) == case
        assert await u.cases.by_submission_key("k1") == case
        assert await u.cases.get(case.id + 1) is None
    assert case.id is not None and case.links == ("https://a.no",)


async def test_a_case_saved_against_a_stale_version_is_not_written(uow):
    async with uow() as u:
        case = await u.cases.add(a_case("k1", 1, T0))
        newer = replace(case, status=CaseStatus.DEFERRED, version=2)
        assert await u.cases.save(newer, 1) is True
        assert await u.cases.save(replace(case, status=CaseStatus.REJECTED, version=2), 1) is False
        assert (await u.cases.get(case.id)).status is CaseStatus.DEFERRED


async def test_case_lists_come_in_the_order_the_services_show_them(uow):
    async with uow() as u:
        old = await u.cases.add(a_case("k1", 1, T0))
        new = await u.cases.add(a_case("k2", 2, T0 + timedelta(days=1)))
        done = await u.cases.add(a_case("k3", 3, T0 - timedelta(days=1), CaseStatus.WITHDRAWN))
        last_year = await u.cases.add(a_case("k4", 9, T0 - timedelta(days=400), year=2025))
        assert [c.id for c in await u.cases.with_status(frozenset({CaseStatus.SUBMITTED}))] == [last_year.id, old.id,
                                                                                               new.id]
        assert [c.id for c in await u.cases.by_submitter("aad-emma")] == [new.id, old.id, done.id, last_year.id]
        assert [c.id for c in await u.cases.search(CaseFilter())] == [done.id, new.id, old.id, last_year.id]
        assert [c.id for c in await u.cases.search(CaseFilter(year=2026, status=CaseStatus.SUBMITTED))] == [new.id,
                                                                                                          old.id]


async def test_a_cases_topics_and_deviation_number_read_back_in_the_order_they_were_set(uow):
    tagged = replace(a_case("k1", 1, T0), topics=("NPR-validering", "Avvik", "DIPS"), deviation_ref="2026-4711",
                     topics_status=TopicsStatus.CHOSEN)
    async with uow() as u:
        case = await u.cases.add(tagged)
        plain = await u.cases.add(a_case("k2", 2, T0 + timedelta(days=1)))
        await u.commit()
    async with uow() as u:
        assert await u.cases.get(case.id) == case
        assert case.topics == ("NPR-validering", "Avvik", "DIPS") and case.deviation_ref == "2026-4711"
        assert case.topics_status is TopicsStatus.CHOSEN
        assert (await u.cases.by_submission_key("k1")).topics == case.topics
        assert (await u.cases.get(plain.id)).topics == () and plain.deviation_ref is None
        listed = {c.id: c.topics for c in await u.cases.with_status(frozenset({CaseStatus.SUBMITTED}))}
        assert listed == {case.id: case.topics, plain.id: ()}
        assert {c.id: c.topics for c in await u.cases.by_submitter("aad-emma")} == listed
        assert {c.id: c.topics for c in await u.cases.search(CaseFilter())} == listed


async def test_saving_a_case_replaces_its_topics_and_a_stale_save_leaves_them(uow):
    async with uow() as u:
        case = await u.cases.add(replace(a_case("k1", 1, T0), topics=("Fristbrudd", "DIPS")))
        await u.commit()
    confirmed = replace(case, topics=("DIPS", "Avvik"), topics_status=TopicsStatus.CONFIRMED, version=2)
    async with uow() as u:
        assert await u.cases.save(confirmed, 1) is True
        assert await u.cases.save(replace(case, topics=("Public 360",), version=2), 1) is False
        await u.commit()
    async with uow() as u:
        assert await u.cases.get(case.id) == confirmed
        emptied = replace(confirmed, topics=(), version=3)
        assert await u.cases.save(emptied, 2) is True
        await u.commit()
    async with uow() as u:
        assert (await u.cases.get(case.id)).topics == ()


async def test_what_is_not_committed_is_gone(uow):
    async with uow() as u:
        await u.cases.add(a_case("k1", 1, T0))
        assert await u.counters.next("case:2026") == 1
    async with uow() as u:
        assert await u.cases.by_submission_key("k1") is None
        assert await u.counters.next("case:2026") == 1


async def test_counters_advance_by_the_step_asked_for(uow):
    async with uow() as u:
        assert await u.counters.next("agenda:2027", 3) == 3
        assert await u.counters.next("agenda:2027") == 4
        assert await u.counters.next("agenda:2028") == 1


async def test_saving_a_meeting_keeps_its_outlook_event_and_lists_keep_date_order(uow):
    async with uow() as u:
        later = await u.meetings.add(Meeting(None, date(2027, 2, 11), time(9), time(11), "Rom 1"))
        first = await u.meetings.add(Meeting(None, date(2027, 1, 14), time(9), time(11), "Rom 1",
                                             calendar_event_id="ignored"))
        cancelled = await u.meetings.add(Meeting(None, date(2027, 1, 20), status=MeetingStatus.CANCELLED))
        await u.meetings.set_calendar_event(first.id, "event-1", 1)
        await u.meetings.save(replace(first, place="Rom 2", calendar_event_id=None))
        stored = await u.meetings.get(first.id)
        assert (stored.place, stored.calendar_event_id, stored.calendar_synced_version) == ("Rom 2", "event-1", 1)
        assert first.calendar_event_id is None
        assert [m.id for m in await u.meetings.from_date(date(2027, 1, 1))] == [first.id, later.id]
        assert [m.id for m in await u.meetings.between(date(2027, 1, 1), date(2027, 1, 31))] == [first.id,
                                                                                                  cancelled.id]
        assert (await u.meetings.previous(later)).id == first.id
        assert await u.meetings.previous(first) is None
        assert [m.id for m in await u.meetings.needing_calendar_sync(date(2027, 1, 1))] == [later.id]


async def test_storing_the_notice_snapshot_clears_the_pending_change(uow):
    async with uow() as u:
        meeting = await u.meetings.add(Meeting(None, date(2027, 1, 14)))
        await u.meetings.save(replace(meeting, notice_published_at=T0, notice_changed_at=T0))
        await u.meetings.set_snapshot(meeting.id, {"items": [{"id": 1, "title": "A", "number": 1}]})
        assert await u.meetings.snapshot(meeting.id) == {"items": [{"id": 1, "title": "A", "number": 1}]}
        assert (await u.meetings.get(meeting.id)).notice_changed_at is None


async def test_saving_an_agenda_item_keeps_its_kind_and_case_and_items_come_by_position(uow):
    async with uow() as u:
        meeting = await u.meetings.add(Meeting(None, date(2027, 1, 14)))
        second = await u.agenda.add(AgendaItem(None, meeting.id, 1, ItemKind.CASE, "Sak", case_id=7,
                                               case_type=CaseType.BESLUTNING))
        first = await u.agenda.add(AgendaItem(None, meeting.id, 0, ItemKind.APPROVE_NOTICE, "Godkjenning",
                                              number_format="{nr}"))
        await u.agenda.save(replace(second, kind=ItemKind.STANDING, case_id=None, presenter="Kari", minutes=20,
                                    number=3, year=2027))
        stored = await u.agenda.get(second.id)
        assert (stored.kind, stored.case_id, stored.presenter, stored.minutes, stored.label()) == (
            ItemKind.CASE, 7, "Kari", 20, "Sak 03/27")
        assert first.number_format == "Sak {nr:02d}/{yy}"
        assert [i.id for i in await u.agenda.items(meeting.id)] == [first.id, second.id]
        assert [i.id for i in await u.agenda.by_case(7)] == [second.id]


async def test_records_belong_to_their_items_and_go_with_them(uow):
    async with uow() as u:
        meeting = await u.meetings.add(Meeting(None, date(2027, 1, 14)))
        item = await u.agenda.add(AgendaItem(None, meeting.id, 0, ItemKind.CASE, "Sak"))
        other = await u.agenda.add(AgendaItem(None, meeting.id, 1, ItemKind.ANY_OTHER, "Eventuelt"))
        record = ItemRecord(item.id, Outcome.DECIDED, "Vedtatt", "Ola", ("Protokoll",))
        await u.agenda.save_record(record)
        assert await u.agenda.records(meeting.id) == {item.id: record}
        await u.agenda.remove(item.id)
        assert await u.agenda.records(meeting.id) == {}
        assert [i.id for i in await u.agenda.items(meeting.id)] == [other.id]


async def test_attendance_is_one_answer_per_member_the_latest(uow):
    async with uow() as u:
        meeting = await u.meetings.add(Meeting(None, date(2027, 1, 14)))
        await u.agenda.set_attendance(meeting.id, "aad-ola", Attendance.ABSENT, T0, "aad-lise")
        await u.agenda.set_attendance(meeting.id, "aad-ola", Attendance.PRESENT, T0)
        await u.agenda.set_attendance(meeting.id, "aad-kari", Attendance.ABSENT, T0)
        assert await u.agenda.attendance(meeting.id) == {"aad-ola": (Attendance.PRESENT, None),
                                                        "aad-kari": (Attendance.ABSENT, None)}


async def test_action_items_are_listed_by_due_date_and_open_ones_only_on_request(uow):
    async with uow() as u:
        meeting = await u.meetings.add(Meeting(None, date(2027, 1, 14)))
        late = await u.agenda.add_action(ActionItem(None, meeting.id, None, "B", "aad-ola", "Ola", date(2027, 3, 1)))
        soon = await u.agenda.add_action(ActionItem(None, meeting.id, None, "A", "aad-ola", "Ola", date(2027, 2, 1)))
        await u.agenda.save_action(replace(soon, status=ActionStatus.DONE, closed_at=T0, owner="ignored"))
        assert (await u.agenda.action(soon.id)).owner == "aad-ola"
        assert [a.id for a in await u.agenda.actions()] == [soon.id, late.id]
        assert [a.id for a in await u.agenda.actions(open_only=True)] == [late.id]
        assert await u.agenda.actions(meeting_id=meeting.id + 1) == []


def a_message(key: str, operation: Operation = Operation.SEND, update_of: str | None = None) -> OutboxMessage:
    return OutboxMessage(key, operation, "19:channel", {"text": key}, T0, T0, update_of=update_of)


async def test_the_outbox_takes_a_delivery_key_once_and_lists_originals_without_updates(uow):
    async with uow() as u:
        assert await u.outbox.add(a_message("case:1:triage:a")) is True
        assert await u.outbox.add(a_message("case:1:triage:a")) is False
        await u.outbox.add(a_message("case:1:triage:b"))
        await u.outbox.add(a_message("case:1:triage:a:v2", Operation.UPDATE, "case:1:triage:a"))
        await u.outbox.add(a_message("case:10:triage:a"))
        assert await u.outbox.originals("case:1:") == [("case:1:triage:a", "19:channel"),
                                                       ("case:1:triage:b", "19:channel")]
        assert await u.outbox.has_pending("case:1:triage:a") is True
        await u.outbox.supersede_pending("case:1:triage:a")
        assert await u.outbox.has_pending("case:1:triage:a") is False
        assert (await u.outbox.get_by_key("case:1:triage:b")).activity == {"text": "case:1:triage:b"}


def a_ref(conversation_id: str, kind: ConversationKind, team: str | None = None, user: str | None = None):
    return ConversationRef(conversation_id, kind, "http://127.0.0.1/", "tenant", "28:bot", team_id=team,
                           channel_id=conversation_id if team else None, user_aad_id=user)


async def test_the_council_channel_is_the_general_channel_seen_last(uow):
    async with uow() as u:
        assert await u.conversations.save(a_ref("19:old", ConversationKind.CHANNEL, team="19:old"), T0) is True
        assert await u.conversations.save(a_ref("19:old", ConversationKind.CHANNEL, team="19:old"), T0) is False
        await u.conversations.save(a_ref("19:new", ConversationKind.CHANNEL, team="19:new"), T0 + timedelta(hours=1))
        await u.conversations.save(a_ref("19:side", ConversationKind.CHANNEL, team="19:other"),
                                   T0 + timedelta(hours=2))
        await u.conversations.save(a_ref("a:kari", ConversationKind.PERSONAL, user="aad-kari"), T0)
        assert (await u.conversations.council_channel()).conversation_id == "19:new"
        assert (await u.conversations.personal_for("aad-kari")).conversation_id == "a:kari"
        assert await u.conversations.personal_for("aad-ola") is None


UNITS = ("Medisinsk klinikk", "Klinikk for kirurgi", "E-helse")


async def a_decision(u, day: date, title: str, outcome: Outcome = Outcome.DECIDED, position: int = 1) -> AgendaItem:
    meeting = await u.meetings.add(Meeting(None, day, time(9), time(11), "Rom 1"))
    item = await u.agenda.add(AgendaItem(None, meeting.id, position, ItemKind.CASE, title, number=position,
                                         year=day.year))
    await u.agenda.save_record(ItemRecord(item.id, outcome, f"Vedtak om {title}"))
    return item


async def test_a_decision_reads_back_with_its_benefit_and_the_units_that_introduced_it(uow):
    from council.benefits import Benefit, BenefitCategory, Implementation, ImplementationStatus, Realised

    async with uow() as u:
        item = await a_decision(u, date(2027, 1, 14), "Felles mal")
        noted = await a_decision(u, date(2027, 1, 14), "Orientering", Outcome.NOTED, position=2)
        plain = await u.benefits.decision(item.id, UNITS)
        assert (plain.item_id, plain.title, plain.text, plain.meeting_date) == (item.id, "Felles mal",
                                                                                "Vedtak om Felles mal",
                                                                                date(2027, 1, 14))
        assert (plain.number, plain.year, plain.benefit, plain.implemented) == (1, 2027, None, 0)
        assert await u.benefits.decision(noted.id, UNITS) is None
        benefit = Benefit(item.id, "Færre feil", BenefitCategory.QUALITY, "aad-ola", "Ola Hansen", Realised.PARTLY,
                          "Tre klinikker", date(2027, 3, 1), True)
        await u.benefits.save_benefit(Benefit(item.id, uniform_practice=False), "aad-kari", T0)
        await u.benefits.save_benefit(benefit, "aad-kari", T0)
        for unit, status in ((UNITS[0], ImplementationStatus.IN_PROGRESS), (UNITS[0], ImplementationStatus.DONE),
                             (UNITS[1], ImplementationStatus.DONE), ("Nedlagt", ImplementationStatus.DONE)):
            await u.benefits.set_implementation(Implementation(item.id, unit, status, date(2027, 2, 1)), "aad-ola", T0)
        await u.commit()
    async with uow() as u:
        stored = await u.benefits.decision(item.id, UNITS)
        assert stored.benefit == benefit and stored.implemented == 2
        statuses = await u.benefits.implementation([item.id, noted.id])
        assert set(statuses) == {item.id}
        assert statuses[item.id][UNITS[0]] == Implementation(item.id, UNITS[0], ImplementationStatus.DONE,
                                                             date(2027, 2, 1))
        assert await u.benefits.implementation([]) == {}


async def test_open_uniform_decisions_come_newest_first_and_leave_once_every_unit_introduced_them(uow):
    from council.benefits import Benefit, Implementation, ImplementationStatus

    async with uow() as u:
        old = await a_decision(u, date(2027, 1, 14), "Gammel")
        new = await a_decision(u, date(2027, 3, 11), "Ny")
        done = await a_decision(u, date(2027, 2, 11), "Ferdig")
        plain = await a_decision(u, date(2027, 4, 8), "Ikke felles praksis")
        for item in (old, new, done):
            await u.benefits.save_benefit(Benefit(item.id, uniform_practice=True), "aad-kari", T0)
        await u.benefits.save_benefit(Benefit(plain.id, "Tid", None), "aad-kari", T0)
        for unit in UNITS:
            await u.benefits.set_implementation(Implementation(done.id, unit, ImplementationStatus.DONE), "x", T0)
        await u.commit()
    async with uow() as u:
        assert [d.item_id for d in await u.benefits.uniform_open(UNITS, 10)] == [new.id, old.id]
        assert [d.item_id for d in await u.benefits.uniform_open(UNITS, 1)] == [new.id]
        assert [d.item_id for d in await u.benefits.uniform_open(UNITS + ("Ny enhet",), 10)] == [new.id, done.id,
                                                                                                  old.id]


async def test_guests_get_ids_are_updated_in_place_and_removed_with_their_invitations(uow):
    async with uow() as u:
        first = await u.guests.add(Guest(None, "Åse Ås", "Superbruker DIPS"), "aad-kari", T0)
        second = await u.guests.add(Guest(None, "Berit Bruker", "Avdeling for kompetanse og utdanning", "b@siv.no"),
                                    "aad-kari", T0)
        await u.commit()
    assert first.id is not None and second.id > first.id
    async with uow() as u:
        assert await u.guests.all() == [first, second]  # by id; the service sorts by name
        await u.guests.save(replace(first, organisation="Superbruker Public 360"), "aad-kari", T0)
        await u.guests.save(Guest(999, "Ingen", "Ingen"), "aad-kari", T0)  # an unknown id writes nothing
        assert await u.guests.get(first.id) == replace(first, organisation="Superbruker Public 360")
        assert await u.guests.get(999) is None
        assert await u.guests.invite(11, first.id, "aad-kari", T0) is True
        assert await u.guests.invite(11, first.id, "aad-sigrid", T0 + timedelta(minutes=1)) is False
        assert await u.guests.invite(11, second.id, "aad-kari", T0 + timedelta(minutes=2)) is True
        assert await u.guests.invite(12, second.id, "aad-kari", T0) is True
        invited = await u.guests.for_items([11, 12, 13])
        assert {item: [g.id for g in found] for item, found in invited.items()} == {11: [first.id, second.id],
                                                                                   12: [second.id]}
        assert await u.guests.for_items([]) == {}
        assert await u.guests.uninvite(11, first.id) is True
        assert await u.guests.uninvite(11, first.id) is False
        await u.guests.remove(second.id)
        assert await u.guests.for_items([11, 12]) == {}
        assert [g.id for g in await u.guests.all()] == [first.id]
        await u.commit()
    async with uow() as u:
        assert [g.name for g in await u.guests.all()] == ["Åse Ås"]


async def test_a_seat_term_is_one_row_per_unit_overwritten(uow):
    async with uow() as u:
        await u.seats.save(SeatTerm("E-helse", "Direktør", date(2026, 1, 1), None), "aad-kari", T0)
        await u.seats.save(SeatTerm("E-helse", "Fagdirektør", None, date(2027, 12, 31)), "aad-kari", T0)
        await u.commit()
    async with uow() as u:
        assert await u.seats.terms() == {"E-helse": SeatTerm("E-helse", "Fagdirektør", None, date(2027, 12, 31))}
