"""Council records over HTTP: an approved referat is frozen, attendance is per seat, Møteleder and Referent are
named, and the notice carries no submission deadline."""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
import threading
import zipfile
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from council.errors import InvalidInput
from tests.e2e.teams import (
    EMMA,
    INGRID,
    KARI,
    LISE,
    OLA,
    SIGRID,
    User,
    card_of,
    execute,
    install_in_team,
    nodes,
    texts_in,
)

OSLO = ZoneInfo("Europe/Oslo")


async def council(bot) -> None:
    """Kari leads, Sigrid is secretary; Ola (kirurgi) and Ingrid (medisin) hold seats, Lise is Ola's deputy
    and Emma sits in the leadership network."""
    await bot.post(install_in_team(bot.service_url))
    for user, data in ((SIGRID, {"roles": "secretary"}), (OLA, {"roles": "member", "unit": "Klinikk for kirurgi"}),
                       (INGRID, {"roles": "member", "unit": "Medisinsk klinikk"}),
                       (LISE, {"roles": "deputy", "deputy_for": OLA.aad}), (EMMA, {"roles": "network"})):
        _, body = await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": user.aad, **data}))


async def add_meeting(bot, day: str) -> int:
    await bot.post(execute(bot.service_url, KARI, "meeting.add", {
        "date": day, "start": "10:00", "end": "12:00", "place": "Møterom Tønsberg"}))
    return next(m.id for m in await bot.container.meetings.upcoming() if m.date.isoformat() == day)


async def minutes_card(bot, meeting_id: int) -> dict:
    _, body = await bot.post(execute(bot.service_url, SIGRID, "minutes.show", {"meeting_id": str(meeting_id)}))
    return card_of(body)


def link(card: dict, kind: str) -> str:
    url = next(n["url"] for n in nodes(card) if n.get("type") == "Action.OpenUrl" and kind in n["url"])
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def download(bot, path: str) -> bytes:
    async with bot._session.get(f"{bot.url}{path}") as response:
        assert response.status == 200
        return await response.read()


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


async def write_minutes(bot, meeting_id: int) -> None:
    """Attendance (Lise for Ola, Ingrid absent, a guest), one decision with an action item, draft published."""
    view = await bot.container.minutes.view(meeting_id)
    first = view.agenda.items[0]
    await bot.post(execute(bot.service_url, SIGRID, "minutes.attendance", {
        "meeting_id": str(meeting_id), "present": f"{KARI.aad},{SIGRID.aad},{LISE.aad}",
        "chair": "", "minute_taker": "", "guests": "Anne Gjest (HR)"}))
    await bot.post(execute(bot.service_url, SIGRID, "minutes.record", {
        "item_id": str(first.id), f"outcome_{first.id}": "vedtatt",
        f"text_{first.id}": "Innkalling og saksliste ble godkjent."}))
    await bot.container.minutes.add_action(await bot.member(SIGRID), first.id, "Sende ut malen", OLA.aad,
                                           date(2027, 3, 1))
    await bot.post(execute(bot.service_url, SIGRID, "minutes.publish", {"meeting_id": str(meeting_id)}))


async def test_an_approved_referat_downloads_byte_identical_a_month_later(bot):
    await council(bot)
    bot.clock.set(datetime(2027, 1, 12, 13, 0, tzinfo=OSLO))
    january = await add_meeting(bot, "2027-01-19")
    february = await add_meeting(bot, "2027-02-16")
    bot.clock.set(datetime(2027, 1, 19, 13, 0, tzinfo=OSLO))
    await write_minutes(bot, january)
    with pytest.raises(InvalidInput):  # no archive package before approval
        await bot.container.minutes.archive_parts(january)
    _, body = await bot.post(execute(bot.service_url, KARI, "minutes.approve", {"meeting_id": str(january)}))
    approved = card_of(body)
    assert "Godkjent ved sirkulasjon den 19. januar 2027 kl. 13.00" in texts_in(approved)
    first_pdf = await download(bot, link(approved, "minutes.pdf"))
    first_docx = await download(bot, link(approved, "minutes.docx"))
    first_md = await bot.container.minutes.document(january, "minutes.md")  # the archive/API format
    assert f"SHA-256 (PDF): {hashlib.sha256(first_pdf).hexdigest()}" in texts_in(approved)

    # a month later: new action items in February, a changed member list, the old one closed
    bot.clock.advance(days=31)
    feb_item = (await bot.container.minutes.view(february)).agenda.items[0]
    await bot.container.minutes.add_action(await bot.member(SIGRID), feb_item.id, "Nytt punkt i februar",
                                           INGRID.aad, date(2027, 4, 1))
    await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": OLA.aad, "roles": "member",
                                                                   "unit": "Psykisk helsevern"}))

    card = await minutes_card(bot, january)  # links on a card last minutes: open it again for fresh ones
    assert await download(bot, link(card, "minutes.pdf")) == first_pdf
    assert await download(bot, link(card, "minutes.docx")) == first_docx
    assert await bot.container.minutes.document(january, "minutes.md") == first_md
    assert "Nytt punkt i februar" not in pdf_text(first_pdf)
    with zipfile.ZipFile(io.BytesIO(await download(bot, link(card, "arkiv.zip")))) as package:
        assert package.read("referat-2027-01-19.pdf") == first_pdf
        metadata = json.loads(package.read("metadata.json"))
        assert metadata["godkjent"]["maate"] == "sirkulasjon" and metadata["moeteleder"] == "Kari Nordmann"
        assert metadata["dokumenter"][0]["sjekksum"] == hashlib.sha256(first_pdf).hexdigest()
        assert b"<moetemappe>" in package.read("metadata-noark5.xml")


