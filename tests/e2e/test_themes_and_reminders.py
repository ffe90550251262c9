"""Theme meetings and reminders end to end over HTTP, with the clock advanced (no sleeping)."""
from __future__ import annotations

from datetime import datetime, timezone

from council.reminders import DEFAULTS, Rule
from tests.e2e.teams import (
    INGRID,
    KARI,
    OLA,
    SIGRID,
    TEAM_ID,
    User,
    card_of,
    execute,
    install_in_team,
    sent_card,
    texts_in,
)

NILS = User("nils", "Nils Nettverk", "nils.nettverk@siv-demo.no")
EMMA_LIKE = User("emma", "Emma Innmelder", "emma.innmelder@siv-demo.no")
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
    assert not [a for a in bot.connector.sent(_chat(OLA)) if "Skal vi bytte mal?" in texts_in(sent_card(a))]


async def test_over_two_months_each_reminder_rule_fires_once_to_the_right_people_in_norwegian(bot):
    """The clock walks from 26 November 2026 to 1 February 2027; the scheduler's sweeps run twice a day."""
    from datetime import date, timedelta

    from app import _meetings_sweep
    from council.minutes import Outcome

    await _council(bot)
    await bot.post(execute(bot.service_url, KARI, "meeting.add", {"date": "2027-01-12", "start": "09:00",
                                                                 "end": "11:00", "place": "Teams"}))
    [meeting] = await bot.container.meetings.upcoming()
    await bot.post(execute(bot.service_url, EMMA_LIKE, "case.submit", {
        "title": "Ventelister", "description": "Ulik praksis.", "unit": "Medisinsk klinikk",
        "case_type": "orientering", "meeting": "first", "submission_key": "w"}))
    sigrid = next(m for m in await bot.container.members.members() if m.aad_object_id == SIGRID.aad)
    first_item = (await bot.container.agenda.view(meeting.id)).items[0]
    await bot.container.minutes.add_action(sigrid, first_item.id, "Oppdatere malen", OLA.aad, date(2027, 1, 20))
    day = date(2026, 11, 26)
    while day <= date(2027, 2, 1):
        for hour in (9, 14):  # 10:00 and 15:00 Oslo time in winter
            bot.clock.set(datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.utc))
            if day == date(2027, 1, 11) and hour == 9:  # Ola reports absence the morning before the meeting
                await bot.post(execute(bot.service_url, OLA, "attendance.absent", {"meeting_id": str(meeting.id)}))
            if day == date(2027, 1, 12) and hour == 14:  # the secretary posts the draft minutes after the meeting
                await bot.container.minutes.record_item(sigrid, first_item.id, Outcome.DECIDED, "Godkjent.")
                await bot.container.minutes.publish_draft(sigrid, meeting.id)
            await _meetings_sweep(bot.container)  # publishes the notice on its date
            await bot.container.reminders.sweep()
        day += timedelta(days=1)
    await bot.deliver()

    channel = [a.get("summary", "") for a in bot.connector.sent(TEAM_ID)]
    assert sum("Fristen for å melde inn saker til møtet" in s for s in channel) == 1
    assert sum("Påminnelse: rådet har møte" in s for s in channel) == 1
    assert sum("er publisert. Meld forfall" in s for s in channel) == 1
    assert sum("venter på godkjenning" in s for s in channel) == 1
    ingrid = [a.get("summary", "") for a in bot.connector.sent(_chat(INGRID))]
    assert sum("Du har ikke meldt om du kommer" in s for s in ingrid) == 1
    ola = [a.get("summary", "") for a in bot.connector.sent(_chat(OLA))]
    assert not any("Du har ikke meldt om du kommer" in s for s in ola)  # he reported absence
    assert sum("«Oppdatere malen» har frist" in s for s in ola) == 1
    assert sum("gikk ut" in s for s in ola) == 1  # and once when it became overdue
    kari = [a.get("summary", "") for a in bot.connector.sent(_chat(KARI))]
    assert sum("har ventet i" in s for s in kari) == 1
    assert sum("Ukeoversikt" in s for s in kari) >= 9  # one digest a week, never two in a week
    assert len([s for s in kari if "Ukeoversikt" in s]) == len({s for s in kari if "Ukeoversikt" in s})


async def test_saving_reminder_settings_with_an_error_shows_it_in_red_and_changes_nothing(bot):
    await _council(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "reminders.save", {"offset_case_waiting": "mange"}))
    notices = [n for n in card_of(body)["body"] if n.get("type") == "Container"]

    [shown] = [block for n in notices for block in n["items"]]
    assert shown["text"] == "Ugyldig verdi for «case_waiting»." and shown["color"] == "Attention"
    assert (await bot.container.reminders.settings())[Rule.CASE_WAITING] == DEFAULTS[Rule.CASE_WAITING]
    _, body = await bot.post(execute(bot.service_url, KARI, "reminders.save", {"offset_case_waiting": "20"}))
    [saved] = [block for n in card_of(body)["body"] if n.get("type") == "Container" for block in n["items"]]
    assert saved["text"] == "Påminnelsene er lagret." and saved["color"] == "Good"
    assert (await bot.container.reminders.settings())[Rule.CASE_WAITING].offset == 20
