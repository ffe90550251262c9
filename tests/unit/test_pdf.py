"""Archive PDFs of notice and minutes: Norwegian text, metadata, embedded fonts, page numbers."""
from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from cards.pdf import PdfItem, PdfMeeting, minutes_pdf, notice_pdf

CREATED = datetime(2027, 1, 12, 11, 30, tzinfo=UTC)
AUTHOR = "Kontorfaglig råd, Sykehuset i Vestfold HF"

ITEMS = (
    PdfItem("", "Godkjenning av innkalling og saksliste", "Beslutningssak",
            text="Innkalling og saksliste ble godkjent uten merknader."),
    PdfItem("Sak 01/27", "Økt bruk av digitale skjemaer i poliklinikkene", "Beslutningssak",
            presenter="Åse Bråten", minutes=20,
            text="Rådet slutter seg til forslaget. Pasienter uten digital tilgang får tilbud på papir.",
            extra=("Protokolltilførsel: Kjersti Ødegård ønsker protokollført at opplæring gis i arbeidstiden.",
                   "Ansvarlig: Per Østby – frist 5. juni 2026: Lage plan for opplæring."),
            links=("https://intranett.example/saker/01-27",)),
    PdfItem("Sak 02/27", "Oppfølgingsliste", "Orienteringssak", presenter="Sigrid Sæther", minutes=10,
            text="Oppfølgingslisten ble gjennomgått."),
)

MEETING = PdfMeeting(
    council="Kontorfaglig råd", organisation="Sykehuset i Vestfold HF",
    title="Referat fra møte i Kontorfaglig råd", date_text="tirsdag 12. januar 2027",
    time_text="kl. 09.00–11.00", place="Tønsberg, Fjordsalen", chair="Kari Nordmann", secretary="Sigrid Sæther",
    present=("Kari Nordmann", "Ola Hansen", "Åse Bråten"), absent=("Bjørn Ås",), items=ITEMS,
    footer_lines=("Neste møte: tirsdag 9. februar 2027", "Godkjent 9. februar 2027"), status="Utkast",
    case_numbers=("01/27", "02/27"), created=CREATED)

NOTICE = replace(MEETING, title="Innkalling til møte i Kontorfaglig råd", status="", present=(), absent=(),
                 footer_lines=())


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(data).pages)


def _flat(text: str) -> str:
    """Extracted text with line breaks as spaces: wrapped paragraphs read as one line."""
    return re.sub(r"\s+", " ", text)


def test_minutes_text_keeps_norwegian_letters() -> None:
    data = minutes_pdf(MEETING)
    assert data.startswith(b"%PDF-")
    text = _text(data)
    flat = _flat(text)
    for expected in ("Godkjenning av innkalling og saksliste", "Oppfølgingsliste", "Sak 01/27 – Økt bruk av",
                     "Forfall", "Bjørn Ås", "Til stede", "Møteleder", "Referent", "Sigrid Sæther",
                     "Protokolltilførsel: Kjersti Ødegård", "Ansvarlig: Per Østby – frist 5. juni 2026",
                     "Tønsberg, Fjordsalen", "kl. 09.00–11.00", "Godkjent 9. februar 2027", "Utkast"):
        assert expected in flat, expected
    assert "Side 1 av 1" in text


def test_notice_shows_presenter_and_time_but_no_attendance() -> None:
    flat = _flat(_text(notice_pdf(NOTICE)))
    assert "Innkalling til møte i Kontorfaglig råd" in flat
    assert "Saksliste" in flat
    assert "Innleder: Åse Bråten" in flat
    assert "20 min" in flat
    assert "Til stede" not in flat and "Forfall" not in flat


def test_minutes_do_not_show_schedule() -> None:
    flat = _flat(_text(minutes_pdf(MEETING)))
    assert "Innleder:" not in flat
    assert "20 min" not in flat


