"""PDF/A-2b rendering of a RecordDocument (innkalling, referat, høringssvar) on the archive PDF of cards/pdf.py:
the same fonts, metadata, output intent, running header and page footer."""
from __future__ import annotations

from fpdf import XPos, YPos

from cards.pdf import ACCENT, INDENT, INK, LINE, LINK_BLUE, MUTED, ArchivePdf, PdfMeeting, clean, start_pdf
from cards.record_models import Group, Letter, RecordDocument, Section

LINK_LABEL = "Lenke"


def render_pdf(document: RecordDocument) -> bytes:
    head = PdfMeeting(council=document.council, organisation=document.organisation, title=document.title,
                      date_text=document.date_text, time_text="", place="", status=document.status,
                      case_numbers=document.case_numbers, created=document.created)
    pdf = start_pdf(head, document.kind)
    if document.letter is not None:
        _letter_head(pdf, document.letter)
    elif document.status.strip():
        pdf.body_font("B", 10, MUTED)
        pdf.paragraph(clean(document.status).strip())
        pdf.ln(1)
    pdf.body_font("B", 15 if document.letter else 17, INK)
    pdf.paragraph(clean(document.title).strip(), height=8)
    pdf.ln(3)
    for fact in document.facts:
        value = clean(fact.value).strip()
        if value:
            pdf.fact(fact.label, value)
    for line in document.intro:
        pdf.ln(2)
        pdf.body_font()
        pdf.paragraph(clean(line).strip())
    for group in document.groups:
        _group(pdf, group, headed=document.letter is None)
    pdf.closing(document.closing)
    if document.letter is not None:
        _signature(pdf, document.letter)
    return bytes(pdf.output())


def _group(pdf: ArchivePdf, group: Group, headed: bool) -> None:
    if headed and group.heading:
        pdf.section_heading(group.heading)
    for section in group.sections:
        _section(pdf, section, numbered=headed)
    for line in group.lines:
        pdf.ln(0.8)
        pdf.bullet(clean(line).strip())
    if not group.sections and not group.lines and group.empty:
        pdf.body_font()
        pdf.paragraph(group.empty)


def _section(pdf: ArchivePdf, section: Section, numbered: bool) -> None:
    if section.heading:
        pdf.body_font("B", 11.5, ACCENT)
        pdf.ensure_space(pdf.lines_height(pdf.epw, section.heading, 6) + 2 * LINE + 3)  # keep with its first lines
        pdf.ln(3 if numbered else 1)
        pdf.paragraph(clean(section.heading).strip(), height=6)
    if section.meta:
        pdf.body_font("", 9, MUTED)
        pdf.paragraph(clean(section.meta).strip(), height=4.6)
    pdf.ln(1)
    for part in section.parts:
        text = clean(part.text).strip()
        if part.label:
            pdf.body_font("B", 9.5)
            pdf.ensure_space(2 * LINE)
            pdf.paragraph(clean(part.label).strip(), height=4.8)
        pdf.body_font()
        if text:
            pdf.paragraph(text)
        pdf.ln(1.2 if numbered else 3)
    pdf.body_font()
    for line in section.bullets:
        pdf.ln(0.8)
        pdf.bullet(clean(line).strip())
    for url in section.links:
        url = clean(url).strip()
        if not url:
            continue
        pdf.ln(0.8)
        pdf.body_font("", 9, MUTED)
        pdf.set_x(pdf.l_margin + INDENT)
        pdf.cell(pdf.get_string_width(f"{LINK_LABEL}: ") + 0.5, 4.8, f"{LINK_LABEL}: ")
        pdf.set_text_color(*LINK_BLUE)
        pdf.multi_cell(pdf.w - pdf.r_margin - pdf.get_x(), 4.8, url, align="L", link=url, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.body_font()


def _letter_head(pdf: ArchivePdf, letter: Letter) -> None:
    """Sender top left, recipient below it, the references (Vår ref., Deres ref., Dato) on the right."""
    top = pdf.get_y()
    pdf.body_font("B", 10)
    for n, line in enumerate(letter.sender):
        pdf.body_font("B" if n == 0 else "", 10)
        pdf.paragraph(clean(line).strip(), height=4.8)
    pdf.ln(6)
    pdf.body_font("", 10.5)
    for line in letter.recipient:
        pdf.paragraph(clean(line).strip())
    below = pdf.get_y()
    column = 62.0
    pdf.set_y(top)
    for fact in letter.references:
        pdf.set_x(pdf.w - pdf.r_margin - column)
        pdf.body_font("B", 9)
        pdf.cell(22, 4.8, f"{fact.label}")
        pdf.body_font("", 9)
        pdf.cell(column - 22, 4.8, clean(fact.value).strip() or "–", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(below, pdf.get_y()) + 8)


def _signature(pdf: ArchivePdf, letter: Letter) -> None:
    pdf.ensure_space(8 * LINE)
    pdf.ln(6)
    pdf.body_font()
    pdf.paragraph(clean(letter.greeting).strip())
    pdf.ln(10)
    for n, line in enumerate(letter.signature):
        pdf.body_font("B" if n == 0 else "", 10.5)
        pdf.paragraph(clean(line).strip())
