"""Word (.docx) rendering of a RecordDocument (innkalling, referat, høringssvar) with python-docx.

The document is written into a template, `cards/templates/brevmal.docx` (made by scripts/make_brevmal.py),
whose page header is the letterhead area and whose styles set the look. An organisation can replace the file
with its own letterhead template; the renderer empties the template's body, keeps its headers, footers and
page set-up, and uses the styles "Title", "Heading 1", "Heading 2", "List Bullet", "Metadata" and "Etikett",
falling back to "Normal" for any the template lacks.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from cards.pdf import clean
from cards.record_models import Fact, Letter, RecordDocument, Section

TEMPLATE = Path(__file__).resolve().parent / "templates" / "brevmal.docx"
LANGUAGE = "nb-NO"
LINK_LABEL = "Lenke"


def render_docx(document: RecordDocument, template: Path = TEMPLATE) -> bytes:
    doc = Document(str(template))
    _empty_body(doc)
    _properties(doc, document)
    if document.letter is not None:
        _letter_head(doc, document.letter)
    elif document.status:
        _paragraph(doc, document.status, "Metadata")
    _paragraph(doc, document.title, "Title")
    if document.facts:
        _facts(doc, document.facts)
    for line in document.intro:
        _paragraph(doc, line)
    for group in document.groups:
        if group.heading:
            _paragraph(doc, group.heading, "Heading 1")
        for section in group.sections:
            _section(doc, section)
        for line in group.lines:
            _paragraph(doc, line, "List Bullet")
        if not group.sections and not group.lines and group.empty:
            _paragraph(doc, group.empty)
    for line in document.closing:
        _paragraph(doc, line)
    if document.letter is not None:
        _signature(doc, document.letter)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _empty_body(doc: DocxDocument) -> None:
    """Remove a template's sample content; the section properties (page size, header, footer) stay."""
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _properties(doc: DocxDocument, document: RecordDocument) -> None:
    core = doc.core_properties
    core.title = f"{document.title} – {document.date_text}"
    core.subject = document.kind
    core.author = f"{document.council}, {document.organisation}"
    core.keywords = ", ".join((document.kind, document.council, *document.case_numbers))
    core.language = LANGUAGE
    core.comments = "Rådsbot"
    core.last_modified_by = document.council
    if document.created is not None:
        core.created = core.modified = document.created


def _style(doc: DocxDocument, name: str) -> str:
    try:
        doc.styles[name]
    except KeyError:
        return "Normal"
    return name


def _paragraph(doc: DocxDocument, text: str, style: str = "Normal"):
    return doc.add_paragraph(clean(text).strip(), style=_style(doc, style))


def _facts(doc: DocxDocument, facts: tuple[Fact, ...]) -> None:
    """Label and value in a borderless two-column table (values with several lines keep them)."""
    rows = [f for f in facts if f.value.strip()]
    table = doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for row, fact in zip(table.rows, rows, strict=True):
        label, value = row.cells
        label.width, value.width = Cm(4.0), Cm(12.6)
        label.paragraphs[0].add_run(f"{fact.label}:").bold = True
        lines = clean(fact.value).strip().splitlines()
        value.paragraphs[0].add_run(lines[0] if lines else "")
        for line in lines[1:]:
            value.add_paragraph(line)
    doc.add_paragraph()


def _section(doc: DocxDocument, section: Section) -> None:
    if section.heading:
        _paragraph(doc, section.heading, "Heading 2")
    if section.meta:
        _paragraph(doc, section.meta, "Metadata")
    for part in section.parts:
        if part.label:
            _paragraph(doc, part.label, "Etikett")
        for paragraph in clean(part.text).strip().split("\n\n"):
            if paragraph.strip():
                _paragraph(doc, paragraph)
    for line in section.bullets:
        _paragraph(doc, line, "List Bullet")
    for url in section.links:
        _paragraph(doc, f"{LINK_LABEL}: {url}", "Metadata")


def _letter_head(doc: DocxDocument, letter: Letter) -> None:
    """Sender and recipient on the left, Vår ref./Deres ref./Dato on the right."""
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(10.6), Cm(6.0)
    first = left.paragraphs[0]
    first.add_run(letter.sender[0]).bold = True
    for line in letter.sender[1:]:
        left.add_paragraph(line)
    left.add_paragraph()
    for line in letter.recipient:
        left.add_paragraph(line)
    right.paragraphs[0].add_run(" ")
    for n, fact in enumerate(letter.references):
        paragraph = right.paragraphs[0] if n == 0 else right.add_paragraph()
        if n == 0:
            paragraph.clear()
        paragraph.add_run(f"{fact.label} ").bold = True
        paragraph.add_run(fact.value or "–")
    doc.add_paragraph()


def _signature(doc: DocxDocument, letter: Letter) -> None:
    doc.add_paragraph()
    _paragraph(doc, letter.greeting)
    doc.add_paragraph()
    for n, line in enumerate(letter.signature):
        paragraph = doc.add_paragraph()
        if line:
            paragraph.add_run(line).bold = n == 0
