"""What a user meets first: the channel welcome, the personal greeting, help and the fallback."""
from __future__ import annotations

import pytest

from cards.actions import CASE_FORM, CASE_MINE, HELP_SHOW
from cards.texts import t
from tests.cards_walk import actions
from tests.e2e.teams import (
    EMMA,
    INGRID,
    KARI,
    LISE,
    OLA,
    SIGRID,
    TEAM_ID,
    card_of,
    execute,
    install_in_team,
    install_personal,
    message,
    personal_conversation,
    sent_card,
    texts_in,
)


async def test_installing_in_a_team_posts_a_welcome_card_and_reads_the_roster(bot):
    status, _ = await bot.post(install_in_team(bot.service_url))
    assert status in (200, 201)
    posted = bot.connector.sent(TEAM_ID)
    assert len(posted) == 1
    assert "Velkommen til Kontorfaglig råd" in texts_in(sent_card(posted[0]))
    members = await bot.container.members.members()
    assert {m.name for m in members} >= {"Kari Nordmann", "Emma Innmelder"}
    kari = next(m for m in members if m.name == "Kari Nordmann")
    assert kari.is_leader  # COUNCIL_LEADERS bootstrap by UPN from the roster


async def test_a_second_install_event_does_not_post_a_second_welcome(bot):
    await bot.post(install_in_team(bot.service_url))
    await bot.post(install_in_team(bot.service_url))
    assert len(bot.connector.sent(TEAM_ID)) == 1


async def test_a_personal_chat_greets_the_user_by_name(bot):
    await bot.post(install_personal(bot.service_url, EMMA))
    [greeting] = bot.connector.sent(personal_conversation(EMMA)["id"])
    assert "Hei, Emma Innmelder!" in texts_in(sent_card(greeting))


async def test_help_shows_a_card_with_what_this_user_can_do(bot):
    status, _ = await bot.post(message(bot.service_url, EMMA, "hjelp"))
    assert status == 201
    [reply] = bot.connector.sent(personal_conversation(EMMA)["id"])
    text = texts_in(sent_card(reply))
    assert "Dette kan du gjøre" in text and "Ingen rolle i rådet" in text
    assert "Medlemmer og roller" not in text


async def test_the_leader_sees_leader_commands_in_help(bot):
    await bot.post(message(bot.service_url, KARI, "hjelp", channel=True))
    reply = bot.connector.sent()[-1]
    assert "roller" in texts_in(sent_card(reply))


async def test_help_in_english_when_the_client_is_english(bot):
    await bot.post(message(bot.service_url, EMMA, "help", locale="en-US"))
    [reply] = bot.connector.sent(personal_conversation(EMMA)["id"])
    assert "What you can do" in texts_in(sent_card(reply))


async def test_unrecognised_text_gets_a_friendly_pointer_to_help(bot):
    await bot.post(message(bot.service_url, EMMA, "hva er klokka?"))
    [reply] = bot.connector.sent(personal_conversation(EMMA)["id"])
    assert "hjelp" in reply["text"]


async def test_a_redelivered_message_is_answered_once(bot):
    activity = message(bot.service_url, EMMA, "hjelp")
    await bot.post(activity)
    await bot.post(activity)
    assert len(bot.connector.sent(personal_conversation(EMMA)["id"])) == 1


async def test_the_help_button_answers_the_invoke_with_a_card(bot):
    status, body = await bot.post(execute(bot.service_url, EMMA, "help.show"))
    assert status == 200
    assert "Dette kan du gjøre" in texts_in(card_of(body))


# --- the home card ----------------------------------------------------------------------------------------------


async def _roles(bot) -> None:
    await bot.post(install_in_team(bot.service_url))
    for user, data in ((SIGRID, {"roles": "secretary"}), (OLA, {"roles": "member", "unit": "Klinikk for kirurgi"}),
                       (INGRID, {"roles": "deputy", "deputy_for": OLA.aad}), (LISE, {"roles": "network"})):
        await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": user.aad, **data}))


HOME_GROUPS = {KARI: 5, SIGRID: 4, OLA: 3, INGRID: 3, LISE: 3, EMMA: 2}


@pytest.mark.parametrize("user", list(HOME_GROUPS), ids=lambda u: u.key)
async def test_every_home_button_opens_its_card_for_that_role_with_a_way_back(bot, user):
    await _roles(bot)
    await bot.post(message(bot.service_url, user, "hjelp"))
    home = sent_card(bot.connector.sent(personal_conversation(user)["id"])[-1])
    buttons = [a for a in actions(home) if a["type"] == "Action.Execute"]
    groups = [e for e in home["body"] if e.get("spacing") == "Medium"]

    assert len(groups) == HOME_GROUPS[user]
    assert {b["verb"] for b in buttons} <= bot.container.handler.actions.verbs()
    for button in buttons:
        _, body = await bot.post(execute(bot.service_url, user, button["verb"], button["data"]))
        opened = card_of(body)
        assert opened["body"][0]["text"] != t("error.title", "nb-NO"), (button["verb"], texts_in(opened))
        assert opened["actions"][-1]["title"] == "Tilbake til start"
        assert opened["actions"][-1]["verb"] == HELP_SHOW


async def test_the_first_message_in_a_personal_chat_is_the_home_card(bot):
    await bot.post(install_personal(bot.service_url, EMMA))
    [greeting] = bot.connector.sent(personal_conversation(EMMA)["id"])
    card = sent_card(greeting)

    assert "Hei, Emma Innmelder!" in texts_in(card)
    assert [a["verb"] for a in actions(card)][:2] == [CASE_FORM, CASE_MINE]