async def test_attendance_is_per_seat_with_the_deputy_named_once_and_no_network_or_unused_deputies(bot):
    await council(bot)
    bot.clock.set(datetime(2027, 1, 12, 13, 0, tzinfo=OSLO))
    meeting_id = await add_meeting(bot, "2027-01-19")
    await bot.post(execute(bot.service_url, OLA, "attendance.absent", {"meeting_id": str(meeting_id)}))
    await write_minutes(bot, meeting_id)
    card = await minutes_card(bot, meeting_id)
    text = pdf_text(await download(bot, link(card, "minutes.pdf")))

    assert "Leder: Kari Nordmann" in text
    assert "Klinikk for kirurgi: Lise Vara (vara for Ola Hansen)" in text
    assert "Medisinsk klinikk: Forfall" in text
    assert "Forfall: Ola Hansen, Ingrid Berg" in text or "Forfall: Ingrid Berg, Ola Hansen" in text
    assert "Andre til stede: Sigrid Sekretær, Anne Gjest (HR)" in text
    assert text.count("Lise Vara") == 1
    assert "Emma Innmelder" not in text  # the network member did not come


async def test_moteleder_and_referent_default_to_leader_and_secretary_and_can_be_changed(bot):
    await council(bot)
    bot.clock.set(datetime(2027, 1, 12, 13, 0, tzinfo=OSLO))
    meeting_id = await add_meeting(bot, "2027-01-19")
    card = await minutes_card(bot, meeting_id)
    text = pdf_text(await download(bot, link(card, "minutes.pdf")))
    assert "Møteleder: Kari Nordmann" in text and "Referent: Sigrid Sekretær" in text

    _, body = await bot.post(execute(bot.service_url, SIGRID, "minutes.attendance", {
        "meeting_id": str(meeting_id), "present": f"{KARI.aad},{INGRID.aad}", "chair": INGRID.aad,
        "minute_taker": KARI.aad, "guests": ""}))
    assert "Møteleder:** Ingrid Berg" in texts_in(card_of(body))
    text = pdf_text(await download(bot, link(card_of(body), "minutes.pdf")))
    assert "Møteleder: Ingrid Berg" in text and "Referent: Kari Nordmann" in text

    _, body = await bot.post(execute(bot.service_url, SIGRID, "minutes.attendance", {
        "meeting_id": str(meeting_id), "present": KARI.aad, "chair": "no-such-person"}))
    assert "Fant ikke personen" in texts_in(card_of(body))


async def test_the_notice_no_longer_prints_the_submission_deadline(bot):
    await council(bot)
    bot.clock.set(datetime(2027, 1, 5, 13, 0, tzinfo=OSLO))
    meeting_id = await add_meeting(bot, "2027-01-19")
    _, body = await bot.post(execute(bot.service_url, KARI, "notice.publish", {"meeting_id": str(meeting_id)}))
    text = pdf_text(await download(bot, link(card_of(body), "notice.pdf")))

    assert "Innkalling" in text and "Godkjenning av innkalling og saksliste" in text
    assert "Frist for innmelding" not in text and "innmelding av saker" not in text


