"""Members and roles: the leader assigns roles from the card or a dialog; checks happen on the server."""
from __future__ import annotations

from tests.e2e.teams import (
    EMMA,
    INGRID,
    KARI,
    OLA,
    card_of,
    execute,
    install_in_team,
    message,
    personal_conversation,
    texts_in,
)


async def _council(bot) -> None:
    await bot.post(install_in_team(bot.service_url))


async def test_the_leader_makes_someone_a_member_of_a_unit_from_the_card(bot):
    await _council(bot)
    status, body = await bot.post(execute(bot.service_url, KARI, "roles.assign", {
        "person": OLA.aad, "roles": "member", "unit": "Klinikk for kirurgi"}))
    assert status == 200
    assert "Rollene til Ola Hansen er lagret: Medlem (Klinikk for kirurgi)" in texts_in(card_of(body))
    ola = next(m for m in await bot.container.members.members() if m.name == "Ola Hansen")
    assert ola.unit == "Klinikk for kirurgi"
    async with bot.container.uow() as uow:
        [entry] = await uow.audit.for_entity("member", OLA.aad)
    assert entry.actor == KARI.aad and entry.action == "assign_roles"
    assert entry.before["roles"] == [] and entry.after["roles"] == ["member"]


async def test_a_non_leader_pressing_the_role_button_changes_nothing(bot):
    await _council(bot)
    status, body = await bot.post(execute(bot.service_url, EMMA, "roles.assign", {
        "person": EMMA.aad, "roles": "leader"}))
    assert status == 200
    assert "Bare lederen av rådet kan gjøre dette" in texts_in(card_of(body))
    emma = next(m for m in await bot.container.members.members() if m.name == "Emma Innmelder")
    assert not emma.roles


async def test_a_member_without_a_unit_is_refused_and_the_form_keeps_the_values(bot):
    await _council(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": OLA.aad, "roles": "member"}))
    card = card_of(body)
    assert "Et medlem må representere en enhet" in texts_in(card)
    person = next(e for e in card["body"] if e.get("id") == "person")
    assert person["value"] == OLA.aad


async def test_a_deputy_must_stand_in_for_a_member(bot):
    await _council(bot)
    await bot.post(execute(bot.service_url, KARI, "roles.assign", {
        "person": OLA.aad, "roles": "member", "unit": "Klinikk for kirurgi"}))
    _, body = await bot.post(execute(bot.service_url, KARI, "roles.assign", {
        "person": INGRID.aad, "roles": "deputy", "deputy_for": EMMA.aad}))
    assert "En vara må være vara for et medlem" in texts_in(card_of(body))
    _, body = await bot.post(execute(bot.service_url, KARI, "roles.assign", {
        "person": INGRID.aad, "roles": "deputy", "deputy_for": OLA.aad}))
    assert "Vara (vara for Ola Hansen)" in texts_in(card_of(body))


async def test_the_last_leader_cannot_remove_their_own_leader_role(bot):
    await _council(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": KARI.aad, "roles": ""}))
    assert "Rådet må ha minst én leder" in texts_in(card_of(body))
    kari = next(m for m in await bot.container.members.members() if m.name == "Kari Nordmann")
    assert kari.is_leader


async def test_the_roles_command_shows_the_card_to_the_leader_only(bot):
    await _council(bot)
    await bot.post(message(bot.service_url, EMMA, "roller"))
    [refusal] = bot.connector.sent(personal_conversation(EMMA)["id"])
    assert refusal["text"] == "Bare lederen av rådet kan gjøre dette."
    await bot.post(message(bot.service_url, KARI, "Medlemmer og roller"))
    [card] = bot.connector.sent(personal_conversation(KARI)["id"])
    assert "Medlemmer og roller" in texts_in(card["attachments"][0]["content"])


async def test_fetching_the_roster_from_a_personal_chat_uses_the_council_team(bot):
    await _council(bot)
    bot.connector.add_member("19:kontorfaglig-raad-general@thread.tacv2", {
        "id": "29:new", "name": "Nina Ny", "aadObjectId": "aad-nina", "userPrincipalName": "nina@siv-demo.no"})
    _, body = await bot.post(execute(bot.service_url, KARI, "roles.sync"))
    assert "Hentet 7 personer fra teamet" in texts_in(card_of(body))
    assert "Nina Ny" in texts_in(card_of(body))


async def _say(bot, user, text: str) -> str:
    before = len(bot.connector.sent(personal_conversation(user)["id"]))
    await bot.post(message(bot.service_url, user, text))
    replies = bot.connector.sent(personal_conversation(user)["id"])[before:]
    assert replies, f"no answer to {text!r}"
    return "\n".join(r.get("text") or texts_in(r.get("attachments") or []) for r in replies)


async def test_a_role_dialog_started_before_a_restart_continues_after_it(bot):
    await _council(bot)
    assert "Hvem vil du endre rolle for?" in await _say(bot, KARI, "sett rolle")
    assert "Hvilken rolle skal Ingrid Berg ha?" in await _say(bot, KARI, "Ingrid Berg")
    await bot.restart()
    assert "Hvilken enhet representerer Ingrid Berg?" in await _say(bot, KARI, "Medlem")
    assert "Rollene til Ingrid Berg er lagret: Medlem (Medisinsk klinikk)" in await _say(bot, KARI,
                                                                                         "Medisinsk klinikk")
    ingrid = next(m for m in await bot.container.members.members() if m.name == "Ingrid Berg")
    assert ingrid.unit == "Medisinsk klinikk"


async def test_cancel_stops_the_dialog_and_changes_nothing(bot):
    await _council(bot)
    await _say(bot, KARI, "sett rolle")
    assert "Avbrutt" in await _say(bot, KARI, "avbryt")
    assert "Det forstod jeg dessverre ikke" in await _say(bot, KARI, "Ingrid Berg")
