"""Meetings end to end: plan a year from the PASK export, the scheduler publishes the notice, forfall goes
to the deputy, minutes with an action item are approved at the next meeting, and the PDF says so."""
from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from app import _meetings_sweep
from tests.e2e.harness import running_bot
from tests.e2e.teams import (
    EMMA,
    KARI,
    LISE,
    OLA,
    SIGRID,
    TEAM_ID,
    card_of,
    execute,
    install_in_team,
    message,
    nodes,
    personal_conversation,
    sent_card,
    texts_in,
)
from tests.sample_data import PASK_ICS as ICS

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
async def bot(database_url):
    async with running_bot(database_url, pask_ics=str(ICS)) as harness:
        yield harness


def _inputs(card: dict) -> dict:
    """What Teams would send for a card's inputs: each input's current value (ShowCards included)."""
    return {n["id"]: n.get("value", "") for n in nodes(card) if str(n.get("type", "")).startswith("Input.")
            and "id" in n}


def _action(card: dict, verb: str) -> dict:
    found = [n for n in nodes(card) if n.get("verb") == verb]
    assert found, f"no {verb} button"
    return found[0]


async def _press(bot, user, card: dict, verb: str, **inputs) -> dict:
    data = {**_inputs(card), **_action(card, verb)["data"], **inputs}
    status, body = await bot.post(execute(bot.service_url, user, verb, data))
    assert status == 200
    return card_of(body)


async def _council(bot) -> None:
    await bot.post(install_in_team(bot.service_url))
    for user, data in ((SIGRID, {"roles": "secretary"}), (OLA, {"roles": "member", "unit": "Klinikk for kirurgi"}),
                       (LISE, {"roles": "deputy", "deputy_for": OLA.aad})):
        await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": user.aad, **data}))


