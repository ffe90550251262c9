"""The council's documents as files: PDF/A-2b structure (checked with pikepdf), Word (read back with
python-docx, also in an organisation's own template) and the same content in every format."""
from __future__ import annotations

import importlib.util
import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pikepdf
import pytest
from pypdf import PdfReader

from cards.documents import CardRecordRenderer, hearing_files, notice_files
from cards.docx import render_docx
from cards.record_models import hearing_letter_model, minutes_model

OSLO = ZoneInfo("Europe/Oslo")
ROOT = Path(__file__).resolve().parents[2]


def _demo():
    spec = importlib.util.spec_from_file_location("sample_records", ROOT / "scripts" / "sample_records.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.demo()


NOTICE, MINUTES, LETTER = _demo()
FILES = {**notice_files(NOTICE, OSLO), **CardRecordRenderer(OSLO).minutes(MINUTES), **hearing_files(LETTER, OSLO)}


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    cells = [p.text for table in document.tables for row in table.rows for cell in row.cells
             for p in cell.paragraphs]
    return "\n".join([*cells, *(p.text for p in document.paragraphs)])


@pytest.mark.parametrize("kind", ["notice.pdf", "minutes.pdf", "horingssvar.pdf"])
def test_every_pdf_declares_pdfa_2b_with_an_srgb_intent_embedded_fonts_and_matching_metadata(kind):
    with pikepdf.open(io.BytesIO(FILES[kind])) as pdf:
        assert not pdf.is_encrypted and pdf.pdf_version == "1.7"
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert meta["dc:title"] == str(pdf.docinfo["/Title"]) and str(pdf.Root.Lang) == "nb-NO"
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        assert fonts and all(f.DescendantFonts[0].FontDescriptor.get("/FontFile2") is not None for f in fonts)
        assert "/JavaScript" not in pdf.Root.get("/Names", {}) and "/AcroForm" not in pdf.Root


def test_the_referat_reads_the_same_in_pdf_word_and_markdown():
    expected = ["Referat fra møte i Kontorfaglig råd", "Møteleder", "Kari Nordmann", "Referent", "Sigrid Sekretær",
                "Klinikk for kirurgi: Lise Vara (vara for Ola Hansen)", "Klinikk for psykisk helse og rus: Forfall",
                "Andre til stede", "Saksopplysninger/drøfting", "Enstemmig.", "Dissens", "Protokolltilførsel",
                "a) Praksisplasser for helsesekretærelever våren 2027", "b) Nytt fra DIPS-superbrukerne",
                "Sirkulasjonsvedtak siden forrige møte", "Neste møte: tirsdag 16. februar 2027",
                "Godkjent i sak 09/27 den 16. februar 2027", "Innmelding 014/26"]
    texts = {"pdf": pdf_text(FILES["minutes.pdf"]), "docx": docx_text(FILES["minutes.docx"]),
             "md": FILES["minutes.md"].decode()}
    for fmt, text in texts.items():
        missing = [e for e in expected if e not in text.replace("**", "")]
        assert not missing, (fmt, missing)


def test_the_word_notice_has_the_header_table_the_saksliste_and_the_papers_in_the_templates_styles():
    document = docx.Document(io.BytesIO(FILES["notice.docx"]))
    styles = {p.style.name for p in document.paragraphs}
    text = docx_text(FILES["notice.docx"])

    assert {"Title", "Heading 1", "Heading 2", "Metadata", "Etikett"} <= styles
    assert "Sykehuset i Vestfold HF · Kontorfaglig råd" in document.sections[0].header.paragraphs[0].text
    for expected in ("Møtedato:", "tirsdag 19. januar 2027", "Til:", "Kopi:", "Lise Vara (vara for Ola Hansen)",
                     "Forfall meldes til Sigrid Sekretær innen mandag 18. januar 2027.", "Saksliste",
                     "Sak 04/27 – Felles mal for registrering av fristbrudd", "Saksframlegg", "Forslag til vedtak",
                     "Høringsfrist", "26. februar 2027 (høring fra Helsedirektoratet)"):
        assert expected in text, expected
    assert "Frist for innmelding" not in text
    assert document.core_properties.title.startswith("Innkalling til møte i Kontorfaglig råd")


def test_the_horingssvar_is_a_letter_with_references_the_decision_and_the_leaders_signature():
    for text in (pdf_text(FILES["horingssvar.pdf"]), docx_text(FILES["horingssvar.docx"])):
        for expected in ("Sykehuset i Vestfold HF", "Helsedirektoratet", "Vår ref.:", "2026/04567", "Deres ref.:",
                         "26/12345-3", "Dato:", "17. februar 2027", "Høringssvar – Forskrift om pasientadministrative",
                         "Kontorfaglig råd støtter forslaget", "behandlet i Kontorfaglig råd i sak 06/27",
                         "Med vennlig hilsen", "Kari Nordmann", "Leder, Kontorfaglig råd"):
            assert expected in text, expected


def test_an_organisations_own_template_keeps_its_letterhead_and_loses_its_sample_text(tmp_path):
    own = docx.Document()
    own.sections[0].header.paragraphs[0].text = "Helse Eksempel HF – brevmal"
    own.add_paragraph("Eksempeltekst som skal bort")
    path = tmp_path / "mal.docx"
    own.save(str(path))

    body = render_docx(minutes_model(MINUTES, OSLO), template=path)
    document = docx.Document(io.BytesIO(body))
    assert document.sections[0].header.paragraphs[0].text == "Helse Eksempel HF – brevmal"
    assert "Eksempeltekst" not in docx_text(body) and "Referat fra møte i Kontorfaglig råd" in docx_text(body)


def test_a_letter_decided_by_a_vote_says_so():
    model = hearing_letter_model(replace(LETTER, decided_in="", decided_on=date(2027, 2, 3)), OSLO)
    assert "vedtatt av Kontorfaglig råd ved avstemning 3. februar 2027" in model.groups[0].sections[0].parts[-1].text


def test_the_leadership_network_is_copied_only_when_chosen():
    from cards.record_models import notice_model

    copy = lambda view: {f.label: f.value for f in notice_model(view, OSLO).facts}["Kopi"]  # noqa: E731
    assert copy(NOTICE) == "Lise Vara (vara for Ola Hansen)"
    assert copy(replace(NOTICE, copy_network=True)) == "Lise Vara (vara for Ola Hansen)\nNils Nettverk"


def test_the_archive_package_holds_the_documents_and_metadata_in_json_and_noark_style_xml():
    import json
    import zipfile
    from xml.etree import ElementTree

    from cards.archive import NAMESPACE
    from cards.documents import archive_package
    from council.records import freeze

    frozen = {kind: freeze(kind, FILES[kind], MINUTES.agenda.meeting.minutes_approved_at)
              for kind in ("minutes.pdf", "minutes.docx")}
    body = archive_package(MINUTES, frozen, NOTICE, OSLO, "U", "Offl. § 14")
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        names = set(package.namelist())
        metadata = json.loads(package.read("metadata.json"))
        xml = ElementTree.fromstring(package.read("metadata-noark5.xml"))
        referat = package.read("referat-2027-01-19.pdf")

    assert names == {"referat-2027-01-19.pdf", "referat-2027-01-19.docx", "innkalling-2027-01-19.pdf",
                     "innkalling-2027-01-19.docx", "metadata.json", "metadata-noark5.xml"}
    assert referat == FILES["minutes.pdf"]
    assert metadata["skjerming"] == {"tilgangskode": "U", "skjermingshjemmel": "Offl. § 14"}
    assert metadata["godkjent"]["sak"] == "Sak 09/27" and metadata["moetedato"] == "2027-01-19"
    assert [d["tilknyttetRegistreringSom"] for d in metadata["dokumenter"]].count("hoveddokument") == 1
    assert {s["saksnummer"] for s in metadata["saker"]} >= {"Sak 04/27", "Sak 06/27"}
    ns = {"a": NAMESPACE}
    assert xml.find("a:moetemappe/a:skjerming/a:skjermingshjemmel", ns).text == "Offl. § 14"
    assert len(xml.findall("a:moetemappe/a:moetesak", ns)) == len(MINUTES.agenda.items)
    assert len(xml.findall("a:moetemappe/a:moeteregistrering/a:dokumentbeskrivelse", ns)) == 4
    with zipfile.ZipFile(io.BytesIO(archive_package(MINUTES, frozen, NOTICE, OSLO))) as open_package:
        assert json.loads(open_package.read("metadata.json"))["skjerming"]["tilgangskode"] is None
        assert b"skjerming" not in open_package.read("metadata-noark5.xml")
