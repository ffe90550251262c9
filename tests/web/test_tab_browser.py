"""The tab in a real browser (headless chromium): leader, member and a person with no role; filters, exports,
accessibility (axe-core), screenshots kept as artefacts."""
from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from playwright.async_api import async_playwright

from bench.synthetic import fill
from council.pask import PaskMeeting
from tests.e2e.harness import start_bot
from tests.web.browser import ARGS, CHROMIUM, accessibility_violations, require_browser, screenshot
from tests.web.seed import seed_cases, seed_members


@pytest.fixture
async def served(request, tmp_path):
    require_browser()
    harness = await start_bot(f"sqlite+aiosqlite:///{tmp_path}/tab.db")
    people = await seed_members(harness.container)
    await seed_cases(harness.container, people, 30)
    if "history" in request.fixturenames:
        await fill(harness.container.engine, today=date(2026, 11, 26), years=3, n_cases=300, n_meetings=36,
                   n_hearings=40, n_actions=150, units=harness.container.settings.units)
    yield harness
    await harness.close()
    await harness.connector.stop()


@pytest.fixture
async def browser(served):
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        await chromium.close()


async def open_as(browser, base: str, name: str):
    context = await browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/tab/")
    await page.get_by_role("button", name=f"Se som {name}").click()
    await page.wait_for_load_state()
    return page