async def test_a_year_planned_from_pask_runs_through_notice_absence_minutes_and_approval(bot):
    await _council(bot)
    await bot.post(message(bot.service_url, KARI, "hent PASK"))
    synced = texts_in(sent_card(bot.connector.sent(personal_conversation(KARI)["id"])[-1]))
    assert "21" in synced

    _, body = await bot.post(execute(bot.service_url, KARI, "meeting.plan", {"year": "2027"}))
    plan = card_of(body)
    assert "Møteplan 2027" in texts_in(plan)
    saved = await _press(bot, KARI, plan, "meeting.plan_save", place="Møterom Tønsberg")
    meetings = await bot.container.meetings.upcoming()
    assert len(meetings) == 11 and meetings[0].date.month == 1
    assert "Møterom Tønsberg" in texts_in(saved)
    january, february = meetings[0], meetings[1]

    # a case accepted for January
    await bot.post(execute(bot.service_url, EMMA, "case.submit", {
        "title": "Felles mal for fristbrudd", "description": "Ulik praksis.", "unit": "Medisinsk klinikk",
        "case_type": "beslutning", "meeting": "first", "submission_key": "k"}))
    async with bot.container.uow() as uow:
        [case] = await uow.cases.by_submitter(EMMA.aad)
    await bot.post(execute(bot.service_url, KARI, "case.triage", {
        "case_id": str(case.id), "version": str(case.version), "decision": "accept",
        "meeting_id": str(january.id), "final_type": "beslutning"}))

    # the scheduler publishes the notice on its date, from 07:00
    notice_day = january.notice_date(bot.container.meetings.rules)
    bot.clock.set(datetime.combine(notice_day, datetime.min.time(), OSLO).replace(hour=7, minute=5))
    await _meetings_sweep(bot.container)
    await bot.deliver()
    notice = next(sent_card(a) for a in bot.connector.sent(TEAM_ID) if "Innkalling" in a.get("summary", ""))
    text = texts_in(notice)
    assert "Godkjenning av innkalling og saksliste" in text and "Felles mal for fristbrudd" in text
    assert "Sak 01/27" in text and "Sak 04/27" in text
    await _meetings_sweep(bot.container)
    await bot.deliver()
    assert sum("Innkalling" in a.get("summary", "") for a in bot.connector.sent(TEAM_ID)) == 1  # only once

    # Ola reports absence from the notice card; his deputy Lise is invited
    absent = await _press(bot, OLA, notice, "attendance.absent")
    assert "Lise Vara" in texts_in(absent)
    await bot.deliver()
    invitation = texts_in(sent_card(bot.connector.sent(f"a:1:1-{LISE.teams_id}")[-1]))
    assert "Ola Hansen" in invitation

    # after the meeting the secretary writes the minutes
    bot.clock.set(datetime.combine(january.date, datetime.min.time(), OSLO).replace(hour=13))
    _, body = await bot.post(execute(bot.service_url, SIGRID, "minutes.show", {"meeting_id": str(january.id)}))
    minutes = card_of(body)
    view = await bot.container.minutes.view(january.id)
    case_item = next(i for i in view.agenda.items if i.case_id == case.id)
    other = next(i for i in view.agenda.items if i.kind.value == "any_other")
    minutes = await _press(bot, SIGRID, minutes, "minutes.record", item_id=str(case_item.id), **{
        f"outcome_{case_item.id}": "vedtatt", f"text_{case_item.id}": "Rådet vedtar felles mal for fristbrudd.",
        f"protocol_{case_item.id}": "Ola Hansen ønsket innføring etter sommeren."})
    minutes = await _press(bot, SIGRID, minutes, "minutes.action", item_id=str(case_item.id), **{
        f"what_{case_item.id}": "Lage malen", f"owner_{case_item.id}": OLA.aad,
        f"due_{case_item.id}": "2027-02-15"})
    warned = await _press(bot, SIGRID, minutes, "minutes.record", item_id=str(other.id), **{
        f"outcome_{other.id}": "vedtatt", f"text_{other.id}": "Neste møte flyttes."})
    assert "Vedtak under eventuelt – bør settes opp som egen sak neste møte" in texts_in(warned)
    await _press(bot, SIGRID, warned, "minutes.publish")
    await bot.deliver()
    assert any("Utkast til referat" in a.get("summary", "") for a in bot.connector.sent(TEAM_ID))
    notices = "\n".join(texts_in(sent_card(a)) for a in bot.connector.sent(personal_conversation(EMMA)["id"]))
    assert "vedtatt" in notices.lower()
    owner = texts_in(sent_card(bot.connector.sent(f"a:1:1-{OLA.teams_id}")[-1]))
    assert "Lage malen" in owner

    # approved under February's standing item: January is then locked
    feb_view = await bot.container.minutes.view(february.id)
    approve = next(i for i in feb_view.agenda.items if i.kind.value == "approve_minutes")
    bot.clock.set(datetime.combine(february.date, datetime.min.time(), OSLO).replace(hour=12))
    await bot.container.minutes.record_item(await bot.member(SIGRID), approve.id,
                                            __import__("council.minutes").minutes.Outcome.DECIDED,
                                            "Referatet fra januar ble godkjent.")
    assert (await bot.container.meetings.get(january.id)).minutes_locked
    _, body = await bot.post(execute(bot.service_url, SIGRID, "minutes.record", {
        "item_id": str(case_item.id), f"outcome_{case_item.id}": "vedtatt", f"text_{case_item.id}": "Endret"}))
    assert "Referatet er godkjent og låst" in texts_in(card_of(body))

    # the approved minutes as PDF, from the link on the card
    url = next(a["url"] for a in card_of(body)["actions"] if a["type"] == "Action.OpenUrl"
               and "minutes.pdf" in a["url"])
    parts = urlsplit(url)
    async with bot._session.get(f"{bot.url}{parts.path}?{parts.query}") as response:
        assert response.status == 200
        pdf = PdfReader(io.BytesIO(await response.read()))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Referat" in text and "Rådet vedtar felles mal for fristbrudd." in text
    assert "Lage malen" in text and "Ola Hansen" in text and "Godkjent" in text
    assert pdf.metadata.title.startswith("Referat fra møte i Kontorfaglig råd")


async def _meeting(bot, day: str = "2027-01-12") -> int:
    await _council(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "meeting.add", {
        "date": day, "start": "09:00", "end": "10:00", "place": "Teams"}))
    assert "lagt til" in texts_in(card_of(body)).lower()
    return (await bot.container.meetings.upcoming())[0].id


async def test_changes_after_the_notice_make_one_updated_notice_that_says_what_changed(bot):
    meeting_id = await _meeting(bot)
    await bot.post(execute(bot.service_url, KARI, "notice.publish", {"meeting_id": str(meeting_id)}))
    await bot.post(execute(bot.service_url, KARI, "agenda.add_standing", {
        "meeting_id": str(meeting_id), "standing_title": "Oppfølging fra PASK"}))
    await bot.post(execute(bot.service_url, KARI, "meeting.move", {
        "meeting_id": str(meeting_id), f"date_{meeting_id}": "2027-01-14", f"start_{meeting_id}": "10:00",
        f"end_{meeting_id}": "11:00"}))
    assert await bot.container.agenda.announce_changes() == 0  # still within the quiet period
    bot.clock.advance(minutes=6)
    assert await bot.container.agenda.announce_changes() == 1
    assert await bot.container.agenda.announce_changes() == 0
    await bot.deliver()
    [update] = [a for a in bot.connector.sent(TEAM_ID) if "Oppdatert innkalling" in a.get("summary", "")]
    text = texts_in(sent_card(update))
    assert "Oppfølging fra PASK" in text and "14. januar 2027" in text.replace("\\", "")
    assert any(r.kind == "update" for r in bot.connector.requests)  # the notice card itself is updated


