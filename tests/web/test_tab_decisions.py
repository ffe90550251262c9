"""The decision page over HTTP: leader and secretary edit the benefit, each member sets their own unit's
implementation status, CSRF and roles checked on the server, bad input as a 400 page."""
from __future__ import annotations

import re
from datetime import date

import pytest

from bench.synthetic import fill
from tests.e2e.teams import EMMA, INGRID, KARI, LISE, OLA, SIGRID
from tests.web.seed import MEDICINE, SURGERY

DECISION = re.compile(r'href="/tab/vedtak/(\d+)"')


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


@pytest.fixture
async def decision(tab_bot, council, visitor) -> int:
    """The newest decision of two years of synthetic minutes, as the register links it."""
    c = tab_bot.container
    await fill(c.engine, today=date(2026, 11, 26), years=2, n_cases=40, n_meetings=12, n_hearings=4, n_actions=4,
               units=c.settings.units[:3], benefits=False)
    client = await visitor(SIGRID.aad)
    _, html, _ = await client.get("/tab/horinger")
    return int(DECISION.search(html).group(1))


async def _uniform(visitor, item_id: int) -> None:
    client = await visitor(KARI.aad)
    _, html, _ = await client.get(f"/tab/vedtak/{item_id}")
    status, _, _ = await client.post(f"/tab/vedtak/{item_id}/gevinst", {
        "csrf": _csrf(html), "expected": "Lik registrering av fristbrudd", "category": "kvalitet", "owner": OLA.aad,
        "realised": "ikke_vurdert", "uniform_practice": "ja"})
    assert status == 303


async def test_the_leader_records_a_benefit_and_the_register_shows_it(tab_bot, decision, visitor):
    client = await visitor(KARI.aad)
    status, html, _ = await client.get(f"/tab/vedtak/{decision}")
    assert status == 200 and "Rådet slutter seg til forslaget" in html and 'name="expected"' in html

    status, _, response = await client.post(f"/tab/vedtak/{decision}/gevinst", {
        "csrf": _csrf(html), "expected": "Mindre tid på purringer", "category": "tid_spart", "owner": INGRID.aad,
        "realised": "delvis", "realised_note": "To av tre klinikker", "assessed_on": "2026-11-20",
        "uniform_practice": "ja"})

    assert status == 303 and response.headers["Location"] == f"/tab/vedtak/{decision}?lagret=1#gevinst"
    _, html, _ = await client.get(f"/tab/vedtak/{decision}?lagret=1")
    assert "Lagret." in html and "Mindre tid på purringer" in html
    assert 'value="2026-11-20"' in html and "0 av 9 innført" in html
    _, register, _ = await client.get("/tab/horinger")
    row = register.split(f'href="/tab/vedtak/{decision}"')[1].split("</tr>")[0]
    assert "Tid spart" in row and "Ingrid Berg" in row and "Delvis" in row and "0 av 9 innført" in row
    async with tab_bot.container.uow() as uow:
        [entry] = await uow.audit.for_entity("decision", str(decision))
    assert entry.actor == KARI.aad and entry.after["category"] == "tid_spart"


async def test_a_member_sees_the_benefit_but_no_benefit_form(tab_bot, decision, visitor):
    await _uniform(visitor, decision)
    client = await visitor(OLA.aad)
    status, html, _ = await client.get(f"/tab/vedtak/{decision}")
    assert status == 200 and "Lik registrering av fristbrudd" in html and 'name="expected"' not in html
    status, _, _ = await client.post(f"/tab/vedtak/{decision}/gevinst", {"csrf": _csrf(html), "category": "okonomi"})
    assert status == 403


async def test_a_member_sets_their_own_units_status_and_is_refused_another_unit(tab_bot, decision, visitor):
    await _uniform(visitor, decision)
    client = await visitor(OLA.aad)
    _, html, _ = await client.get(f"/tab/vedtak/{decision}")
    assert html.count('action="/tab/vedtak/') == 1  # one form: Ola's own unit

    status, _, response = await client.post(f"/tab/vedtak/{decision}/innforing", {
        "csrf": _csrf(html), "unit": SURGERY, "status": "innfort", "on": "2026-11-02"})
    assert status == 303 and response.headers["Location"] == f"/tab/vedtak/{decision}?lagret=1#innforing"
    status, html, _ = await client.post(f"/tab/vedtak/{decision}/innforing", {
        "csrf": _csrf(html), "unit": MEDICINE, "status": "innfort"})
    assert status == 403 and "egen enhet" in html

    _, html, _ = await client.get(f"/tab/vedtak/{decision}")
    surgery = html.split(f"{SURGERY}</th>")[1].split("</tr>")[0]
    medicine = html.split(f"{MEDICINE}</th>")[1].split("</tr>")[0]
    assert "Innført" in surgery and "2. november 2026" in surgery and "Ikke meldt" in medicine
    assert "1 av 9 innført" in html


