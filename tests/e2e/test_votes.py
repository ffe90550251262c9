"""Hearings and votes end to end over HTTP: register, open, vote and change, refusals, the deadline passes,
the result is posted and recorded; a secret vote shows counts only."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone

from app import VOTES_JOB, _votes_sweep
from scheduler import kick
from tests.e2e.harness import running_bot
from tests.e2e.teams import (
    EMMA,
    INGRID,
    KARI,
    OLA,
    SIGRID,
    TEAM_ID,
    card_of,
    execute,
    install_in_team,
    nodes,
    sent_card,
    texts_in,
)


async def _council(bot) -> None:
    await bot.post(install_in_team(bot.service_url))
    for user, data in ((SIGRID, {"roles": "secretary"}), (OLA, {"roles": "member", "unit": "Klinikk for kirurgi"}),
                       (INGRID, {"roles": "member", "unit": "Medisinsk klinikk"})):
        await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": user.aad, **data}))


async def _hearing(bot) -> int:
    _, body = await bot.post(execute(bot.service_url, SIGRID, "hearing.save", {
        "title": "Høring – ny forskrift om pasientjournal", "sender": "Helsedirektoratet",
        "their_reference": "26/1234", "our_reference": "2026/04567", "received": "2026-11-20",
        "external_deadline": "2027-01-29", "links": "https://www.helsedirektoratet.no/horing",
        "owner": SIGRID.aad, "draft_text": "Rådet støtter forslaget."}))
    assert "Høring – ny forskrift om pasientjournal" in texts_in(card_of(body))
    [line] = await bot.container.hearings.register_view(await bot.member(SIGRID))
    assert line.hearing.internal_deadline < date(2027, 1, 29)
    return line.hearing.id


async def _open(bot, hearing_id: int | None, secret: bool) -> int:
    _, body = await bot.post(execute(bot.service_url, KARI, "vote.open", {
        "hearing_id": str(hearing_id or ""), "question": "Skal rådet sende høringssvaret?",
        "proposal": "" if hearing_id else "Rådet slutter seg til forslaget.",
        "deadline_date": "2026-11-30", "deadline_time": "12:00", "secret": str(secret).lower(),
        "live_tally": "true", "quorum": "more_than_half", "majority": "simple"}))
    assert "Skal rådet sende høringssvaret?" in texts_in(card_of(body)), texts_in(card_of(body))
    [vote] = await bot.container.votes.open_votes()
    return vote.id


async def _cast(bot, user, vote_id: int, choice: str, comment: str = "") -> dict:
    status, body = await bot.post(execute(bot.service_url, user, "vote.cast", {
        "vote_id": str(vote_id), "choice": choice, f"comment_{vote_id}": comment}, channel=True))
    assert status == 200
    return card_of(body)


async def test_a_named_vote_on_a_hearing_response_runs_to_its_result(bot):
    await _council(bot)
    hearing_id = await _hearing(bot)
    vote_id = await _open(bot, hearing_id, secret=False)
    await bot.deliver()
    shared = next(a for a in bot.connector.sent(TEAM_ID) if "Skal rådet" in texts_in(sent_card(a)))
    refresh = sent_card(shared)["refresh"]
    assert refresh["action"]["verb"] == "vote.refresh" and set(refresh["userIds"]) == {OLA.teams_id, INGRID.teams_id}

    mine = await _cast(bot, OLA, vote_id, "uenig")
    assert "Du har stemt Uenig" in texts_in(mine)
    mine = await _cast(bot, OLA, vote_id, "enig")  # changes his mind
    assert "Du har stemt Enig" in texts_in(mine)
    refused = await _cast(bot, INGRID, vote_id, "enig_med_merknader")
    assert "Skriv merknaden din" in texts_in(refused) or "merknad" in texts_in(refused).lower()
    await _cast(bot, INGRID, vote_id, "enig_med_merknader", "Presiser kapittel 3.")
    outsider = await _cast(bot, EMMA, vote_id, "uenig")
    assert "Du har ikke stemmerett i denne avstemningen" in texts_in(outsider)

    status, body = await bot.post(execute(bot.service_url, OLA, "vote.refresh", {"vote_id": str(vote_id)},
                                          channel=True))
    assert "Du har stemt Enig" in texts_in(card_of(body))
    await bot.deliver()
    updates = [r for r in bot.connector.requests if r.kind == "update"]
    assert updates and "2 av 2 har stemt" in texts_in(updates[-1].body)

    bot.clock.set(datetime(2026, 11, 30, 11, 1, tzinfo=timezone.utc))
    await _votes_sweep(bot.container)
    await _votes_sweep(bot.container)  # idempotent
    await bot.deliver()
    results = [a for a in bot.connector.sent(TEAM_ID) if a.get("summary", "").startswith("Resultat av")]
    assert len(results) == 1 and "Vedtatt" in results[0]["summary"]
    result = texts_in(sent_card(results[0]))
    assert "Ola Hansen" in result and "Ingrid Berg" in result
    [line] = await bot.container.hearings.register_view(await bot.member(SIGRID), include_closed=True)
    assert line.hearing.status.value == "vedtatt"

    late = await _cast(bot, OLA, vote_id, "uenig")
    assert "Avstemningen er ikke åpen lenger." in texts_in(late)
    view = await bot.container.votes.view(await bot.member(KARI), vote_id)
    assert view.vote.outcome.value == "passed" and view.tally.voted == 2


async def test_a_vote_past_its_deadline_is_refused_before_the_sweep_closes_it(bot):
    await _council(bot)
    vote_id = await _open(bot, None, secret=False)
    bot.clock.set(datetime(2026, 11, 30, 11, 1, tzinfo=timezone.utc))
    late = await _cast(bot, OLA, vote_id, "enig")
    assert "frist" in texts_in(late).lower()
    view = await bot.container.votes.view(await bot.member(KARI), vote_id)
    assert view.tally.voted == 0


async def test_a_secret_vote_shows_counts_only(bot):
    await _council(bot)
    vote_id = await _open(bot, None, secret=True)
    await _cast(bot, OLA, vote_id, "uenig")
    await _cast(bot, INGRID, vote_id, "enig")
    await bot.deliver()
    bot.clock.set(datetime(2026, 11, 30, 11, 1, tzinfo=timezone.utc))
    await _votes_sweep(bot.container)
    await bot.deliver()
    everything = "\n".join(texts_in(sent_card(a)) for a in bot.connector.sent(TEAM_ID))
    everything += "\n".join(texts_in(r.body) for r in bot.connector.requests if r.kind == "update")
    assert "Ola Hansen" not in everything and "Ingrid Berg" not in everything
    assert "2 av 2 har stemt" in everything
    _, body = await bot.post(execute(bot.service_url, KARI, "vote.export", {"vote_id": str(vote_id)}))
    csv_url = next(n["url"] for n in nodes(card_of(body)) if n.get("type") == "Action.OpenUrl"
                   and "result.csv" in n.get("url", ""))
    from urllib.parse import urlsplit
    parts = urlsplit(csv_url)
    async with bot._session.get(f"{bot.url}{parts.path}?{parts.query}") as response:
        exported = (await response.read()).decode("utf-8-sig")
    assert response.status == 200 and "Ola" not in exported and "Ingrid" not in exported


async def test_a_closed_vote_is_recorded_in_the_next_meetings_minutes(bot):
    await _council(bot)
    vote_id = await _open(bot, None, secret=False)
    await _cast(bot, OLA, vote_id, "enig")
    await _cast(bot, INGRID, vote_id, "uenig")
    bot.clock.set(datetime(2026, 11, 30, 11, 1, tzinfo=timezone.utc))
    await _votes_sweep(bot.container)
    await bot.post(execute(bot.service_url, KARI, "meeting.add", {"date": "2026-12-08", "start": "09:00",
                                                                 "end": "11:00", "place": "Teams"}))
    [meeting] = await bot.container.meetings.upcoming()
    view = await bot.container.minutes.view(meeting.id)
    [closed] = view.votes
    assert closed.vote.id == vote_id
    from cards.record_models import minutes_model
    from cards.records_md import render_markdown
    markdown = render_markdown(minutes_model(view, __import__("zoneinfo").ZoneInfo("Europe/Oslo")))
    assert "Sirkulasjonsvedtak siden forrige møte" in markdown and "Skal rådet sende høringssvaret?" in markdown


async def _until(condition, seconds: float = 10.0) -> None:
    """Wait for something the running scheduler does (polling; the test itself calls no sweep)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)


