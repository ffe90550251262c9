"""The archive hand-off package of an approved meeting: one zip with the referat (PDF/A and Word, the bytes
frozen at approval), the innkalling with its saksframlegg (PDF/A and Word), and metadata for the archive
(Public 360) as JSON and as Noark-5-style XML (the Noark element names, in Rådsbot's own namespace: an import
mapping, not a Noark 5 arkivuttrekk)."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from cards.agenda import item_kind_label
from cards.texts import t
from council.agenda import ItemKind
from council.records import submission_label

NB = "nb-NO"
NAMESPACE = "urn:radsbot:arkivpakke:1"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed entry times: the same meeting gives the same package


@dataclass(frozen=True)
class ArchiveFile:
    name: str  # file name in the package
    title: str
    document_type: str  # "Møtereferat", "Møteinnkalling"
    role: str  # tilknyttetRegistreringSom: "hoveddokument" | "vedlegg"
    file_format: str  # "PDF/A-2b", "DOCX"
    body: bytes


def _files_meta(files: list[ArchiveFile]) -> list[dict]:
    return [{"filnavn": f.name, "tittel": f.title, "dokumenttype": f.document_type,
             "tilknyttetRegistreringSom": f.role, "format": f.file_format,
             "sjekksum": hashlib.sha256(f.body).hexdigest(), "sjekksumAlgoritme": "SHA-256"} for f in files]


def archive_metadata(view, files: list[ArchiveFile], access_code: str, legal_basis: str, tz) -> dict:
    """Everything the archive needs to register the meeting's documents (domain.md §7.4), as plain data."""
    agenda, meeting, sheet = view.agenda, view.agenda.meeting, view.sheet
    approved_at: datetime | None = meeting.minutes_approved_at
    items = []
    for item in sorted(agenda.items, key=lambda i: i.position):
        record = view.records.get(item.id) if item.id is not None else None
        case = agenda.cases.get(item.case_id) if item.case_id is not None else None
        items.append({"saksnummer": item.label(), "moetesaksaar": item.year, "moetesakssekvensnummer": item.number,
                      "tittel": item.title, "sakstype": item_kind_label(item, NB) or
                      ("Eventuelt" if item.kind is ItemKind.ANY_OTHER else "Fast sak"),
                      "innmelding": submission_label(case) if case else None,
                      "utfall": record.outcome.value if record else None, "vedtak": record.text if record else None})
    return {
        "pakke": "Rådsbot arkivpakke", "versjon": 1,
        "organisasjon": t("doc.organisation", NB), "utvalg": t("app.name", NB),
        "tittel": f"{t('minutes.doc_title', NB)} {meeting.date.isoformat()}",
        "moetedato": meeting.date.isoformat(),
        "moetetid": f"{meeting.start.isoformat(timespec='minutes')}–{meeting.end.isoformat(timespec='minutes')}",
        "moetested": meeting.place, "moeteleder": sheet.chair if sheet else "",
        "referent": sheet.minute_taker if sheet else "",
        "godkjent": {"tidspunkt": approved_at.astimezone(tz).isoformat() if approved_at else None,
                     "maate": meeting.minutes_approved_via, "sak": meeting.minutes_approved_in or None},
        "skjerming": {"tilgangskode": access_code or None, "skjermingshjemmel": legal_basis or None},
        "saker": items,
        "dokumenter": _files_meta(files),
    }


def _add(parent, tag: str, value=None):
    element = ElementTree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    if value is not None:
        element.text = str(value)
    return element


def noark_xml(metadata: dict) -> bytes:
    """The metadata as XML with Noark 5 element names (moetemappe, moetesak, dokumentbeskrivelse, …)."""
    ElementTree.register_namespace("", NAMESPACE)
    root = ElementTree.Element(f"{{{NAMESPACE}}}arkivpakke")
    folder = _add(root, "moetemappe")
    for tag, key in (("tittel", "tittel"), ("utvalg", "utvalg"), ("moetedato", "moetedato"),
                     ("moetested", "moetested")):
        _add(folder, tag, metadata[key])
    skjerming = metadata["skjerming"]
    if skjerming["tilgangskode"]:
        shield = _add(folder, "skjerming")
        _add(shield, "tilgangsrestriksjon", skjerming["tilgangskode"])
        if skjerming["skjermingshjemmel"]:
            _add(shield, "skjermingshjemmel", skjerming["skjermingshjemmel"])
    for item in metadata["saker"]:
        case = _add(folder, "moetesak")
        for tag in ("saksnummer", "moetesaksaar", "moetesakssekvensnummer", "tittel", "sakstype", "innmelding",
                    "vedtak"):
            if item.get(tag) is not None:
                _add(case, tag, item[tag])
    registration = _add(folder, "moeteregistrering")
    _add(registration, "tittel", metadata["tittel"])
    for number, document in enumerate(metadata["dokumenter"], start=1):
        description = _add(registration, "dokumentbeskrivelse")
        for tag in ("dokumenttype", "tittel", "tilknyttetRegistreringSom"):
            _add(description, tag, document[tag])
        _add(description, "dokumentnummer", number)
        obj = _add(description, "dokumentobjekt")
        _add(obj, "format", document["format"])
        _add(obj, "sjekksum", document["sjekksum"])
        _add(obj, "sjekksumAlgoritme", document["sjekksumAlgoritme"])
        _add(obj, "referanseDokumentfil", document["filnavn"])
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def archive_zip(files: list[ArchiveFile], metadata: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        entries = [(f.name, f.body) for f in files]
        entries += [("metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8")),
                    ("metadata-noark5.xml", noark_xml(metadata))]
        for name, body in entries:
            package.writestr(zipfile.ZipInfo(name, ZIP_TIME), body)
    return out.getvalue()