def test_metadata_for_the_archive() -> None:
    reader = _reader(minutes_pdf(MEETING))
    info = reader.metadata
    assert info is not None
    assert info.title == "Referat fra møte i Kontorfaglig råd, tirsdag 12. januar 2027"
    assert info.author == AUTHOR
    assert info.subject is not None and "Kontorfaglig råd" in info.subject and "12. januar 2027" in info.subject
    keywords = str(info.get("/Keywords"))
    assert "01/27" in keywords and "02/27" in keywords
    assert info.creator == "Rådsbot"
    assert info.creation_date == CREATED

    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nb-NO"
    assert "/OutputIntents" in catalog
    assert "/Encrypt" not in reader.trailer

    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": info.title}
    assert xmp.dc_creator == [AUTHOR]
    assert xmp.dc_language == ["nb-NO"]
    assert xmp.pdf_keywords == keywords
    assert xmp.xmp_create_date == CREATED.replace(tzinfo=None)
    raw = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in raw and "<pdfaid:conformance>B</pdfaid:conformance>" in raw


def test_keywords_fall_back_to_item_numbers() -> None:
    info = _reader(notice_pdf(replace(NOTICE, case_numbers=()))).metadata
    assert info is not None
    assert "Sak 01/27" in str(info.get("/Keywords"))


def _fonts(reader: PdfReader) -> list[DictionaryObject]:
    fonts: list[DictionaryObject] = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for ref in resources.get("/Font", DictionaryObject()).get_object().values():
            fonts.append(ref.get_object())
    return fonts


def test_all_fonts_are_embedded_truetype() -> None:
    fonts = _fonts(_reader(minutes_pdf(MEETING)))
    assert fonts
    names = set()
    for font in fonts:
        assert font["/Subtype"] == "/Type0"
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        assert "/ToUnicode" in font
        names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names == {"DejaVuSansBook", "DejaVuSansBold"}


def _long_agenda(count: int) -> PdfMeeting:
    text = ("Saken gjelder rutiner for skanning, journalføring og arkivering av pasientdokumenter på "
            "tvers av klinikkene, og rådet bes vurdere om ordningen bør videreføres. ") * 6
    items = tuple(PdfItem(f"Sak {n:02d}/27", f"Sak nummer {n} om kontorfaglige rutiner i Tønsberg", "Drøftingssak",
                          presenter="Åse Bråten", minutes=5, text=text, extra=(f"Ansvarlig: Per Østby – sak {n}",))
                  for n in range(1, count + 1))
    return replace(NOTICE, items=items, case_numbers=())


def test_long_agenda_breaks_pages_with_page_numbers() -> None:
    reader = _reader(notice_pdf(_long_agenda(60)))
    total = len(reader.pages)
    assert total > 5
    for number, page in enumerate(reader.pages, start=1):
        assert f"Side {number} av {total}" in page.extract_text()
    flat = _flat(_text(notice_pdf(_long_agenda(60))))
    for n in (1, 30, 60):
        assert f"Sak {n:02d}/27 – Sak nummer {n} om kontorfaglige rutiner i Tønsberg" in flat
    assert flat.count("Ansvarlig: Per Østby – sak") == 60


def test_long_words_and_control_characters_do_not_break_rendering() -> None:
    item = PdfItem("Sak 03/27", "Lang lenke", "Orienteringssak", text="Før\tetter\r\nny linje\x00\x07 slutt",
                   links=("https://intranett.example/" + "veldig-lang-sti-" * 30,))
    flat = _flat(_text(minutes_pdf(replace(MEETING, items=(item,)))))
    assert "Før etter" in flat
    assert "ny linje slutt" in flat


def test_empty_agenda_says_so() -> None:
    assert "Ingen saker er meldt." in _text(notice_pdf(replace(NOTICE, items=())))


@pytest.mark.parametrize("render", [notice_pdf, minutes_pdf])
def test_same_input_renders_the_same_document(render) -> None:
    first, second = render(MEETING), render(MEETING)
    assert first.startswith(b"%PDF-")
    assert _text(first) == _text(second)
    assert _reader(first).metadata == _reader(second).metadata


def test_creation_date_defaults_to_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    info = _reader(minutes_pdf(replace(MEETING, created=None))).metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date >= before