async def test_a_deputy_sets_the_principals_unit_and_the_secretary_any_unit(tab_bot, decision, visitor):
    await _uniform(visitor, decision)
    deputy = await visitor(LISE.aad)
    _, html, _ = await deputy.get(f"/tab/vedtak/{decision}")
    status, _, _ = await deputy.post(f"/tab/vedtak/{decision}/innforing", {"csrf": _csrf(html), "unit": SURGERY,
                                                                            "status": "pagar", "on": "2027-02-01"})
    assert status == 303
    secretary = await visitor(SIGRID.aad)
    _, html, _ = await secretary.get(f"/tab/vedtak/{decision}")
    assert html.count('action="/tab/vedtak/') == 1 + 9  # the benefit form and every unit
    status, _, _ = await secretary.post(f"/tab/vedtak/{decision}/innforing", {"csrf": _csrf(html), "unit": "E-helse",
                                                                               "status": "innfort"})
    assert status == 303
    async with tab_bot.container.uow() as uow:
        statuses = (await uow.benefits.implementation([decision]))[decision]
    assert statuses[SURGERY].status.value == "pagar" and statuses[SURGERY].on == date(2027, 2, 1)
    assert statuses["E-helse"].status.value == "innfort" and statuses["E-helse"].on == date(2026, 11, 26)


async def test_a_person_without_a_role_sees_no_decision(tab_bot, decision, visitor):
    client = await visitor(EMMA.aad)
    status, html, _ = await client.get(f"/tab/vedtak/{decision}")
    assert status == 403 and "Rådet slutter seg" not in html
    status, _, _ = await client.post(f"/tab/vedtak/{decision}/innforing", {"csrf": _csrf(html), "unit": SURGERY,
                                                                            "status": "innfort"})
    assert status == 403


async def test_a_change_without_the_csrf_token_changes_nothing(tab_bot, decision, visitor):
    await _uniform(visitor, decision)
    client = await visitor(OLA.aad)
    status, _, _ = await client.post(f"/tab/vedtak/{decision}/innforing", {"unit": SURGERY, "status": "innfort"})
    assert status == 403
    status, _, _ = await (await visitor(KARI.aad)).post(f"/tab/vedtak/{decision}/gevinst", {"category": "okonomi"})
    assert status == 403
    async with tab_bot.container.uow() as uow:
        assert await uow.benefits.implementation([decision]) == {}
        assert (await uow.benefits.decision(decision, ())).benefit.category.value == "kvalitet"


async def test_bad_input_is_a_clear_400_and_an_unknown_decision_a_404(tab_bot, decision, visitor):
    await _uniform(visitor, decision)
    client = await visitor(KARI.aad)
    _, html, _ = await client.get(f"/tab/vedtak/{decision}")
    csrf = _csrf(html)
    for path, form, text in (
            ("innforing", {"unit": SURGERY, "status": "innfort", "on": "2026-12-24"}, "kan ikke være fram i tid"),
            ("innforing", {"unit": SURGERY, "status": "innfort", "on": "24.12.2026"}, "åååå-mm-dd"),
            ("innforing", {"unit": SURGERY, "status": "ferdig"}, "Velg status"),
            ("innforing", {"unit": "Fantasiklinikken", "status": "pagar"}, "ikke et av rådets seter"),
            ("gevinst", {"expected": "Pasient 01010012356", "category": "kvalitet"}, "fødselsnummer"),
            ("gevinst", {"expected": "Uten kategori"}, "Velg en kategori"),
            ("gevinst", {"category": "kvalitet", "owner": EMMA.aad}, "rådets personer"),
            ("gevinst", {"expected": "x" * 1001, "category": "kvalitet"}, "høyst 1000 tegn")):
        status, html, _ = await client.post(f"/tab/vedtak/{decision}/{path}", {"csrf": csrf, **form})
        assert status == 400 and text in html, (form, status)
    assert (await client.get("/tab/vedtak/999999999"))[0] == 404
    status, html, _ = await client.post("/tab/vedtak/999999999/gevinst", {"csrf": csrf, "category": "kvalitet"})
    assert status == 404 and "Fant ikke vedtaket" in html


async def test_the_decision_page_reads_in_english_with_lang_en(tab_bot, decision, visitor):
    await _uniform(visitor, decision)
    client = await visitor(OLA.aad)
    status, html, _ = await client.get(f"/tab/vedtak/{decision}?lang=en")
    assert status == 200
    assert "Implementation per unit" in html and "0 of 9 introduced" in html and "Not reported" in html
    assert "Quality" in html and "Innføring per enhet" not in html
