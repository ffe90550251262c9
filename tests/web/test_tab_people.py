"""Medlemmer and Møter over HTTP: nestleder, the leadership network per unit, the guest list, guests invited to
agenda items (named in the notice, never given a vote), and the calendar view of the year plan; per role."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from cards.record_models import notice_model
from council.conversations import ConversationKind, ConversationRef
from council.members import Role
from council.pask import PaskMeeting
from council.services.votes import VoteRequest
from tests.e2e.teams import EMMA, INGRID, KARI, OLA, SIGRID
from tests.web.seed import MEDICINE


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


async def _page(client, path: str = "/tab/medlemmer") -> tuple[str, str]:
    status, html, _ = await client.get(path)
    assert status == 200, path
    return html, _csrf(html)


async def _actions(c, entity: str, entity_id: str) -> list[str]:
    async with c.uow() as uow:
        return [e.action for e in await uow.audit.for_entity(entity, entity_id)]


async def _add_guest(client, name="Kari Kursholder", organisation="Avdeling for kompetanse og utdanning",
                     email="kari.kurs@siv.no"):
    _, csrf = await _page(client)
    return await client.post("/tab/medlemmer/gjester", {"csrf": csrf, "name": name, "organisation": organisation,
                                                        "email": email})


# --- nestleder ----------------------------------------------------------------------------------------------------


async def test_the_leader_designates_a_nestleder_and_the_bot_role_follows(tab_bot, council, visitor):
    c = tab_bot.container
    client = await visitor(KARI.aad)
    html, csrf = await _page(client)
    assert "Ingen nestleder er utpekt." in html
    status, _, response = await client.post("/tab/medlemmer/nestleder", {"csrf": csrf, "person": INGRID.aad})
    assert status == 303 and response.headers["Location"] == "/tab/medlemmer?melding=nestleder#nestleder"
    assert (await c.members.directory())[INGRID.aad].has(Role.VICE_LEADER)
    html, csrf = await _page(client, "/tab/medlemmer?melding=nestleder")
    assert "Nestleder er lagret. Rollene i boten er oppdatert." in html
    leadership = html.split('id="ledelse"')[1].split("</dl>")[0]
    assert "<dt>Leder</dt>" in leadership and "<dt>Nestleder</dt>" in leadership and "<dt>Sekretær</dt>" in leadership
    assert "Ingrid Berg (Medisinsk klinikk)" in leadership and "Sigrid Sekretær" in leadership

    await client.post("/tab/medlemmer/nestleder", {"csrf": csrf, "person": OLA.aad})
    people = await c.members.directory()
    assert people[OLA.aad].has(Role.VICE_LEADER) and not people[INGRID.aad].has(Role.VICE_LEADER)
    assert "assign_roles" in await _actions(c, "member", INGRID.aad)  # taken from Ingrid, audited

    await client.post("/tab/medlemmer/nestleder", {"csrf": csrf, "person": ""})
    assert not any(m.has(Role.VICE_LEADER) for m in (await c.members.directory()).values())


async def test_the_nestleder_must_be_a_member_and_not_the_leader(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    _, csrf = await _page(client)
    status, html, _ = await client.post("/tab/medlemmer/nestleder", {"csrf": csrf, "person": SIGRID.aad})
    assert status == 400 and "Nestleder må være medlem av rådet" in html
    status, html, _ = await client.post("/tab/medlemmer/nestleder", {"csrf": csrf, "person": "aad-nobody"})
    assert status == 400 and "Fant ikke personen" in html
    assert not (await tab_bot.container.members.directory())[SIGRID.aad].has(Role.VICE_LEADER)


async def test_a_nestleder_who_leaves_the_seat_is_no_longer_nestleder(tab_bot, council, visitor):
    c = tab_bot.container
    client = await visitor(KARI.aad)
    _, csrf = await _page(client)
    await client.post("/tab/medlemmer/nestleder", {"csrf": csrf, "person": OLA.aad})
    index = c.settings.units.index("Klinikk for kirurgi")
    status, _, _ = await client.post(f"/tab/medlemmer/sete/{index}", {"csrf": csrf, "member": EMMA.aad})
    assert status == 303
    people = await c.members.directory()
    assert not people[OLA.aad].has(Role.VICE_LEADER) and not people[OLA.aad].has(Role.MEMBER)


async def test_only_the_leader_designates_the_nestleder_or_changes_the_network(tab_bot, council, visitor):
    client = await visitor(OLA.aad)
    html, csrf = await _page(client)
    assert 'action="/tab/medlemmer/nestleder"' not in html and 'action="/tab/medlemmer/nettverk"' not in html
    status, _, _ = await client.post("/tab/medlemmer/nestleder", {"csrf": csrf, "person": OLA.aad})
    assert status == 403
    status, _, _ = await client.post("/tab/medlemmer/nettverk", {"csrf": csrf, "person": EMMA.aad,
                                                                 "unit": MEDICINE})
    assert status == 403
    people = await tab_bot.container.members.directory()
    assert not people[OLA.aad].has(Role.VICE_LEADER) and not people[EMMA.aad].has(Role.NETWORK)


# --- the leadership network per unit ------------------------------------------------------------------------------


async def test_the_network_is_grouped_per_unit_with_a_count_and_empty_units_flagged(tab_bot, council, visitor):
    c = tab_bot.container
    client = await visitor(KARI.aad)
    _, csrf = await _page(client)
    status, _, response = await client.post("/tab/medlemmer/nettverk", {"csrf": csrf, "person": EMMA.aad,
                                                                        "unit": MEDICINE})
    assert status == 303 and response.headers["Location"] == "/tab/medlemmer?melding=nettverk#nettverk"
    emma = (await c.members.directory())[EMMA.aad]
    assert emma.has(Role.NETWORK) and emma.unit == MEDICINE
    await client.post("/tab/medlemmer/nettverk", {"csrf": csrf, "person": OLA.aad, "unit": "Klinikk for kirurgi"})
    member = await visitor(INGRID.aad)
    html, _ = await _page(member, "/tab/medlemmer")
    network = html.split('id="nettverk"')[1].split("</table>")[0]
    assert "2 ledere i nettverket" in html.split('id="nettverk"')[1]
    rows = {re.search(r'<th scope="row">([^<]+)</th>', row).group(1): row
            for row in network.split("<tr>")[2:]}
    assert list(rows) == list(c.settings.units)
    assert "Emma Innmelder" in rows[MEDICINE] and '<td class="num">1</td>' in rows[MEDICINE]
    assert "Ola Hansen" in rows["Klinikk for kirurgi"]
    assert "Ingen fra enheten" in rows["E-helse"] and "Ingen fra enheten" not in rows[MEDICINE]
    assert "Ta ut" not in network  # a member reads, only the leader changes

    status, _, _ = await client.post("/tab/medlemmer/nettverk", {"csrf": csrf, "person": EMMA.aad, "remove": "1"})
    assert status == 303 and not (await c.members.directory())[EMMA.aad].has(Role.NETWORK)


async def test_a_council_members_network_unit_is_their_seats_unit(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    _, csrf = await _page(client)
    status, html, _ = await client.post("/tab/medlemmer/nettverk", {"csrf": csrf, "person": OLA.aad,
                                                                    "unit": MEDICINE})
    assert status == 400 and "sitter i rådet for Klinikk for kirurgi" in html
    status, html, _ = await client.post("/tab/medlemmer/nettverk", {"csrf": csrf, "person": EMMA.aad,
                                                                    "unit": "Ukjent klinikk"})
    assert status == 400 and "Fant ikke setet" in html
    status, html, _ = await client.post("/tab/medlemmer/nettverk", {"csrf": csrf, "person": ""})
    assert status == 400 and "Velg en person" in html
    assert (await tab_bot.container.members.directory())[OLA.aad].unit == "Klinikk for kirurgi"


async def test_a_network_member_keeps_their_unit_when_the_role_card_saves_them(tab_bot, council):
    c = tab_bot.container
    kari = (await c.members.directory())[KARI.aad]
    await c.members.assign_roles(kari, EMMA.aad, frozenset({Role.NETWORK}), unit=MEDICINE)
    assert (await c.members.directory())[EMMA.aad].unit == MEDICINE


# --- guests -------------------------------------------------------------------------------------------------------


async def test_the_leader_adds_edits_and_removes_a_guest_after_confirming(tab_bot, council, visitor):
    c = tab_bot.container
    client = await visitor(KARI.aad)
    status, _, response = await _add_guest(client)
    assert status == 303 and response.headers["Location"] == "/tab/medlemmer?melding=gjest-lagt-til#gjester"
    html, csrf = await _page(client, "/tab/medlemmer?melding=gjest-lagt-til")
    assert "Gjesten er lagt til." in html
    guests = html.split('id="gjester"')[1]
    assert "Kari Kursholder" in guests and "Avdeling for kompetanse og utdanning" in guests
    guest_id = re.search(r'href="/tab/medlemmer/gjester/(\d+)"', guests).group(1)

    status, form, _ = await client.get(f"/tab/medlemmer/gjester/{guest_id}")
    assert status == 200 and 'value="Kari Kursholder"' in form
    status, _, _ = await client.post(f"/tab/medlemmer/gjester/{guest_id}", {
        "csrf": csrf, "name": "Kari Kursholder", "organisation": "Superbruker DIPS", "email": ""})
    assert status == 303
    html, _ = await _page(client)
    assert "Superbruker DIPS" in html and "kari.kurs@siv.no" not in html

    status, confirm, _ = await client.get(f"/tab/medlemmer/gjester/{guest_id}/fjern")
    assert status == 200 and "Fjerne gjesten Kari Kursholder?" in confirm and "Ja, fjern gjesten" in confirm
    assert "Kari Kursholder" in (await _page(client))[0]  # asking changes nothing
    status, _, response = await client.post(f"/tab/medlemmer/gjester/{guest_id}/fjern", {"csrf": csrf})
    assert status == 303 and response.headers["Location"] == "/tab/medlemmer?melding=gjest-fjernet#gjester"
    html, _ = await _page(client, "/tab/medlemmer?melding=gjest-fjernet")
    assert "Gjesten er fjernet." in html and "Kari Kursholder" not in html
    assert await _actions(c, "guest", guest_id) == ["add_guest", "edit_guest", "remove_guest"]


async def test_bad_guest_input_is_a_clear_400_and_stores_nothing(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    for fields, text in (({"name": ""}, "Skriv gjestens navn"),
                         ({"organisation": " "}, "organisasjon eller rolle"),
                         ({"email": "ikke-en-adresse"}, "E-postadressen ser ikke riktig ut"),
                         ({"organisation": "Superbruker DIPS 010190 12480"}, "fødselsnummer"),
                         ({"name": "x" * 201}, "høyst 200 tegn")):
        status, html, _ = await _add_guest(client, **fields)
        assert status == 400, fields
        assert text in html, fields
    _, csrf = await _page(client)
    assert (await client.get("/tab/medlemmer/gjester/999"))[0] == 404
    assert (await client.post("/tab/medlemmer/gjester/999", {"csrf": csrf, "name": "A", "organisation": "B"}))[0] == 404
    assert (await client.post("/tab/medlemmer/gjester/999/fjern", {"csrf": csrf}))[0] == 404
    assert (await client.post("/tab/medlemmer/gjester", {"name": "Uten token", "organisation": "X"}))[0] == 403
    html, _ = await _page(client)
    assert "Ingen gjester er registrert." in html


async def test_members_read_the_guest_list_but_only_the_leader_changes_it(tab_bot, council, visitor):
    leader = await visitor(KARI.aad)
    await _add_guest(leader, name="Per Plattform", organisation="Superbruker Public 360", email="")
    client = await visitor(OLA.aad)
    html, csrf = await _page(client)
    assert "Per Plattform" in html and "/tab/medlemmer/gjester/" not in html and "Legg til gjest" not in html
    status, _, _ = await client.post("/tab/medlemmer/gjester", {"csrf": csrf, "name": "X", "organisation": "Y"})
    assert status == 403
    assert (await client.get("/tab/medlemmer/gjester/1"))[0] == 403
    assert (await client.post("/tab/medlemmer/gjester/1/fjern", {"csrf": csrf}))[0] == 403
    nobody = await visitor(EMMA.aad)
    status, html, _ = await nobody.get("/tab/medlemmer")
    assert status == 403 and "Per Plattform" not in html


# --- guests on agenda items ---------------------------------------------------------------------------------------


async def _invite_form(client, year: int = 2027) -> tuple[str, str, str]:
    html, csrf = await _page(client, f"/tab/moter?year={year}")
    match = re.search(r'action="/tab/moter/sak/(\d+)/gjester" class="invite">.*?name="meeting" value="(\d+)"',
                      html, re.S)
    return match.group(1), match.group(2), csrf


async def test_the_leader_invites_a_guest_to_an_item_and_the_notice_names_them(tab_bot, council, visitor):
    c = tab_bot.container
    client = await visitor(KARI.aad)
    await _add_guest(client, name="Dina Dips", organisation="Superbruker DIPS", email="dina@siv.no")
    item_id, meeting_id, csrf = await _invite_form(client)
    status, _, response = await client.post(f"/tab/moter/sak/{item_id}/gjester", {
        "csrf": csrf, "guest": "1", "year": "2027", "meeting": meeting_id, "visning": "liste"})
    assert status == 303
    assert response.headers["Location"] == f"/tab/moter?year=2027&melding=invitert&gjest=1#m{meeting_id}"
    html, _ = await _page(client, "/tab/moter?year=2027&melding=invitert&gjest=1")
    assert "Dina Dips er invitert til saken." in html
    assert "Gjester:" in html and "Dina Dips (Superbruker DIPS)" in html
    assert "invite_guest" in await _actions(c, "meeting", meeting_id)

    notice = notice_model(await c.records.notice(int(meeting_id)), c.settings.tz)
    listing = notice.groups[0].sections
    invited = [s for s in listing if any(p.label == "Gjester" for p in s.parts)]
    assert len(invited) == 1 and invited[0].parts[0].text == "Dina Dips (Superbruker DIPS)"

    member = await visitor(OLA.aad)
    html, _ = await _page(member, "/tab/moter?year=2027")
    assert "Dina Dips (Superbruker DIPS)" in html and 'class="invite"' not in html

    status, _, _ = await client.post(f"/tab/moter/sak/{item_id}/gjester/1/fjern", {
        "csrf": csrf, "year": "2027", "meeting": meeting_id})
    assert status == 303
    html, _ = await _page(client, "/tab/moter?year=2027&melding=fjernet&gjest=1")
    assert "Dina Dips er ikke lenger invitert til saken." in html and "Gjester:" not in html


async def test_an_invited_guest_never_gets_a_vote(tab_bot, council, visitor):
    """Guests are not members: a vote opened after a guest was invited counts the members only."""
    c = tab_bot.container
    client = await visitor(KARI.aad)
    await _add_guest(client, name="Gunn Gjest", organisation="Superbruker DIPS", email="gunn@siv.no")
    item_id, meeting_id, csrf = await _invite_form(client)
    await client.post(f"/tab/moter/sak/{item_id}/gjester", {"csrf": csrf, "guest": "1", "meeting": meeting_id})
    async with c.uow() as uow:  # the channel the vote's card goes to
        await uow.conversations.save(ConversationRef("19:general@thread.tacv2", ConversationKind.CHANNEL,
                                                     tab_bot.url + "/", "tenant", "bot",
                                                     team_id="19:general@thread.tacv2",
                                                     channel_id="19:general@thread.tacv2"),
                                     c.clock.now())
        await uow.commit()
    kari = (await c.members.directory())[KARI.aad]
    vote = await c.votes.open_vote(kari, VoteRequest("Støtter rådet forslaget?", c.clock.now() + timedelta(days=3),
                                                     proposal="Rådet støtter forslaget.",
                                                     meeting_id=int(meeting_id)))
    assert set(vote.entitled) == {OLA.aad, INGRID.aad}
    assert not {"gunn@siv.no", "Gunn Gjest", "1"} & set(vote.entitled)


async def test_only_organisers_invite_and_bad_invitations_are_clear_4xx(tab_bot, council, visitor):
    leader = await visitor(KARI.aad)
    await _add_guest(leader)
    item_id, meeting_id, csrf = await _invite_form(leader)
    member = await visitor(OLA.aad)
    _, member_csrf = await _page(member, "/tab/moter?year=2027")
    status, html, _ = await member.post(f"/tab/moter/sak/{item_id}/gjester", {"csrf": member_csrf, "guest": "1"})
    assert status == 403
    assert (await leader.post(f"/tab/moter/sak/{item_id}/gjester", {"guest": "1"}))[0] == 403  # no CSRF token
    status, html, _ = await leader.post(f"/tab/moter/sak/{item_id}/gjester", {"csrf": csrf, "guest": "abc"})
    assert status == 400 and "Ugyldig gjest eller sak" in html
    status, html, _ = await leader.post(f"/tab/moter/sak/{item_id}/gjester", {"csrf": csrf, "guest": "77"})
    assert status == 404 and "Fant ikke gjesten" in html
    assert (await leader.post("/tab/moter/sak/999999/gjester", {"csrf": csrf, "guest": "1"}))[0] == 404
    html, _ = await _page(leader, "/tab/moter?year=2027")
    assert "Gjester:" not in html


async def test_a_secretary_may_invite_a_guest(tab_bot, council, visitor):
    leader = await visitor(KARI.aad)
    await _add_guest(leader)
    secretary = await visitor(SIGRID.aad)
    item_id, meeting_id, csrf = await _invite_form(secretary)
    status, _, _ = await secretary.post(f"/tab/moter/sak/{item_id}/gjester", {"csrf": csrf, "guest": "1",
                                                                              "meeting": meeting_id})
    assert status == 303


# --- the calendar view --------------------------------------------------------------------------------------------


async def test_the_calendar_view_shows_council_and_pask_meetings_in_week_rows(tab_bot, council, visitor):
    c = tab_bot.container
    async with c.uow() as uow:
        await uow.pask.replace("manual", [PaskMeeting(datetime(2027, 1, 5, 9, tzinfo=UTC),
                                                      datetime(2027, 1, 5, 11, tzinfo=UTC), "PASK nettverksmøte")])
        await uow.commit()
    client = await visitor(OLA.aad)
    html, _ = await _page(client, "/tab/moter?year=2027&visning=kalender")
    assert '<a href="/tab/moter?year=2027&amp;visning=kalender" aria-current="page">Kalender</a>' in html
    assert html.count('<table class="calendar">') == 12
    january = html.split("<caption>Januar 2027</caption>")[1].split("</table>")[0]
    headings = re.findall(r'<abbr title="(\w+)">(\w+)</abbr>', january)
    assert [short for _, short in headings] == ["man", "tir", "ons", "tor", "fre", "lør", "søn"]
    weeks = re.findall(r'<th scope="row"><span class="visually-hidden">Uke </span>(\d+)</th>', january)
    assert weeks == ["53", "1", "2", "3", "4"]  # 1 January 2027 is a Friday in ISO week 53 of 2026
    assert 'class="cal-event cal-pask">PASK: PASK nettverksmøte' in january
    assert re.search(r'<a class="cal-event cal-council" href="#m\d+">Råd<span class="visually-hidden">: Møte 14. '
                     r'januar 2027', january)
    assert "<th scope=\"row\">Januar</th>" not in html  # the list's month table is not shown in the calendar

    html, _ = await _page(client, "/tab/moter?year=2026&visning=kalender")
    november = html.split("<caption>November 2026</caption>")[1].split("</table>")[0]
    assert re.search(r'<td class="today" aria-current="date"><span class="date">26<span class="visually-hidden"> '
                     r'\(i dag\)', november)


async def test_the_list_view_has_no_double_numbering_and_a_bad_view_is_a_400(tab_bot, council, visitor):
    client = await visitor(OLA.aad)
    html, _ = await _page(client, "/tab/moter?year=2027")
    assert '<ul class="agenda">' in html and "<ol" not in html
    assert '<a href="/tab/moter?year=2027" aria-current="page">Liste</a>' in html
    status, html, _ = await client.get("/tab/moter?visning=uke")
    assert status == 400 and "visning" in html
    nobody = await visitor(EMMA.aad)
    assert (await nobody.get("/tab/moter?visning=kalender"))[0] == 403