async def test_a_member_reads_the_approved_referat_but_not_the_draft_through_a_personal_link(bot):
    from web.routes import TAB

    await council(bot)
    bot.clock.set(datetime(2027, 1, 12, 13, 0, tzinfo=OSLO))
    january = await add_meeting(bot, "2027-01-19")
    bot.clock.set(datetime(2027, 1, 19, 13, 0, tzinfo=OSLO))
    await write_minutes(bot, january)
    personal_link = bot._runner.app[TAB].document_link  # what the tab's Møter page gives its reader

    async def status(reader, kind: str) -> int:
        url = urlsplit(personal_link(kind, january, reader.aad))
        async with bot._session.get(f"{bot.url}{url.path}?{url.query}") as response:
            await response.read()
            return response.status

    assert await status(OLA, "minutes.pdf") == 403  # a draft is for the leader and the secretary
    assert await status(SIGRID, "minutes.pdf") == 200
    await bot.post(execute(bot.service_url, KARI, "minutes.approve", {"meeting_id": str(january)}))

    assert await status(OLA, "minutes.pdf") == 200
    assert await status(OLA, "arkiv.zip") == 403
    assert await status(EMMA, "minutes.pdf") == 200  # the leadership network is in the notice's audience
    assert await status(User("per", "Per Utenfor", "per@siv-demo.no"), "minutes.pdf") == 403


async def test_the_server_answers_while_a_document_is_rendered(bot, monkeypatch):
    """A PDF/A takes up to seconds of CPU: it is rendered on a worker thread, so /healthz (and Teams) are answered
    meanwhile. The renderer here can only finish once /healthz has answered; on the event loop it would wait
    its whole timeout and fail."""
    import bot.exports as exports

    healthz_answered = threading.Event()
    render = exports.notice_files

    def waiting_render(*args, **kwargs):
        if not healthz_answered.wait(timeout=5):
            raise AssertionError("/healthz was not answered while the notice was rendered")
        return render(*args, **kwargs)

    monkeypatch.setattr(exports, "notice_files", waiting_render)
    await council(bot)
    bot.clock.set(datetime(2027, 1, 5, 13, 0, tzinfo=OSLO))
    meeting_id = await add_meeting(bot, "2027-01-19")
    _, body = await bot.post(execute(bot.service_url, KARI, "notice.publish", {"meeting_id": str(meeting_id)}))

    async def healthz() -> int:
        await asyncio.sleep(0.05)
        async with bot._session.get(f"{bot.url}/healthz") as response:
            healthz_answered.set()
            return response.status

    document, status = await asyncio.gather(download(bot, link(card_of(body), "notice.pdf")), healthz())

    assert status == 200
    assert "Innkalling" in pdf_text(document)


async def submit_case(bot, title: str, case_type: str, meeting_id: int) -> int:
    await bot.post(execute(bot.service_url, EMMA, "case.submit", {
        "title": title, "description": "Klinikkene registrerer ulikt.", "unit": "Medisinsk klinikk",
        "case_type": case_type, "meeting": "first", "submission_key": title}))
    async with bot.container.uow() as uow:
        case = next(c for c in await uow.cases.by_submitter(EMMA.aad) if c.title == title)
    await bot.post(execute(bot.service_url, KARI, "case.triage", {
        "case_id": str(case.id), "version": str(case.version), "decision": "accept",
        "meeting_id": str(meeting_id), "final_type": case_type}))
    return case.id


async def january_with_a_case(bot) -> tuple[int, int, int]:
    """The council, meetings on 19 January and 16 February 2027 (added on 4 January) and Emma's accepted case
    on January's agenda: (january, february, case id)."""
    await council(bot)
    bot.clock.set(datetime(2027, 1, 4, 13, 0, tzinfo=OSLO))
    january = await add_meeting(bot, "2027-01-19")
    february = await add_meeting(bot, "2027-02-16")
    case_id = await submit_case(bot, "Felles mal for fristbrudd", "beslutning", january)
    await bot.container.agenda.view(january)  # the accepted case takes its place on the agenda
    return january, february, case_id


