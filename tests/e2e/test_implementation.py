"""«Innføring» in Teams: a member opens the open felles-praksis decisions from the home card or the command, sets
their own unit's status, and the card comes back with the confirmation; another unit is refused."""
from __future__ import annotations

from council.benefits import BenefitForm
from council.minutes import Outcome
from tests.e2e.teams import (
    EMMA,
    KARI,
    OLA,
    card_of,
    execute,
    install_in_team,
    message,
    nodes,
    personal_conversation,
    sent_card,
    texts_in,
)

SURGERY = "Klinikk for kirurgi"


async def _decision(bot) -> int:
    """Ola is Kirurgi's member; one decision of the council's first meeting is about uniform practice."""
    await bot.post(install_in_team(bot.service_url))
    await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": OLA.aad, "roles": "member",
                                                                   "unit": SURGERY}))
    for user in (KARI, OLA, EMMA):
        await bot.post(message(bot.service_url, user, "hjelp"))
    await bot.post(execute(bot.service_url, KARI, "meeting.add", {"date": "2026-12-10", "start": "09:00",
                                                                  "end": "11:00", "place": "Teams"}))
    c = bot.container
    [meeting] = await c.meetings.upcoming()
    await bot.post(execute(bot.service_url, KARI, "agenda.add_standing", {"meeting_id": str(meeting.id),
                                                                          "standing_title": "Felles rutine for brev"}))
    item = next(i for i in (await c.agenda.view(meeting.id)).items if i.title == "Felles rutine for brev")
    kari = next(m for m in await c.members.members() if m.aad_object_id == KARI.aad)
    await c.minutes.record_item(kari, item.id, Outcome.DECIDED, "Alle enheter bruker malen fra januar.")
    await c.benefits.save_benefit(kari, item.id, BenefitForm(expected="Færre feil i brevene", category="kvalitet",
                                                             uniform_practice=True))
    return item.id


async def test_a_member_sets_their_units_status_from_the_card_and_sees_it_confirmed(bot):
    item_id = await _decision(bot)
    home = sent_card(bot.connector.sent(personal_conversation(OLA)["id"])[-1])
    assert any(n.get("verb") == "implementation.show" for n in nodes(home))

    await bot.post(message(bot.service_url, OLA, "innføring"))
    shown = sent_card(bot.connector.sent(personal_conversation(OLA)["id"])[-1])
    text = texts_in(shown)
    assert "Innføring av felles praksis" in text and "Felles rutine for brev" in text
    assert f"{SURGERY}: Ikke meldt" in text and "0 av 9 innført" in text
    assert {n["id"] for n in nodes(shown) if n.get("type", "").startswith("Input.")} == {f"status_{item_id}",
                                                                                           f"on_{item_id}"}

    status, body = await bot.post(execute(bot.service_url, OLA, "implementation.set", {
        "item_id": str(item_id), f"status_{item_id}": "innfort", f"on_{item_id}": "2026-11-20"}))
    assert status == 200
    saved = texts_in(card_of(body))
    assert f"Status for {SURGERY} er lagret: Innført." in saved
    assert f"{SURGERY}: Innført (20. november 2026)" in saved and "1 av 9 innført" in saved
    async with bot.container.uow() as uow:
        [entry] = [e for e in await uow.audit.for_entity("decision", str(item_id)) if e.action == "implementation"]
    assert entry.actor == OLA.aad and entry.after == {"unit": SURGERY, "status": "innfort", "on": "2026-11-20"}


async def test_a_future_innfort_date_is_shown_on_the_card_and_another_unit_is_refused(bot):
    item_id = await _decision(bot)

    _, body = await bot.post(execute(bot.service_url, OLA, "implementation.set", {
        "item_id": str(item_id), f"status_{item_id}": "innfort", f"on_{item_id}": "2027-01-20"}))
    assert "Datoen for «Innført» kan ikke være fram i tid." in texts_in(card_of(body))
    _, body = await bot.post(execute(bot.service_url, OLA, "implementation.set", {
        "item_id": str(item_id), f"status_{item_id}": "pagar", f"unit_{item_id}": "Medisinsk klinikk"}))
    assert "Du kan bare sette innføringsstatus for din egen enhet." in texts_in(card_of(body))
    _, body = await bot.post(execute(bot.service_url, EMMA, "implementation.show", {}))
    assert "Bare rådets leder, sekretær, medlemmer og vara" in texts_in(card_of(body))
    async with bot.container.uow() as uow:
        assert await uow.benefits.implementation([item_id]) == {}


async def test_the_leader_chooses_the_unit_on_the_card(bot):
    item_id = await _decision(bot)

    _, body = await bot.post(execute(bot.service_url, KARI, "implementation.show", {}))
    card = card_of(body)
    [units] = [n for n in nodes(card) if n.get("id") == f"unit_{item_id}"]
    assert len(units["choices"]) == 9
    _, body = await bot.post(execute(bot.service_url, KARI, "implementation.set", {
        "item_id": str(item_id), f"unit_{item_id}": "E-helse", f"status_{item_id}": "pagar"}))
    assert "Status for E-helse er lagret: Pågår." in texts_in(card_of(body))
