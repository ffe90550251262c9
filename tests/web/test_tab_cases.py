"""The case register page over real HTTP: sign-in, roles, search, filters, sorting, paging, history, exports."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from council.cases import Triage
from council.services.cases import TriageRequest
from council.submission import Draft
from tests.e2e.teams import EMMA, INGRID, KARI, LISE, OLA
from tests.web.seed import SURGERY


async def test_a_visitor_without_a_session_is_sent_to_the_identity_chooser(tab_bot, council, visitor):
    client = await visitor()
    status, _, response = await client.get("/tab/saker")
    assert status == 303 and response.headers["Location"] == "/tab/login"
    status, html, _ = await client.get("/tab/login")
    assert status == 200 and "Lokal modus" in html and "Se som Kari Nordmann" in html


async def test_the_chooser_refuses_a_sign_in_without_the_sessions_csrf_token(tab_bot, council, visitor):
    client = await visitor()
    await client.get("/tab/login")
    status, html, _ = await client.post("/tab/login", {"csrf": "0" * 64, "aad": KARI.aad})
    assert status == 403 and "utløpt" in html
    status, _, _ = await client.get("/tab/saker")
    assert status == 303


async def test_the_chooser_refuses_a_person_it_does_not_know(tab_bot, council, visitor):
    client = await visitor()
    status, _, _ = await client.post("/tab/login", {"csrf": await client.csrf(), "aad": "aad-nobody"})
    assert status == 400


async def test_leader_member_and_deputy_see_the_register(tab_bot, council, visitor):
    for person in (KARI, OLA, LISE):
        client = await visitor(person.aad)
        status, html, _ = await client.get("/tab/saker")
        assert status == 200, person
        assert "7 saker" in html and "Sak om fristbrudd nr 5" in html


async def test_a_person_without_a_role_sees_no_case_data(tab_bot, council, visitor):
    client = await visitor(EMMA.aad)
    for path in ("/tab/saker", f"/tab/saker/{council[1][0].id}", "/tab/saker/eksport.csv", "/tab/saker/eksport.xlsx"):
        status, body, _ = await client.get(path)
        assert status == 403, path
        assert "henvisninger" not in body and "Ingen rolle" not in body and "ingen rolle i Kontorfaglig" in body


async def test_a_role_removed_by_the_leader_closes_the_register_at_once(tab_bot, council, visitor):
    people, _ = council
    client = await visitor(INGRID.aad)
    assert (await client.get("/tab/saker"))[0] == 200
    await tab_bot.container.members.assign_roles(people[KARI.aad], INGRID.aad, frozenset())
    assert (await client.get("/tab/saker"))[0] == 403


async def test_search_matches_title_description_and_case_number(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    _, html, _ = await client.get("/tab/saker?q=fristbrudd")
    assert "3 saker" in html
    _, html, _ = await client.get("/tab/saker?q=Beskrivelse%204")
    assert "1 sak" in html and "1 saker" not in html and "henvisninger nr 4" in html
    number = council[1][2].number
    _, html, _ = await client.get(f"/tab/saker?q=26-{number:03d}")
    assert "1 sak" in html and "1 saker" not in html and "henvisninger nr 2" in html


async def test_filters_narrow_the_register_by_unit_type_status_and_meeting(tab_bot, council, visitor):
    client = await visitor(OLA.aad)
    _, html, _ = await client.get("/tab/saker?unit=Medisinsk+klinikk")
    assert "3 saker" in html
    _, html, _ = await client.get("/tab/saker?type=beslutning&status=pa_saksliste")
    assert "2 saker" in html  # cases 0 and 6 (3 is orientering)
    meeting = council[1][0].meeting_id
    _, html, _ = await client.get(f"/tab/saker?meeting={meeting}")
    assert "3 saker" in html


async def test_columns_sort_both_ways_and_pages_split_the_register(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    _, ascending, _ = await client.get("/tab/saker?sort=title&dir=asc")
    _, descending, _ = await client.get("/tab/saker?sort=title&dir=desc")
    assert ascending.index("fristbrudd nr 1<") < ascending.index("henvisninger nr 0<")
    assert descending.index("henvisninger nr 6<") < descending.index("fristbrudd nr 5<")
    assert 'aria-sort="ascending"' in ascending


async def test_a_bad_filter_value_is_a_clear_400_not_a_crash(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    for query in ("year=abc", "status=lost", "unit=Mars", "sort=secret", "per_page=7", "page=-1"):
        status, html, _ = await client.get(f"/tab/saker?{query}")
        assert status == 400, query
        assert "Ugyldig verdi i filteret" in html


async def test_a_case_page_shows_the_history_from_the_audit_trail(tab_bot, council, visitor):
    client = await visitor(OLA.aad)
    status, html, _ = await client.get(f"/tab/saker/{council[1][0].id}")
    assert status == 200
    assert "Meldt inn" in html and "Satt på saksliste" in html and "Kari Nordmann" in html
    assert "Emma Innmelder" in html
    status, _, _ = await client.get("/tab/saker/999999")
    assert status == 404


async def test_the_csv_export_holds_the_filtered_cases_for_norwegian_excel(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    status, body, content_type = await client.get_bytes("/tab/saker/eksport.csv?unit=Klinikk+for+kirurgi")
    assert status == 200 and content_type.startswith("text/csv")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Nummer", "Tittel"] and len(rows) == 1 + 4
    assert {row[3] for row in rows[1:]} == {"Klinikk for kirurgi"}


async def test_the_excel_export_is_a_workbook_with_the_same_cells(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    status, body, content_type = await client.get_bytes("/tab/saker/eksport.xlsx?lang=en")
    assert status == 200 and "spreadsheetml" in content_type
    sheet = load_workbook(io.BytesIO(body)).active
    values = list(sheet.values)
    assert values[0][:2] == ("Number", "Title") and len(values) == 1 + 7


async def test_english_is_chosen_with_lang_and_kept_for_the_next_pages(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    _, html, _ = await client.get("/tab/saker?lang=en")
    assert "Case register" in html and '<html lang="en">' in html
    _, html, _ = await client.get("/tab/saker")
    assert "Case register" in html


async def test_every_tab_response_allows_framing_by_teams_only(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    for path in ("/tab/saker", "/tab/login", "/tab/static/tab.css"):
        status, _, response = await client.get(path)
        assert status == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors https://teams.microsoft.com" in policy
        ancestors = policy.split("frame-ancestors ")[1].split(";")[0].split()
        assert all("microsoft" in host or "office" in host or "skype" in host for host in ancestors)


async def test_signing_out_needs_the_csrf_token_and_ends_the_session(tab_bot, council, visitor):
    client = await visitor(KARI.aad)
    status, _, _ = await client.post("/tab/logout", {"csrf": "forged"})
    assert status == 403
    _, html, _ = await client.get("/tab/saker")
    token = html.split('name="csrf" value="')[1].split('"')[0]
    status, _, _ = await client.post("/tab/logout", {"csrf": token})
    assert status == 303
    assert (await client.get("/tab/saker"))[0] == 303


# --- topics and the avviksnummer ------------------------------------------------------------------------------------


async def _tagged_case(tab_bot, people):
    """A case from Emma with an avviksnummer, its suggested topics changed and confirmed by Kari at triage."""
    c = tab_bot.container
    draft = Draft(title="Avvik ved brev til pasienter", description="Feil mal i DIPS.", unit=SURGERY,
                  case_type="beslutning", deviation_ref="2026-4711", submission_key="tagged")
    case = (await c.cases.submit(people[EMMA.aad], draft)).case
    assert case.topics == ("Avvik", "DIPS") and not case.topics_confirmed
    return await c.cases.triage(people[KARI.aad], case.id, case.version,
                                TriageRequest(Triage.DEFER, topics=("Avvik", "Public 360")))


async def test_the_register_filters_by_topic_and_shows_each_cases_topics(tab_bot, council, visitor):
    client = await visitor(OLA.aad)
    _, html, _ = await client.get("/tab/saker?topic=Fristbrudd")
    assert "3 saker" in html and "henvisninger nr" not in html
    assert "Fristbrudd, Registreringspraksis og kodeverk" in html and "ikke bekreftet" in html
    assert '<option selected>Fristbrudd</option>' in html and "<option>Praksisplasser</option>" in html
    _, html, _ = await client.get("/tab/saker?topic=Fristbrudd&unit=Medisinsk+klinikk")
    assert "3 saker" in html
    _, html, _ = await client.get("/tab/saker?topic=Praksisplasser")
    assert "Ingen saker passer med filteret." in html
    status, html, _ = await client.get("/tab/saker?topic=" + "x" * 101)
    assert status == 400 and "«topic»" in html


async def test_a_topic_only_older_cases_carry_is_still_offered_in_the_filter(tab_bot, council, visitor):
    people, _ = council
    c = tab_bot.container
    draft = Draft(title="Gammelt emne", description="Tekst", unit=SURGERY, case_type="beslutning",
                  submission_key="old-topic")
    case = (await c.cases.submit(people[EMMA.aad], draft)).case
    c.cases.topics = (*c.cases.topics, "Pasientreiser")  # as if COUNCIL_TOPICS once listed it
    await c.cases.triage(people[KARI.aad], case.id, case.version,
                         TriageRequest(Triage.DEFER, topics=("Pasientreiser",)))
    client = await visitor(KARI.aad)
    _, html, _ = await client.get("/tab/saker?topic=Pasientreiser")
    assert "1 sak" in html and "<option selected>Pasientreiser</option>" in html


async def test_search_also_matches_the_avviksnummer(tab_bot, council, visitor):
    await _tagged_case(tab_bot, council[0])
    client = await visitor(KARI.aad)
    _, html, _ = await client.get("/tab/saker?q=4711")
    assert "1 sak" in html and "1 saker" not in html and "Avvik ved brev til pasienter" in html


async def test_a_case_page_shows_its_topics_confirmed_or_suggested_and_its_avviksnummer(tab_bot, council, visitor):
    tagged = await _tagged_case(tab_bot, council[0])
    client = await visitor(OLA.aad)
    _, html, _ = await client.get(f"/tab/saker/{tagged.id}")
    assert "<dt>Emner (bekreftet)</dt><dd>Avvik, Public 360</dd>" in html
    assert "<dt>Avviksnummer</dt><dd>2026-4711</dd>" in html
    assert "Emner: Avvik, DIPS" in html and "Emner: Avvik, Public 360" in html  # suggested, then confirmed
    _, html, _ = await client.get(f"/tab/saker/{council[1][1].id}")
    assert "<dt>Foreslåtte emner (ikke bekreftet)</dt><dd>Fristbrudd, Registreringspraksis og kodeverk</dd>" in html
    assert "Avviksnummer" not in html


async def test_the_exports_carry_topics_whether_they_are_confirmed_and_the_avviksnummer(tab_bot, council, visitor):
    tagged = await _tagged_case(tab_bot, council[0])
    client = await visitor(KARI.aad)
    _, body, _ = await client.get_bytes("/tab/saker/eksport.csv?topic=Avvik")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-3:] == ["Emner", "Emner bekreftet", "Avviksnummer"] and len(rows) == 2
    assert rows[1][0] == tagged.reference and rows[1][-3:] == ["Avvik; Public 360", "Ja", "2026-4711"]
    _, body, _ = await client.get_bytes("/tab/saker/eksport.xlsx?lang=en&topic=Fristbrudd")
    values = list(load_workbook(io.BytesIO(body)).active.values)
    assert values[0][-3:] == ("Topics", "Topics confirmed", "Deviation number") and len(values) == 1 + 3
    assert {row[-3:] for row in values[1:]} == {("Fristbrudd; Registreringspraksis og kodeverk", "No", None)}


async def test_a_case_without_topics_says_so_without_calling_it_a_suggestion(tab_bot, council, visitor):
    draft = Draft(title="Felles mal", description="Tekst.", unit=SURGERY, case_type="beslutning",
                  submission_key="no-topics")
    case = (await tab_bot.container.cases.submit(council[0][EMMA.aad], draft)).case
    client = await visitor(KARI.aad)
    _, html, _ = await client.get(f"/tab/saker/{case.id}")
    assert case.topics == () and "<dt>Emner</dt><dd>Ingen</dd>" in html and "Foreslåtte" not in html