async def test_the_leader_filters_sorts_opens_a_case_and_exports_in_the_browser(served, browser):
    page = await open_as(browser, served.url, "Kari Nordmann")
    assert await page.get_by_role("heading", name="Saksregister").is_visible()
    assert await page.get_by_role("status").inner_text() == "30 saker"
    assert await accessibility_violations(page) == []
    await screenshot(page, "saker-leder")

    await page.get_by_label("Enhet", exact=True).select_option("Medisinsk klinikk")
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("status").inner_text() == "15 saker"
    await page.get_by_role("link", name="Sorter etter Tittel").click()
    await page.wait_for_load_state()
    first_title = await page.locator("table.register tbody tr").first.locator("td").nth(1).inner_text()
    assert first_title.startswith("Sak om fristbrudd nr 9")  # sorted descending by title: '9' > '7' > ... > '29'

    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="CSV").click()
    download = await download_info.value
    rows = list(csv.reader(io.StringIO((await download.path()).read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 15 and {r[3] for r in rows[1:]} == {"Medisinsk klinikk"}

    await page.locator("table.register tbody a").first.click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Historikk").is_visible()
    assert await accessibility_violations(page) == []
    await screenshot(page, "sak-leder")


async def test_a_member_filters_the_register_by_topic_and_reads_a_cases_topics(served, browser):
    page = await open_as(browser, served.url, "Ola Hansen")
    await page.get_by_label("Emne", exact=True).select_option("Fristbrudd")
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("status").inner_text() == "15 saker"
    assert "topic=Fristbrudd" in page.url
    cells = await page.locator("table.register tbody td.topics").all_inner_texts()
    assert len(cells) == 15 and all(c.startswith("Fristbrudd, Registreringspraksis og kodeverk") for c in cells)
    assert await page.get_by_role("columnheader", name="Emner").is_visible()
    assert await accessibility_violations(page) == []
    await screenshot(page, "saker-emne")

    await page.locator("table.register tbody a").first.click()
    await page.wait_for_load_state()
    details = await page.locator("dl.facts").inner_text()
    assert "Foreslåtte emner (ikke bekreftet)" in details and "Fristbrudd" in details
    assert await accessibility_violations(page) == []


async def test_a_member_sees_the_register_and_pages_through_it(served, browser):
    page = await open_as(browser, served.url, "Ola Hansen")
    assert await page.get_by_role("status").inner_text() == "30 saker"
    await page.get_by_role("navigation", name="Sider i saksregisteret").get_by_role("link", name="Neste").click()
    await page.wait_for_load_state()
    assert await page.get_by_text("Side 2 av 2", exact=True).is_visible()
    assert await page.locator("table.register tbody tr").count() == 5
    await screenshot(page, "saker-medlem")


async def test_a_person_without_a_role_sees_an_explanation_and_no_cases(served, browser):
    page = await open_as(browser, served.url, "Emma Innmelder")
    assert await page.get_by_text("ingen rolle i Kontorfaglig råd").is_visible()
    assert await page.locator("table").count() == 0
    assert "fristbrudd" not in await page.content()
    assert await accessibility_violations(page) == []
    await screenshot(page, "saker-uten-rolle")


async def test_the_identity_chooser_is_marked_as_local_mode_and_accessible(served, browser):
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{served.url}/tab/login")
    assert await page.get_by_role("note").inner_text() == ("Lokal modus uten Teams-innlogging – kun for utprøving. "
                                                           "Du velger selv hvem du er.")
    assert await accessibility_violations(page) == []
    await screenshot(page, "innlogging-lokal")


@pytest.fixture
def history():
    """Marks a test that wants three years of synthetic history in the served council (see `served`)."""


async def test_the_leader_reads_the_evaluation_and_downloads_the_report(history, served, browser):
    page = await open_as(browser, served.url, "Kari Nordmann")
    await page.get_by_role("link", name="Evaluering").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Tid fra innmelding til behandling").is_visible()
    assert await page.locator("img[src^='data:image/svg+xml']").count() >= 8
    assert await accessibility_violations(page) == []
    await screenshot(page, "evaluering-leder")
    await page.get_by_label("Periode").select_option(label="Evalueringsåret mai 2025–april 2026")
    await page.get_by_role("button", name="Vis").first.click()
    await page.wait_for_load_state()
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="PDF").click()
    download = await download_info.value
    assert download.suggested_filename == "evaluering-2025-05-01-2026-04-30.pdf"
    assert (await download.path()).read_bytes().startswith(b"%PDF")


async def test_the_leader_edits_a_seat_in_the_browser_and_the_member_sees_it(served, browser):
    page = await open_as(browser, served.url, "Kari Nordmann")
    await page.get_by_role("link", name="Medlemmer").click()
    await page.wait_for_load_state()
    assert await accessibility_violations(page) == []
    await page.get_by_role("link", name="Endre setet for Juridisk").click()
    await page.wait_for_load_state()
    assert await accessibility_violations(page) == []
    await page.get_by_label("Medlem", exact=True).select_option(label="Sigrid Sekretær")
    await page.get_by_label("Oppnevnt av").fill("Fag- og forskningsdirektør")
    await page.get_by_label("Fra").fill("2026-01-01")
    await page.get_by_label("Til").fill("2026-12-31")
    await page.get_by_role("button", name="Lagre").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("status").inner_text() == "Setet er lagret. Rollene i boten er oppdatert."
    row = page.get_by_role("table", name="Setene i rådet").get_by_role("row", name=re.compile("^Juridisk"))
    assert "Sigrid Sekretær" in await row.inner_text() and "Perioden går ut innen 60 dager" in await row.inner_text()
    await screenshot(page, "medlemmer-leder")

    member = await open_as(browser, served.url, "Ola Hansen")
    await member.goto(f"{served.url}/tab/medlemmer")
    seats = member.get_by_role("table", name="Setene i rådet")
    assert "Sigrid Sekretær" in await seats.get_by_role("row", name=re.compile("^Juridisk")).inner_text()
    assert await member.get_by_role("link", name=re.compile("^Endre")).count() == 0
    await screenshot(member, "medlemmer-medlem")


async def test_a_member_reads_the_hearing_and_decision_registers(history, served, browser):
    page = await open_as(browser, served.url, "Ola Hansen")
    await page.get_by_role("link", name="Høringer og vedtak").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Vedtaksregister").is_visible()
    assert await page.locator("span.light").count() == 40
    assert await accessibility_violations(page) == []
    await screenshot(page, "horinger-medlem")
    await page.get_by_role("link", name="Møter", exact=True).click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Årsplan: rådets møter og PASK").is_visible()
    assert await accessibility_violations(page) == []
    await screenshot(page, "moter-medlem")


async def test_a_member_sets_the_implementation_status_for_their_unit(history, served, browser):
    leader = await open_as(browser, served.url, "Kari Nordmann")
    await leader.get_by_role("link", name="Høringer og vedtak").click()
    await leader.wait_for_load_state()
    await leader.locator("a[href^='/tab/vedtak/']").first.click()
    await leader.wait_for_load_state()
    decision = leader.url.split("?")[0]
    await leader.get_by_label("Forventet gevinst").fill("Samme registrering av fristbrudd i alle klinikker")
    await leader.get_by_label("Kategori").select_option(label="Pasientsikkerhet")
    await leader.get_by_label("Gevinsteier").select_option(label="Ola Hansen")
    await leader.get_by_role("checkbox", name=re.compile("Vedtaket gjelder felles praksis")).check()
    await leader.get_by_role("button", name="Lagre").first.click()
    await leader.wait_for_load_state()
    assert await leader.get_by_role("status").inner_text() == "Lagret."
    assert await accessibility_violations(leader) == []

    page = await open_as(browser, served.url, "Ola Hansen")
    await page.goto(decision)
    assert await page.get_by_text("0 av 9 innført").is_visible()
    row = page.get_by_role("row", name=re.compile("^Klinikk for kirurgi"))
    await row.get_by_label("Status for Klinikk for kirurgi").select_option(label="Innført")
    await row.get_by_label("Dato for Klinikk for kirurgi").fill("2026-11-20")
    await row.get_by_role("button", name="Lagre").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("status").inner_text() == "Lagret."
    saved = await page.get_by_role("row", name=re.compile("^Klinikk for kirurgi")).inner_text()
    assert "Innført" in saved and "20. november 2026" in saved
    assert await page.get_by_text("1 av 9 innført").is_visible()
    assert await page.get_by_label("Status for Medisinsk klinikk").count() == 0  # another unit: no form
    assert await accessibility_violations(page) == []
    await screenshot(page, "vedtak-medlem")
    await page.get_by_role("link", name="Tilbake til Høringer og vedtak").click()
    await page.wait_for_load_state()
    register = await page.get_by_role("row", name=re.compile("Samme registrering|Pasientsikkerhet")).count()
    assert register >= 1


async def test_the_leader_adds_a_guest_and_invites_them_to_an_item(served, browser):
    page = await open_as(browser, served.url, "Kari Nordmann")
    await page.get_by_role("link", name="Medlemmer").click()
    await page.wait_for_load_state()
    await page.get_by_label("Nestleder", exact=True).select_option(label="Ingrid Berg (Medisinsk klinikk)")
    await page.get_by_role("button", name="Lagre nestleder").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("status").inner_text() == "Nestleder er lagret. Rollene i boten er oppdatert."
    await page.get_by_label("Person", exact=True).select_option(label="Emma Innmelder")
    await page.get_by_label("Enhet", exact=True).select_option(label="Klinikk for kirurgi")
    await page.get_by_role("button", name="Lagre i nettverket").click()
    await page.wait_for_load_state()
    row = page.get_by_role("row", name=re.compile("^Klinikk for kirurgi Emma"))
    assert "Emma Innmelder" in await row.inner_text()
    await page.get_by_label("Navn", exact=True).fill("Dina Dips")
    await page.get_by_label("Organisasjon eller rolle").fill("Superbruker DIPS")
    await page.get_by_label("E-post (valgfritt)").fill("dina.dips@siv.no")
    await page.get_by_role("button", name="Legg til gjest").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("status").inner_text() == "Gjesten er lagt til."
    assert "Superbruker DIPS" in await page.get_by_role("row", name=re.compile("^Dina Dips")).inner_text()
    assert await accessibility_violations(page) == []
    await screenshot(page, "medlemmer-gjester-leder")

    await page.get_by_role("link", name="Møter", exact=True).click()
    await page.wait_for_load_state()
    await page.get_by_label("År").select_option("2027")
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_load_state()
    invite = page.get_by_role("combobox", name=re.compile("^Inviter gjest til Sak om henvisninger nr 0"))
    await invite.select_option(label="Dina Dips (Superbruker DIPS)")
    await page.get_by_role("button", name=re.compile("^Inviter gjest til Sak om henvisninger nr 0")).click()
    await page.wait_for_load_state()
    assert await page.get_by_role("status").inner_text() == ("Dina Dips er invitert til saken. Innkallingen nevner "
                                                             "gjesten under saken.")
    item = page.get_by_role("listitem").filter(has_text="Sak om henvisninger nr 0")
    assert "Gjester: Dina Dips (Superbruker DIPS)" in await item.inner_text()
    assert await accessibility_violations(page) == []
    await screenshot(page, "moter-gjest-leder")


async def test_the_calendar_view_shows_council_and_pask_meetings(history, served, browser):
    async with served.container.uow() as uow:
        await uow.pask.replace("manual", [
            PaskMeeting(datetime(2026, month, 3, 9, tzinfo=UTC), datetime(2026, month, 3, 11, tzinfo=UTC),
                        "PASK nettverksmøte") for month in (9, 10, 11, 12)])
        await uow.commit()
    page = await open_as(browser, served.url, "Ola Hansen")
    await page.get_by_role("link", name="Møter", exact=True).click()
    await page.wait_for_load_state()
    await page.get_by_role("link", name="Kalender", exact=True).click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Kalender: rådets møter og PASK").is_visible()
    november = page.get_by_role("table", name="November 2026")
    assert await november.get_by_role("columnheader", name="man").is_visible()
    today = november.locator('td[aria-current="date"]')
    assert (await today.inner_text()).startswith("26")
    assert "PASK: PASK nettverksmøte" in await november.inner_text()
    assert await page.locator("a.cal-council").count() >= 8
    assert await accessibility_violations(page) == []
    await page.set_viewport_size({"width": 1280, "height": 900})
    await screenshot(page, "moter-kalender")
    link = page.locator("a.cal-council").first
    target = await link.get_attribute("href")
    await link.click()
    assert page.url.endswith(target) and await page.locator(f"section{target}").is_visible()
    await page.get_by_label("År").select_option("2025")
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_load_state()
    cancelled = page.locator("a.cal-council.cancelled").first
    assert (await cancelled.inner_text()).endswith("– Avlyst")
    await page.get_by_role("link", name="Liste", exact=True).click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Årsplan: rådets møter og PASK").is_visible()