async def test_the_innkalling_names_recipients_where_apologies_go_and_a_saksframlegg_per_case(bot):
    await council(bot)
    bot.clock.set(datetime(2027, 1, 4, 13, 0, tzinfo=OSLO))
    meeting_id = await add_meeting(bot, "2027-01-19")
    case_id = await submit_case(bot, "Felles mal for fristbrudd", "beslutning", meeting_id)
    view = await bot.container.agenda.view(meeting_id)
    item = next(i for i in view.items if i.case_id == case_id)
    _, body = await bot.post(execute(bot.service_url, SIGRID, "agenda.paper_show", {"item_id": str(item.id)}))
    form = card_of(body)
    assert "Saksframlegg" in texts_in(form) and "Innmelding 001/27" in texts_in(form)
    assert next(n for n in nodes(form) if n.get("id") == f"background_{item.id}")["value"] == \
        "Klinikkene registrerer ulikt."  # the case's description until edited
    _, body = await bot.post(execute(bot.service_url, SIGRID, "agenda.paper", {
        "item_id": str(item.id), f"background_{item.id}": "Kort bakgrunn fra sekretæren.",
        f"proposal_{item.id}": "Rådet vedtar felles mal."}))
    assert "Forslag til vedtak:** Rådet vedtar felles mal." in texts_in(card_of(body))
    _, body = await bot.post(execute(bot.service_url, OLA, "agenda.paper", {
        "item_id": str(item.id), f"background_{item.id}": "Ola prøver."}))
    assert "Bare leder og sekretær" in texts_in(card_of(body))

    _, body = await bot.post(execute(bot.service_url, KARI, "notice.publish", {"meeting_id": str(meeting_id)}))
    card = card_of(body)
    assert "Innmelding 001/27" in texts_in(card) and "Rådet vedtar felles mal." in texts_in(card)
    text = pdf_text(await download(bot, link(card, "notice.pdf")))

    for expected in ("Innkalling til møte i Kontorfaglig råd", "Møtedato: tirsdag 19. januar 2027",
                     "Tid: kl. 10.00–12.00", "Sted: Møterom Tønsberg", "Til: Kari Nordmann (leder)",
                     "Ingrid Berg (Medisinsk klinikk)", "Ola Hansen (Klinikk for kirurgi)",
                     "Kopi: Lise Vara (vara for Ola Hansen)",
                     "Forfall meldes til Sigrid Sekretær innen mandag 18. januar 2027.",
                     "Saksliste", "Sak 04/27 – Felles mal for fristbrudd", "Innmelding 001/27", "Saksframlegg",
                     "Bakgrunn", "Kort bakgrunn fra sekretæren.", "Forslag til vedtak", "Rådet vedtar felles mal."):
        assert expected in text, expected
    assert "Emma Innmelder" not in text.split("Saksliste")[0]  # the network gets no copy unless chosen


async def test_bad_requests_for_records_get_clear_answers_and_never_a_server_error(bot):
    await council(bot)
    meeting_id = await add_meeting(bot, "2027-01-19")
    await bot.post(execute(bot.service_url, SIGRID, "hearing.save", {
        "title": "Høring uten vedtak", "sender": "Helsedirektoratet", "received": "2026-12-02",
        "external_deadline": "2027-02-26", "internal_deadline": "2027-02-12"}))
    [line] = await bot.container.hearings.register_view(await bot.member(SIGRID))
    cases = [(SIGRID, "hearing.letter", {"hearing_id": str(line.hearing.id)}, "når rådet har vedtatt svaret"),
             (SIGRID, "hearing.letter", {"hearing_id": "999"}, "Fant ikke høringen"),
             (OLA, "hearing.letter", {"hearing_id": str(line.hearing.id)}, "Bare leder og sekretær"),
             (KARI, "hearing.sent", {"hearing_id": str(line.hearing.id), "version": "1"}, "Oppgi høringssvaret"),
             (OLA, "agenda.paper_show", {"item_id": "1"}, "Bare leder og sekretær"),
             (SIGRID, "agenda.paper_show", {"item_id": "999"}, "Fant ikke saken"),
             (SIGRID, "agenda.paper", {"item_id": "1", "background_1": "x" * 4001}, "høyst 4000 tegn")]
    for user, verb, data, expected in cases:
        status, body = await bot.post(execute(bot.service_url, user, verb, data))
        assert status == 200 and expected in texts_in(card_of(body)), (verb, data)
    for path in (f"/exports/moter/{meeting_id}/arkiv.zip", "/exports/horinger/1/horingssvar.pdf",
                 "/exports/horinger/x/horingssvar.docx", f"/exports/moter/{meeting_id}/notice.odt"):
        async with bot._session.get(f"{bot.url}{path}?sig=0&exp=9999999999") as response:
            assert response.status == 403, path