async def test_the_leader_arranges_the_agenda_and_is_warned_when_it_runs_over_time(bot):
    meeting_id = await _meeting(bot)
    for title in ("Første tema", "Andre tema"):
        await bot.post(execute(bot.service_url, KARI, "agenda.add_standing", {
            "meeting_id": str(meeting_id), "standing_title": title}))
    view = await bot.container.agenda.view(meeting_id)
    second = next(i for i in view.items if i.title == "Andre tema")
    await bot.post(execute(bot.service_url, KARI, "agenda.move", {"item_id": str(second.id), "steps": "-1"}))
    titles = [i.title for i in (await bot.container.agenda.view(meeting_id)).items]
    assert titles.index("Andre tema") < titles.index("Første tema")
    assert titles[-1] == "Eventuelt" and titles[0] == "Godkjenning av innkalling og saksliste"
    _, body = await bot.post(execute(bot.service_url, KARI, "agenda.set", {
        "item_id": str(second.id), f"presenter_{second.id}": "Ola Hansen", f"minutes_{second.id}": "75"}))
    assert "75" in texts_in(card_of(body)) and "Ola Hansen" in texts_in(card_of(body))
    assert (await bot.container.agenda.view(meeting_id)).over_length
    _, body = await bot.post(execute(bot.service_url, OLA, "agenda.move", {"item_id": str(second.id),
                                                                          "steps": "1"}))
    assert "Bare leder og sekretær" in texts_in(card_of(body))


async def test_an_action_item_owner_updates_its_status_and_others_cannot(bot):
    meeting_id = await _meeting(bot)
    view = await bot.container.agenda.view(meeting_id)
    item = view.items[0]
    from datetime import date
    action = await bot.container.minutes.add_action(await bot.member(SIGRID), item.id, "Rydde i malene",
                                                    OLA.aad, date(2027, 2, 1))
    _, body = await bot.post(execute(bot.service_url, EMMA, "followup.status", {
        "action_id": str(action.id), f"status_{action.id}": "lukket"}))
    assert "ikke" in texts_in(card_of(body)).lower()
    _, body = await bot.post(execute(bot.service_url, OLA, "followup.status", {
        "action_id": str(action.id), f"status_{action.id}": "lukket"}))
    assert "Rydde i malene" not in texts_in(card_of(body))  # closed items leave the list
    assert await bot.container.minutes.follow_up() == []


async def test_the_plan_downloads_as_ics_and_the_minutes_card_offers_no_markdown(bot):
    meeting_id = await _meeting(bot)
    await bot.post(message(bot.service_url, KARI, "møteplan"))
    plan = sent_card(bot.connector.sent(personal_conversation(KARI)["id"])[-1])
    url = next(a["url"] for a in _all_actions(plan) if a["type"] == "Action.OpenUrl" and ".ics" in a["url"])
    parts = urlsplit(url)
    async with bot._session.get(f"{bot.url}{parts.path}?{parts.query}") as response:
        ics = (await response.read()).decode()
    assert "BEGIN:VEVENT" in ics and "DTSTART;TZID=Europe/Oslo:20270112T090000" in ics
    _, body = await bot.post(execute(bot.service_url, SIGRID, "minutes.show", {"meeting_id": str(meeting_id)}))
    downloads = [a for a in _all_actions(card_of(body)) if a["type"] == "Action.OpenUrl"]
    assert not any("minutes.md" in a["url"] or "Markdown" in a["title"] for a in downloads)
    url = next(a["url"] for a in downloads if "minutes.pdf" in a["url"])
    parts = urlsplit(url)
    async with bot._session.get(f"{bot.url}{parts.path}?{parts.query}") as response:
        assert response.status == 200 and (await response.read()).startswith(b"%PDF")
    async with bot._session.get(f"{bot.url}{parts.path}?{parts.query}x") as response:
        assert response.status == 403


def _all_actions(card: dict) -> list[dict]:
    return [n for n in nodes(card) if str(n.get("type", "")).startswith("Action.")]
