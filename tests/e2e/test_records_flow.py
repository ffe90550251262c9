"""A meeting from notice to approved minutes over HTTP, with the høringssvar: every document is downloaded
through the links on the cards and read back (PDF text via pypdf, Word text via python-docx)."""
from __future__ import annotations

import io
from datetime import datetime

import docx

from tests.e2e.teams import INGRID, KARI, LISE, OLA, SIGRID, execute, texts_in
from tests.e2e.test_records import OSLO, download, january_with_a_case, link, minutes_card, pdf_text


def docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    cells = [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join([*cells, *(p.text for p in document.paragraphs)])


async def both(bot, card: dict, pdf_kind: str, docx_kind: str) -> list[tuple[str, str]]:
    """The document in PDF and Word, as text, from the links on a card."""
    return [("pdf", pdf_text(await download(bot, link(card, pdf_kind)))),
            ("docx", docx_text(await download(bot, link(card, docx_kind))))]


def assert_all(texts: list[tuple[str, str]], expected: list[str]) -> None:
    for fmt, text in texts:
        missing = [e for e in expected if e not in text]
        assert not missing, (fmt, missing)


async def record(bot, item_id: int, outcome: str, text: str, discussion: str = "") -> None:
    await bot.press(SIGRID, "minutes.record", {"item_id": str(item_id), f"outcome_{item_id}": outcome,
                                              f"text_{item_id}": text, f"discussion_{item_id}": discussion})


async def test_a_meeting_runs_from_notice_to_approved_minutes_with_a_horingssvar(bot):
    january, february, case_id = await january_with_a_case(bot)
    await bot.press(SIGRID, "hearing.save", {
        "title": "Forskrift om pasientadministrative rutiner", "sender": "Helsedirektoratet",
        "their_reference": "26/12345-3", "case_number": "2026/04567", "journal_number": "26/04567-1",
        "received": "2026-12-02", "external_deadline": "2027-02-26", "internal_deadline": "2027-02-12",
        "links": "", "draft_text": "Rådet støtter forslaget.", "draft_link": ""})
    [line] = await bot.container.hearings.register_view(await bot.member(SIGRID))
    hearing = line.hearing
    await bot.press(SIGRID, "hearing.agenda", {"hearing_id": str(hearing.id), "version": str(hearing.version),
                                               f"meeting_{hearing.id}": str(january)})
    view = await bot.container.agenda.view(january)
    case_item = next(i for i in view.items if i.case_id == case_id)
    await bot.press(SIGRID, "agenda.paper", {"item_id": str(case_item.id),
                                             f"background_{case_item.id}": "Klinikkene registrerer ulikt.",
                                             f"proposal_{case_item.id}": "Rådet vedtar felles mal."})

    # the innkalling
    notice = await bot.press(KARI, "notice.publish", {"meeting_id": str(january)})
    agenda = await bot.press(KARI, "agenda.show", {"meeting_id": str(january)})
    assert_all([("card", texts_in(notice))], ["Innmelding 001/27", "Forslag til vedtak"])
    assert_all(await both(bot, agenda, "notice.pdf", "notice.docx"), [
        "Innkalling til møte i Kontorfaglig råd", "tirsdag 19. januar 2027", "kl. 10.00–12.00",
        "Møterom Tønsberg", "Kari Nordmann (leder)", "Ola Hansen (Klinikk for kirurgi)",
        "Ingrid Berg (Medisinsk klinikk)", "Lise Vara (vara for Ola Hansen)",
        "Forfall meldes til Sigrid Sekretær innen mandag 18. januar 2027.", "Saksliste",
        "Sak 04/27 – Felles mal for fristbrudd", "Innmelding 001/27",
        "Sak 05/27 – Forskrift om pasientadministrative rutiner", "Saksframlegg", "Bakgrunn",
        "Klinikkene registrerer ulikt.", "Forslag til vedtak", "Rådet vedtar felles mal.", "Høringsfrist",
        "26. februar 2027 (høring fra Helsedirektoratet)"])

    # Ola sends apologies; his deputy Lise comes. The secretary writes the minutes after the meeting.
    await bot.post(execute(bot.service_url, OLA, "attendance.absent", {"meeting_id": str(january)}))
    bot.clock.set(datetime(2027, 1, 19, 13, 0, tzinfo=OSLO))
    await bot.press(SIGRID, "minutes.attendance", {
        "meeting_id": str(january), "present": f"{KARI.aad},{SIGRID.aad},{INGRID.aad},{LISE.aad}",
        "chair": "", "minute_taker": "", "guests": "Anne Gjest (HR)"})
    items = {i.kind.value if i.case_id is None and i.case_type is None else i.title: i
             for i in (await bot.container.agenda.view(january)).items}
    await record(bot, items["approve_notice"].id, "vedtatt", "Innkalling og saksliste ble godkjent.")
    await record(bot, case_item.id, "vedtatt", "Rådet vedtar felles mal for fristbrudd.",
                 "Ingrid Berg la fram forslaget, og rådet drøftet omfanget.")
    hearing_item = items["Forskrift om pasientadministrative rutiner"]
    await record(bot, hearing_item.id, "vedtatt", "Rådet slutter seg til utkastet til høringssvar.")
    await record(bot, items["any_other"].id, "drøftet", "Tatt til orientering.",
                 "Praksisplasser våren 2027\nNytt fra DIPS-superbrukerne")
    await bot.press(SIGRID, "minutes.publish", {"meeting_id": str(january)})

    # the høringssvar: decided, the letter downloaded, and only the leader confirms it was sent
    hearing = await bot.container.hearings.get(await bot.member(SIGRID), hearing.id)
    await bot.press(SIGRID, "hearing.status", {
        "hearing_id": str(hearing.hearing.id), "version": str(hearing.hearing.version),
        f"status_{hearing.hearing.id}": "vedtatt",
        f"decision_{hearing.hearing.id}": "Kontorfaglig råd støtter forslaget til forskrift."})
    letter = await bot.press(SIGRID, "hearing.letter", {"hearing_id": str(hearing.hearing.id)})
    assert_all(await both(bot, letter, "horingssvar.pdf", "horingssvar.docx"), [
        "Sykehuset i Vestfold HF", "Kontorfaglig råd", "Helsedirektoratet", "Vår ref.:", "2026/04567",
        "Deres ref.:", "26/12345-3", "Dato:", "19. januar 2027",
        "Høringssvar – Forskrift om pasientadministrative rutiner", "Kontorfaglig råd støtter forslaget til forskrift.",
        "Høringssvaret er behandlet i Kontorfaglig råd i sak 05/27 i møtet 19. januar 2027.", "Med vennlig hilsen",
        "Kari Nordmann", "Leder, Kontorfaglig råd"])
    decided = (await bot.container.hearings.get(await bot.member(KARI), hearing.hearing.id)).hearing
    refused = await bot.press(SIGRID, "hearing.sent", {"hearing_id": str(decided.id), "version": str(decided.version),
                                                       f"journal_{decided.id}": "26/04567-3"})
    assert "Bare lederen kan bekrefte" in texts_in(refused)
    sent = await bot.press(KARI, "hearing.sent", {"hearing_id": str(decided.id), "version": str(decided.version),
                                                  f"journal_{decided.id}": "26/04567-3"})
    assert "Sendt. Journalpostnummer: 26/04567-3" in texts_in(sent)
    final = (await bot.container.hearings.get(await bot.member(KARI), decided.id)).hearing
    assert (final.status.value, final.response_reference) == ("sendt", "26/04567-3")

    # February: the notice goes out, and the referat is approved under its second standing item
    bot.clock.set(datetime(2027, 2, 9, 8, 0, tzinfo=OSLO))
    await bot.press(KARI, "notice.publish", {"meeting_id": str(february)})
    bot.clock.set(datetime(2027, 2, 16, 10, 20, tzinfo=OSLO))
    approve = next(i for i in (await bot.container.agenda.view(february)).items if i.kind.value == "approve_minutes")
    await record(bot, approve.id, "vedtatt", "Referatet fra 19. januar ble godkjent.")
    card = await minutes_card(bot, january)
    assert "Godkjent i sak 08/27 den 16. februar 2027 kl. 10.20" in texts_in(card)
    texts = await both(bot, card, "minutes.pdf", "minutes.docx")
    assert_all(texts, [
        "Referat fra møte i Kontorfaglig råd", "Organ", "Kontorfaglig råd, Sykehuset i Vestfold HF", "Møtedato",
        "tirsdag 19. januar 2027", "Tid", "kl. 10.00–12.00", "Sted", "Møterom Tønsberg", "Møteleder",
        "Kari Nordmann", "Referent", "Sigrid Sekretær", "Til stede", "Leder: Kari Nordmann",
        "Klinikk for kirurgi: Lise Vara (vara for Ola Hansen)", "Medisinsk klinikk: Ingrid Berg", "Forfall",
        "Ola Hansen", "Andre til stede", "Sigrid Sekretær, Anne Gjest (HR)", "Sak 04/27 – Felles mal for fristbrudd",
        "Innmelding 001/27", "Saksopplysninger/drøfting", "Ingrid Berg la fram forslaget", "Vedtak",
        "Rådet vedtar felles mal for fristbrudd.", "Enstemmig.", "a) Praksisplasser våren 2027",
        "b) Nytt fra DIPS-superbrukerne", "Sirkulasjonsvedtak siden forrige møte", "Oppfølgingsliste",
        "Neste møte: tirsdag 16. februar 2027", "Godkjent i sak 08/27 den 16. februar 2027"])
    for _fmt, text in texts:  # the network member is not listed; the deputy once, in Ola's seat
        assert "Emma Innmelder" not in text and text.count("Lise Vara") == 1
