"""Theme meetings and reminders end to end over HTTP, with the clock advanced (no sleeping)."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.e2e.teams import (INGRID, KARI, OLA, SIGRID, TEAM_ID, User, card_of, execute, install_in_team,
                             personal_conversation, sent_card, texts_in)

NILS = User("nils", "Nils Nettverk", "nils.nettverk@siv-demo.no")
PER = User("per", "Per Olsen", "per.olsen@siv-demo.no")


async def _council(bot) -> None:
    for user in (NILS, PER):
        bot.connector.add_member(TEAM_ID, user.roster_entry())
    await bot.post(install_in_team(bot.service_url))
    roles = ((SIGRID, {"roles": "secretary"}), (OLA, {"roles": "member", "unit": "Klinikk for kirurgi"}),
             (INGRID, {"roles": "member", "unit": "Medisinsk klinikk"}), (NILS, {"roles": "network"}),
             (PER, {"roles": "network"}))
    for user, data in roles:
        await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": user.aad, **data}))


def _chat(user) -> str:
    return f"a:1:1-{user.teams_id}"


async def test_a_theme_meeting_is_planned_invitations_go_out_and_answers_update_cards_and_attendance(bot):
    await _council(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "themes.plan", {
        "topic": "Ny henvisningsflyt i DIPS", "date": "2027-02-17", "start": "13:00", "end": "15:00",
        "place": "Teams"}))
    assert "Ny henvisningsflyt i DIPS" in texts_in(card_of(body))
    await bot.deliver()
    for member in (NILS, PER):
        [invitation] = bot.connector.sent(_chat(member))
        assert "Ny henvisningsflyt i DIPS" in texts_in(sent_card(invitation))
    assert not bot.connector.sent(_chat(OLA))  # council members outside the network are not invited
    kari = next(m for m in await bot.container.members.members() if m.aad_object_id == KARI.aad)
    [(theme, _)] = await bot.container.themes.upcoming(kari)

    _, body = await bot.post(execute(bot.service_url, NILS, "themes.rsvp", {"theme_id": str(theme.id),
                                                                           "answer": "kommer"}))
    assert "Kommer" in texts_in(card_of(body))
    await bot.deliver()
    [update] = [r for r in bot.connector.requests if r.kind == "update" and r.conversation_id == _chat(NILS)]
    assert "Kommer" in texts_in(update.body)
    _, body = await bot.post(execute(bot.service_url, OLA, "themes.rsvp", {"theme_id": str(theme.id),
                                                                          "answer": "kommer"}))
    assert card_of(body)  # refused politely, nothing recorded

    _, body = await bot.post(execute(bot.service_url, KARI, "themes.attendance", {"theme_id": str(theme.id)}))
    attendance = texts_in(card_of(body))
    assert "Nils Nettverk" in attendance and "Per Olsen" in attendance and "Ola Hansen" not in attendance


async def test_a_vote_reminder_goes_only_to_those_who_have_not_voted_and_once_across_a_restart(bot):
    await _council(bot)
    await bot.post(execute(bot.service_url, KARI, "vote.open", {
        "question": "Skal vi bytte mal?", "proposal": "Rådet tar i bruk ny mal.", "deadline_date": "2026-12-01",
        "deadline_time": "12:00", "secret": "false", "live_tally": "true", "quorum": "more_than_half",
        "majority": "simple"}))
    [vote] = await bot.container.votes.open_votes()
    await bot.post(execute(bot.service_url, OLA, "vote.cast", {"vote_id": str(vote.id), "choice": "enig"},
                           channel=True))
    bot.clock.set(datetime(2026, 11, 30, 13, 0, tzinfo=timezone.utc))  # 24 h before the deadline has passed
    await bot.container.reminders.sweep()
    await bot.restart()  # a second process (or a restart) over the same due time
    await bot.container.reminders.sweep()
    await bot.deliver()
    reminders = [a for a in bot.connector.sent(_chat(INGRID)) if "Skal vi bytte mal?" in texts_in(sent_card(a))]
    assert len(reminders) == 1
    assert not [a for a in bot.connector.sent(personal_conversation(OLA)["id"]) + bot.connector.sent(_chat(OLA))
                if "Skal vi bytte mal?" in texts_in(sent_card(a))]
