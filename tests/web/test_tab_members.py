"""Medlemmer over HTTP: seats against the mandate, flags, and the leader's edit keeping the bot's roles in step."""
from __future__ import annotations

import re

from council.members import Role
from tests.e2e.teams import EMMA, INGRID, KARI, LISE, OLA, SIGRID


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


async def _seat_form(client, index: int) -> str:
    status, html, _ = await client.get(f"/tab/medlemmer/sete/{index}")
    assert status == 200
    return _csrf(html)


async def test_every_unit_of_the_mandate_has_a_row_and_empty_seats_are_flagged(tab_bot, council, visitor):
    client = await visitor(OLA.aad)
    status, html, _ = await client.get("/tab/medlemmer")
    assert status == 200
    seats_table = html.split('id="ledelse"')[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', seats_table)
    assert rows == list(tab_bot.container.settings.units)
    assert "2 av 9 seter er besatt" in html and seats_table.count("Ledig sete") == 7
    surgery = html.split("Klinikk for kirurgi</th>")[1].split("</tr>")[0]
    assert "Ola Hansen" in surgery and "Lise Vara" in surgery
    assert "/tab/medlemmer/sete/" not in html  # a member reads, only the leader edits


async def test_the_leader_fills_a_seat_and_the_bot_roles_follow(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    index = tab_bot.container.settings.units.index("E-helse")
    status, _, response = await client.post(f"/tab/medlemmer/sete/{index}", {
        "csrf": await _seat_form(client, index), "member": SIGRID.aad, "deputy": EMMA.aad,
        "appointed_by": "Direktør for e-helse", "starts": "2026-01-01", "ends": "2027-01-10"})
    assert status == 303 and response.headers["Location"] == "/tab/medlemmer?lagret=1"
    people = {m.aad_object_id: m for m in await tab_bot.container.members.members()}
    assert people[SIGRID.aad].unit == "E-helse" and Role.MEMBER in people[SIGRID.aad].roles
    assert people[SIGRID.aad].has(Role.SECRETARY)
    assert people[EMMA.aad].deputy_for == SIGRID.aad and Role.DEPUTY in people[EMMA.aad].roles
    _, html, _ = await client.get("/tab/medlemmer?lagret=1")
    row = html.split("E-helse</th>")[1].split("</tr>")[0]
    assert "Sigrid Sekretær" in row and "Direktør for e-helse" in row and "1. januar 2026" in row
    assert "Perioden går ut innen 60 dager" in row  # the harness's today is 26 November 2026


async def test_replacing_a_seats_member_takes_the_role_from_the_one_who_leaves(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    index = tab_bot.container.settings.units.index("Klinikk for kirurgi")
    await client.post(f"/tab/medlemmer/sete/{index}", {"csrf": await _seat_form(client, index),
                                                        "member": INGRID.aad, "deputy": "", "appointed_by": ""})
    people = {m.aad_object_id: m for m in await tab_bot.container.members.members()}
    assert not people[OLA.aad].has(Role.MEMBER) and not people[LISE.aad].has(Role.DEPUTY)
    assert people[INGRID.aad].unit == "Klinikk for kirurgi"


async def test_only_the_leader_may_edit_a_seat(tab_bot, council, visitor):
    client = await visitor(OLA.aad)
    status, _, _ = await client.get("/tab/medlemmer/sete/0")
    assert status == 403
    _, html, _ = await client.get("/tab/medlemmer")
    status, _, _ = await client.post("/tab/medlemmer/sete/0", {"csrf": _csrf(html), "member": OLA.aad})
    assert status == 403
    assert (await tab_bot.container.members.directory())[OLA.aad].unit == "Klinikk for kirurgi"


async def test_a_seat_change_without_the_csrf_token_changes_nothing(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    status, _, _ = await client.post("/tab/medlemmer/sete/0", {"member": EMMA.aad})
    assert status == 403
    assert not (await tab_bot.container.members.directory())[EMMA.aad].has(Role.MEMBER)


async def test_bad_seat_input_is_a_clear_400(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    csrf = await _seat_form(client, 0)
    for form, text in (({"starts": "1. mai"}, "åååå-mm-dd"),
                       ({"member": OLA.aad, "deputy": OLA.aad}, "to forskjellige"),
                       ({"member": OLA.aad, "starts": "2026-05-01", "ends": "2026-01-01"}, "Til-datoen"),
                       ({"deputy": LISE.aad}, "uten medlem"), ({"member": "aad-nobody"}, "Fant ikke personen")):
        status, html, _ = await client.post("/tab/medlemmer/sete/0", {"csrf": csrf, **form})
        assert status == 400, form
        assert text in html
    assert (await client.post("/tab/medlemmer/sete/99", {"csrf": csrf}))[0] == 404


async def test_a_person_without_a_role_sees_no_composition(tab_bot, council, visitor):
    client = await visitor(EMMA.aad)
    status, html, _ = await client.get("/tab/medlemmer")
    assert status == 403 and "Ola Hansen" not in html
