"""Theme meetings of the leadership network through the real service on SQLite and PostgreSQL: planning sends
1:1 invitations to network members only, answers update the member's own card, one reminder to non-responders,
attendance, suggestions with the identity-number guard, the summary, cancelling; and the bot's handlers."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.actions import ActionContext
from bot.themes import ThemesFeature
from cards import actions as verbs
from cards import themes as theme_cards
from cards.texts import CATALOGUES, en_themes, nb_themes
from council.errors import Conflict, InvalidInput, NotAllowed
from council.forms import PiiWarning
from council.meetings import Meeting
from council.members import Member, Role
from council.outbox import Operation
from council.pask import PaskMeeting
from council.services.themes import ThemeService, invite_key
from council.themes import Rsvp, ThemeStatus
from storage.tables import audit_log, metadata, outbox
from storage.themes import theme_rsvps
from storage.uow import unit_of_work_factory
from tests.fakes.clock import ManualClock
from tests.unit.test_pii import make_id


def _ctx(verb: str, actor: Member, data: dict, locale: str) -> ActionContext:
    """What the action registry hands a handler: the data and its payload, parsed for the verb."""
    return ActionContext(None, actor, data, locale, verbs.PAYLOADS[verb].parse(data))

OSLO = ZoneInfo("Europe/Oslo")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 in Oslo
DAY = date(2026, 3, 18)  # a Wednesday
LEADER = Member("leader", "Lene Leder", roles=frozenset({Role.LEADER}))
SECRETARY = Member("secretary", "Siri Sekretær", roles=frozenset({Role.SECRETARY}))
COUNCIL_MEMBER = Member("council", "Rolf Rådsmedlem", roles=frozenset({Role.MEMBER}))
NETWORK = [Member(f"n{i}", name, roles=frozenset({Role.NETWORK}), locale=locale)
           for i, (name, locale) in enumerate([("Anne Aas", "nb-NO"), ("Bjørn Berg", "en-US"), ("Cecilie Dahl", None)])]


class FakeThemeMessages:
    def invitation(self, theme, answer, locale):
        return {"kind": "invitation", "theme": theme.id, "status": theme.status.value,
                "answer": answer.value if answer else None, "locale": locale}

    def reminder(self, theme, locale):
        return {"kind": "reminder", "theme": theme.id, "locale": locale}

    def summary(self, theme, locale):
        return {"kind": "summary", "theme": theme.id, "summary": theme.summary, "locale": locale}


@pytest.fixture
def themed(engine):
    return unit_of_work_factory(engine)


@pytest.fixture
def clock():
    return ManualClock(T0)


@pytest.fixture
def service(themed, clock):
    return ThemeService(themed, clock, OSLO, messages=FakeThemeMessages())


@pytest.fixture
async def seeded(themed):
    async with themed() as u:
        for person in (LEADER, SECRETARY, COUNCIL_MEMBER, *NETWORK):
            await u.members.save(person)
        await u.meetings.add(Meeting(None, date(2026, 3, 12), time(9), time(11)))  # a council meeting (Thursday)
        await u.commit()


async def rows(themed, table, *where, order=None):
    async with themed() as u:
        query = select(table).where(*where)
        return list(await u.session.execute(query.order_by(order if order is not None else table.c[0])))


async def theme_messages(themed, theme_id: int) -> dict:
    return {r.delivery_key: r for r in await rows(themed, outbox, outbox.c.delivery_key.startswith(
        f"theme:{theme_id}:"), order=outbox.c.id)}


async def plan(service, **changes):
    values = dict(topic="Arbeidsmiljø og nærvær", day=DAY, start=time(13), end=time(15),
                  place="https://teams.microsoft.com/l/meetup-join/abc")
    values.update(changes)
    return await service.plan(LEADER, values.pop("topic"), values.pop("day"), values.pop("start"),
                              values.pop("end"), values.pop("place"))


# --- planning ---------------------------------------------------------------------------------------------------------


async def test_planning_queues_one_personal_invitation_per_network_member_only(service, themed, seeded):
    theme = await plan(service)

    assert theme.id is not None and theme.status is ThemeStatus.PLANNED and theme.topic == "Arbeidsmiljø og nærvær"
    sent = await theme_messages(themed, theme.id)
    assert sorted(sent) == sorted(invite_key(theme.id, m.aad_object_id) for m in NETWORK)
    for member in NETWORK:
        row = sent[invite_key(theme.id, member.aad_object_id)]
        assert row.operation == Operation.SEND_PERSONAL.value and row.target == member.aad_object_id
        assert row.activity == {"kind": "invitation", "theme": theme.id, "status": "planlagt", "answer": None,
                                "locale": member.locale}
    audit = await rows(themed, audit_log, audit_log.c.entity == "theme")
    assert [(a.actor, a.action) for a in audit] == [("leader", "plan")]


@pytest.mark.parametrize("actor", [NETWORK[0], COUNCIL_MEMBER])
async def test_only_organisers_plan_and_propose(service, themed, seeded, actor):
    with pytest.raises(NotAllowed):
        await service.plan(actor, "Tema", DAY, time(13), time(15), "")
    with pytest.raises(NotAllowed):
        await service.propose(actor, 2026)
    assert await rows(themed, outbox) == []


@pytest.mark.parametrize(("day", "key"), [
    (date(2026, 3, 12), "themes.council_meeting_day"),
    (date(2026, 3, 21), "themes.not_a_working_day"),  # Saturday
    (date(2026, 4, 2), "themes.not_a_working_day"),  # Skjærtorsdag
    (date(2026, 3, 1), "themes.in_the_past"),
])
async def test_planning_refuses_council_days_non_working_days_and_the_past(service, seeded, day, key):
    with pytest.raises(InvalidInput) as caught:
        await plan(service, day=day)
    assert caught.value.key == key


async def test_planning_checks_topic_and_times(service, seeded):
    with pytest.raises(InvalidInput, match="themes.topic_required"):
        await plan(service, topic="  ")
    with pytest.raises(InvalidInput, match="themes.end_before_start"):
        await plan(service, start=time(15), end=time(13))


async def test_the_secretary_may_plan_too(service, themed, seeded):
    theme = await service.plan(SECRETARY, "Tema", DAY, time(13), time(15), "Møterom 3")
    assert len(await theme_messages(themed, theme.id)) == len(NETWORK)


async def test_proposals_avoid_council_and_pask_weeks_read_from_storage(service, themed, seeded):
    async with themed() as u:
        pask = [PaskMeeting(datetime(2026, m, 10, 8, tzinfo=UTC), datetime(2026, m, 10, 10, tzinfo=UTC), "PASK")
                for m in range(3, 13)]
        await u.pask.replace("manual", pask)
        await u.meetings.add(Meeting(None, date(2026, 9, 16), time(9), time(11)))
        await u.commit()

    proposed = await service.propose(LEADER, 2026, count=4)

    assert len(proposed) == 4 and proposed == sorted(proposed)
    busy = {d.isocalendar()[:2] for d in [date(2026, 3, 12), date(2026, 9, 16), *(p.start.date() for p in pask)]}
    for day in proposed:
        assert day.weekday() == 2 and day >= date(2026, 3, 2) and day.month != 7
        assert day.isocalendar()[:2] not in busy
    assert len({d.month for d in proposed}) == 4  # spread out


async def test_proposals_skip_weeks_that_already_hold_a_theme_meeting(service, seeded):
    first = await service.propose(LEADER, 2026, count=2)
    await plan(service, day=first[0])
    again = await service.propose(LEADER, 2026, count=2)
    assert first[0] not in again
    assert "above_max" not in await service.warnings(first[0])


# --- answers ----------------------------------------------------------------------------------------------------------


async def test_an_answer_is_stored_once_per_member_and_updates_that_members_card(service, themed, seeded):
    theme = await plan(service)
    anne = NETWORK[0]

    first = await service.rsvp(anne, theme.id, Rsvp.KOMMER)
    again = await service.rsvp(anne, theme.id, Rsvp.KOMMER)  # a redelivered invoke
    changed = await service.rsvp(anne, theme.id, Rsvp.USIKKER)

    assert (first.changed, again.changed, changed.changed) == (True, False, True)
    answers = await rows(themed, theme_rsvps, theme_rsvps.c.theme_id == theme.id)
    assert [(r.member, r.answer) for r in answers] == [("n0", "usikker")]
    updates = [r for r in (await theme_messages(themed, theme.id)).values() if r.operation == "update"]
    key = invite_key(theme.id, "n0")
    assert [(u.delivery_key, u.update_of, u.target, u.activity["answer"]) for u in updates] == [
        (f"{key}:v1", key, "n0", "kommer"), (f"{key}:v2", key, "n0", "usikker")]
    async with themed() as u:
        assert await u.themes.answers(theme.id) == {"n0": Rsvp.USIKKER}
    audit = await rows(themed, audit_log, audit_log.c.action == "rsvp")
    assert [(a.actor, a.after) for a in audit] == [("n0", {"answer": "kommer"}), ("n0", {"answer": "usikker"})]


async def test_only_network_members_answer(service, seeded):
    theme = await plan(service)
    for outsider in (LEADER, COUNCIL_MEMBER):
        with pytest.raises(NotAllowed):
            await service.rsvp(outsider, theme.id, Rsvp.KOMMER)


async def test_no_answers_after_the_day_or_once_cancelled(service, clock, seeded):
    theme = await plan(service)
    clock.set(datetime(2026, 3, 19, 8, tzinfo=UTC))
    with pytest.raises(Conflict):
        await service.rsvp(NETWORK[0], theme.id, Rsvp.KOMMER)
    clock.set(T0)
    await service.cancel(LEADER, theme.id)
    with pytest.raises(Conflict):
        await service.rsvp(NETWORK[0], theme.id, Rsvp.KOMMER)


# --- reminders and attendance -----------------------------------------------------------------------------------------


async def test_non_responders_are_reminded_once_a_few_days_before(service, themed, clock, seeded):
    theme = await plan(service)
    await service.rsvp(NETWORK[0], theme.id, Rsvp.KOMMER_IKKE)

    assert await service.remind_non_responders() == 0  # 16 days before: too early
    clock.set(datetime(2026, 3, 15, 8, tzinfo=UTC))  # 3 days before
    assert await service.remind_non_responders() == 2
    assert await service.remind_non_responders() == 0  # once
    await service.rsvp(NETWORK[1], theme.id, Rsvp.KOMMER)
    clock.advance(days=1)
    assert await service.remind_non_responders() == 0

    reminders = [r for k, r in (await theme_messages(themed, theme.id)).items() if ":remind:" in k]
    assert sorted((r.target, r.operation, r.activity["locale"]) for r in reminders) == [
        ("n1", "send_personal", "en-US"), ("n2", "send_personal", None)]


async def test_no_reminder_right_after_a_late_invitation(service, themed, clock, seeded):
    clock.set(datetime(2026, 3, 16, 8, tzinfo=UTC))
    await plan(service)
    assert await service.remind_non_responders() == 0
    clock.advance(hours=25)
    assert await service.remind_non_responders() == 3


async def test_the_attendance_list_names_every_answer_and_who_has_not_answered(service, seeded):
    theme = await plan(service)
    await service.rsvp(NETWORK[0], theme.id, Rsvp.KOMMER)
    await service.rsvp(NETWORK[1], theme.id, Rsvp.KOMMER_IKKE)

    view = await service.attendance(LEADER, theme.id)

    assert [(line.name, line.answer) for line in view.lines] == [
        ("Anne Aas", Rsvp.KOMMER), ("Bjørn Berg", Rsvp.KOMMER_IKKE), ("Cecilie Dahl", None)]
    assert [line.name for line in view.lines if line.answer is None] == ["Cecilie Dahl"]
    with pytest.raises(NotAllowed):
        await service.attendance(NETWORK[0], theme.id)


# --- suggestions ------------------------------------------------------------------------------------------------------


async def test_suggestions_warn_about_identity_numbers_first(service, themed, seeded):
    risky = f"Saken til pasient {make_id('010190')} viser behovet"
    warned = await service.suggest_topic(NETWORK[0], risky)
    assert isinstance(warned, PiiWarning) and warned.fields == ["text"]
    assert await service.suggestions(LEADER) == []

    kept = await service.suggest_topic(NETWORK[0], risky, pii_confirmed=True)
    plain = await service.suggest_topic(LEADER, "Digitale verktøy i kontortjenesten")

    assert kept.pii_confirmed and not plain.pii_confirmed
    listed = await service.suggestions(NETWORK[1])
    assert [(s.text, s.member_name) for s in listed] == [(risky, "Anne Aas"),
                                                         ("Digitale verktøy i kontortjenesten", "Lene Leder")]
    with pytest.raises(NotAllowed):
        await service.suggest_topic(COUNCIL_MEMBER, "Tema")
    with pytest.raises(InvalidInput):
        await service.suggest_topic(NETWORK[0], "   ")


async def test_planning_from_a_suggestion_marks_it_used(service, seeded):
    suggestion = await service.suggest_topic(NETWORK[0], "Arbeidsmiljø")
    theme = await service.plan(LEADER, "Arbeidsmiljø", DAY, time(13), time(15), "", (suggestion.id,))
    assert await service.suggestions(LEADER) == []
    assert [s.used_in for s in await service.suggestions(LEADER, include_used=True)] == [theme.id]


# --- after the meeting ------------------------------------------------------------------------------------------------


async def test_the_summary_goes_to_the_network_after_the_meeting_and_closes_the_cards(service, themed, clock, seeded):
    theme = await plan(service)
    await service.rsvp(NETWORK[0], theme.id, Rsvp.KOMMER)
    with pytest.raises(Conflict, match="themes.not_yet_held"):
        await service.post_summary(LEADER, theme.id, "Godt møte.")
    clock.set(datetime(2026, 3, 18, 15, tzinfo=UTC))
    with pytest.raises(NotAllowed):
        await service.post_summary(NETWORK[0], theme.id, "Godt møte.")

    held = await service.post_summary(LEADER, theme.id, "Godt møte. Neste gang: turnus.")

    assert held.status is ThemeStatus.HELD and held.summary == "Godt møte. Neste gang: turnus."
    sent = await theme_messages(themed, theme.id)
    summaries = sorted((r.target, r.operation, r.activity["summary"]) for k, r in sent.items() if ":summary:" in k)
    assert summaries == [(m.aad_object_id, "send_personal", held.summary) for m in NETWORK]
    closing = [r.activity for r in sent.values() if r.operation == "update" and r.activity["status"] == "holdt"]
    assert sorted((a["theme"], a["answer"] or "") for a in closing) == [(theme.id, ""), (theme.id, ""),
                                                                        (theme.id, "kommer")]
    with pytest.raises(Conflict):
        await service.post_summary(LEADER, theme.id, "Igjen")
    assert isinstance(await service.post_summary(LEADER, theme.id, f"fnr {make_id('010190')}"), PiiWarning)


async def test_cancelling_updates_every_invitation(service, themed, seeded):
    theme = await plan(service)
    cancelled = await service.cancel(LEADER, theme.id)
    assert cancelled.status is ThemeStatus.CANCELLED
    updates = [r for r in (await theme_messages(themed, theme.id)).values() if r.operation == "update"]
    assert sorted(u.target for u in updates) == ["n0", "n1", "n2"]
    assert {u.activity["status"] for u in updates} == {"avlyst"}
    assert await service.upcoming(NETWORK[0]) == []


async def test_upcoming_shows_the_members_own_answer(service, seeded):
    theme = await plan(service)
    await service.rsvp(NETWORK[2], theme.id, Rsvp.USIKKER)
    mine = await service.upcoming(NETWORK[2])
    assert [(t.id, a) for t, a in mine] == [(theme.id, Rsvp.USIKKER)]
    assert [(t.id, a) for t, a in await service.upcoming(LEADER)] == [(theme.id, None)]
    with pytest.raises(NotAllowed):
        await service.upcoming(COUNCIL_MEMBER)


# --- the bot's handlers (before wiring: the feature on the real service) ---------------------------------------------


@pytest.fixture
def texts(monkeypatch):
    for lang, module in (("nb", nb_themes), ("en", en_themes)):
        monkeypatch.setitem(CATALOGUES, lang, {**CATALOGUES[lang], **module.TEXTS})


def card_texts(payload) -> str:
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(payload)
    return "\n".join(found)


async def test_the_rsvp_invoke_answers_with_the_members_updated_invitation(themed, clock, seeded, texts):
    service = ThemeService(themed, clock, OSLO, messages=theme_cards.CardThemeMessages())
    feature = ThemesFeature(service)
    theme = await plan(service)

    reply = await feature.rsvp(_ctx(verbs.THEMES_RSVP, NETWORK[0], {"theme_id": str(theme.id), "answer": "kommer"},
                                             "nb-NO"))

    assert "Du har svart: Kommer" in card_texts(reply)
    update = (await theme_messages(themed, theme.id))[f"{invite_key(theme.id, 'n0')}:v1"]
    assert "Du har svart: Kommer" in card_texts(update.activity)
    english = await feature.rsvp(_ctx(verbs.THEMES_RSVP, NETWORK[1], {"theme_id": str(theme.id),
                                                                  "answer": "kommer_ikke"}, "en-US"))
    assert "Your answer: Not attending" in card_texts(english)


async def test_planning_through_the_feature_and_the_attendance_card(themed, clock, seeded, texts):
    service = ThemeService(themed, clock, OSLO, messages=theme_cards.CardThemeMessages())
    feature = ThemesFeature(service)

    form = await feature.propose(_ctx(verbs.THEMES_PROPOSE, LEADER, {"year": "2026"}, "nb-NO"))
    choices = next(e for e in form["body"] if e.get("id") == "date")["choices"]
    listed = await feature.plan(_ctx(verbs.THEMES_PLAN, LEADER, {
        "year": "2026", "date": choices[0]["value"], "topic": "Nærvær", "start": "13:00", "end": "15:00",
        "place": "Møterom 3"}, "nb-NO"))
    assert "Temamøtet «Nærvær» er planlagt" in card_texts(listed)
    refused = await feature.plan(_ctx(verbs.THEMES_PLAN, LEADER, {"year": "2026", "other_date": "2026-03-12",
                                                              "topic": "X"}, "nb-NO"))
    assert "Det er rådsmøte den dagen" in card_texts(refused)

    async with themed() as u:
        theme = (await u.themes.from_date(date(2026, 1, 1)))[0]
    await service.rsvp(NETWORK[0], theme.id, Rsvp.KOMMER)
    attendance = await feature.attendance(_ctx(verbs.THEMES_ATTENDANCE, LEADER, {"theme_id": str(theme.id)}, "nb-NO"))
    shown = card_texts(attendance)
    assert "**Kommer** (1)" in shown and "Anne Aas" in shown and "**Ikke svart** (2)" in shown
    assert "Bjørn Berg, Cecilie Dahl" in shown


async def test_suggesting_through_the_feature_warns_then_saves(themed, clock, seeded, texts):
    feature = ThemesFeature(ThemeService(themed, clock, OSLO, messages=theme_cards.CardThemeMessages()))
    risky = f"Pasient {make_id('010190')}"
    warned = await feature.suggest(_ctx(verbs.THEMES_SUGGEST, NETWORK[0], {"text": risky}, "nb-NO"))
    assert "fødselsnummer" in card_texts(warned)
    send = next(a for a in warned["actions"] if a["verb"] == theme_cards.THEMES_SUGGEST)
    assert send["data"] == {"pii_confirmed": "1"}
    saved = await feature.suggest(_ctx(verbs.THEMES_SUGGEST, NETWORK[0], {"text": risky, "pii_confirmed": "1"},
                                       "nb-NO"))
    assert "Forslaget er lagret" in card_texts(saved)


# --- schema -----------------------------------------------------------------------------------------------------------


async def test_migration_0006_matches_the_table_definitions(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    ours = {"theme_meetings", "theme_rsvps", "theme_suggestions"}

    def diff(connection):
        return compare_metadata(MigrationContext.configure(connection), metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    mentioned = [d for d in differences if ours & set(str(d).replace("'", " ").replace("(", " ").split())]
    assert mentioned == []
    assert ours <= set(metadata.tables)