async def test_with_the_scheduler_running_the_card_follows_the_votes_and_the_vote_closes_itself(database_url):
    """The production wiring: a cast wakes the outbox job, which redraws the card and sends the update; at the
    deadline the votes job closes the vote and the result is posted."""
    async with running_bot(database_url, start_scheduler=True) as bot:
        await _council(bot)
        vote_id = await _open(bot, None, secret=False)
        await _cast(bot, OLA, vote_id, "enig")
        await _cast(bot, INGRID, vote_id, "enig")

        def shown() -> str:
            updates = [r for r in bot.connector.requests if r.kind == "update" and 200 <= r.status < 300]
            return texts_in(updates[-1].body) if updates else ""

        await _until(lambda: "2 av 2 har stemt" in shown())
        assert "2 av 2 har stemt" in shown(), shown()

        def results() -> list[dict]:
            return [a for a in bot.connector.sent(TEAM_ID) if a.get("summary", "").startswith("Resultat av")]

        bot.clock.set(datetime(2026, 11, 30, 11, 1, tzinfo=timezone.utc))
        kick(bot.container.scheduler, VOTES_JOB)
        await _until(lambda: results() and "Avsluttet" in shown())
        assert len(results()) == 1 and "Vedtatt" in results()[0]["summary"]
        assert "Vedtatt" in shown() and "Slik stemte medlemmene" in shown()  # the channel card shows the result
