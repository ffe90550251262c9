"""Archive PDFs of a council meeting: the notice (innkalling with saksliste) and the minutes (referat).

Plain data in, bytes out: the caller maps its domain objects into the frozen dataclasses below
(`PdfMeeting`, `PdfItem`) and gets a finished PDF back. Rendering uses fpdf2 (pure Python) and the
bundled DejaVu Sans fonts in `cards/fonts/` (Bitstream Vera licence, see `cards/fonts/LICENSE`), so
Norwegian letters (æøå, ÆØÅ) and typographic dashes come out right whatever fonts the reader has.
All visible labels are Norwegian bokmål and defined as constants in this module.

Archive metadata, written both in the document information dictionary and as XMP, with the same
values in each:
  * title (meeting title and date), author / dc:creator "<council>, <organisation>",
    subject (document kind, council, date), keywords (document kind, council and the case numbers),
    creator tool "Rådsbot", producer "fpdf2 <version>", creation date (`PdfMeeting.created`,
    now in UTC if not given; the same value fixes the XMP dates, so equal input gives equal bytes);
  * document language nb-NO (catalog /Lang and XMP dc:language).

PDF/A, plainly:
  * What is done: the file declares PDF/A-2b (XMP pdfaid part 2, conformance B) and is built to the
    rules that fpdf2 itself applies in its PDF/A-2b mode, plus the Info dictionary that mode leaves
    out: every glyph comes from an embedded TrueType subset (no standard-14 fonts), an sRGB output
    intent with fpdf2's bundled ICC profile, XMP metadata consistent with the Info dictionary, a
    document /ID, document language set; no encryption, no transparency, no images, no JavaScript,
    no embedded files; link annotations carry the Print flag.
  * What is checked: tests/unit/test_record_documents.py reads every council document back with pikepdf
    (qpdf) and checks the PDF/A-2b identification in XMP, the output intent and ICC profile, embedded
    fonts, metadata that matches the Info dictionary, the language, and no encryption, JavaScript or forms.
  * What is not done: the output has not been run through a PDF/A validator (veraPDF, Java, not on the
    package registries used here), so the declaration is the generator's claim, not a certification.
    Validate a sample (scripts/sample_records.py) before relying on it for deposit to the archive. Not
    PDF/A-2a (no tagged structure, so not accessible/PDF-UA either) and not PDF/A-1 (no CIDSet, PDF
    1.4-only rules not followed).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import fpdf
from fpdf import FPDF, XPos, YPos
from fpdf.enums import MethodReturnValue, OutputIntentSubType
from fpdf.output import PDFICCProfile
from fpdf.util import builtin_srgb2014_bytes

from cards.texts import t

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSans"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

LANGUAGE = "nb-NO"
CREATOR_TOOL = "Rådsbot"

# Visible texts, from the catalogue (archive documents are in bokmål).
LABEL_DATE = t("pdf.date", LANGUAGE)
LABEL_TIME = t("pdf.time", LANGUAGE)
LABEL_PLACE = t("pdf.place", LANGUAGE)
LABEL_CHAIR = t("pdf.chair", LANGUAGE)
LABEL_SECRETARY = t("pdf.secretary", LANGUAGE)
LABEL_PRESENT = t("pdf.present", LANGUAGE)
LABEL_ABSENT = t("pdf.absent", LANGUAGE)
LABEL_OTHERS = t("pdf.others", LANGUAGE)
LABEL_PRESENTER = t("pdf.presenter", LANGUAGE)
LABEL_LINK = t("pdf.link", LANGUAGE)
HEADING_NOTICE_ITEMS = t("pdf.notice_items", LANGUAGE)
HEADING_MINUTES_ITEMS = t("pdf.minutes_items", LANGUAGE)
NO_ITEMS = t("pdf.no_items", LANGUAGE)
MINUTES_UNIT = t("pdf.minutes_unit", LANGUAGE)
PAGE_OF = t("pdf.page_of", LANGUAGE)
KIND_NOTICE = t("pdf.kind_notice", LANGUAGE)
KIND_MINUTES = t("pdf.kind_minutes", LANGUAGE)

# Layout, in millimetres and points.
MARGIN_X = 20.0
MARGIN_TOP = 24.0
MARGIN_BOTTOM = 22.0
LABEL_WIDTH = 36.0
INDENT = 5.0
BODY_SIZE = 10.5
LINE = 5.2

INK = (25, 25, 25)
MUTED = (95, 95, 95)
ACCENT = (18, 52, 95)
RULE = (175, 175, 175)
LINK_BLUE = (20, 70, 160)


@dataclass(frozen=True)
class PdfItem:
    """One agenda item. `number` is "Sak 12/26", or "" for an unnumbered item."""

    number: str
    title: str
    kind: str
    presenter: str = ""
    minutes: int | None = None
    text: str = ""
    extra: tuple[str, ...] = ()
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class PdfMeeting:
    """A meeting as the PDF shows it; every string is already formatted for the reader.

    `case_numbers` go into the keywords; when empty, the items' numbers are used. `created` is the
    creation date written into the metadata (now, in UTC, when None; a naive value counts as UTC).
    """

    council: str
    organisation: str
    title: str
    date_text: str
    time_text: str
    place: str
    chair: str = ""
    secretary: str = ""
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # Andre til stede
    items: tuple[PdfItem, ...] = ()
    footer_lines: tuple[str, ...] = ()
    status: str = ""
    case_numbers: tuple[str, ...] = ()
    created: datetime | None = None


def notice_pdf(meeting: PdfMeeting) -> bytes:
    """The innkalling with saksliste: facts, then each item with kind, presenter and time."""
    return _render(meeting, KIND_NOTICE, minutes=False)


def minutes_pdf(meeting: PdfMeeting) -> bytes:
    """The referat: facts with attendance, then each item with its decision and follow-up lines."""
    return _render(meeting, KIND_MINUTES, minutes=True)


def record_pdf(meeting: PdfMeeting, kind: str, heading: str) -> bytes:
    """Another archive record in the same layout (e.g. a vote's result): `kind` goes into the metadata,
    `heading` above the items; no attendance, no schedule."""
    return _render(meeting, kind, minutes=True, heading=heading)


def clean(value: str) -> str:
    """Line breaks normalised, tabs as spaces, other control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in value if ch == "\n" or ch >= " " and not "\x7f" <= ch <= "\x9f")


def _keywords(meeting: PdfMeeting, kind: str) -> list[str]:
    numbers = meeting.case_numbers or tuple(item.number for item in meeting.items if item.number.strip())
    words = [kind, meeting.council, *numbers]
    return list(dict.fromkeys(clean(word).strip() for word in words if word.strip()))


def _creation_date(meeting: PdfMeeting) -> datetime:
    created = meeting.created or datetime.now(UTC)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.replace(microsecond=0)


def _xmp(title: str, author: str, subject: str, keywords: str, producer: str, created: datetime) -> str:
    """XMP matching the Info dictionary entry for entry (as PDF/A requires), plus language and PDF/A id."""
    stamp = created.isoformat(timespec="seconds")
    bag = "".join(f"<rdf:li>{escape(word)}</rdf:li>" for word in keywords.split(", ") if word)
    return "\n".join([
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '  <rdf:Description rdf:about=""',
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
        "   <pdfaid:part>2</pdfaid:part>",
        "   <pdfaid:conformance>B</pdfaid:conformance>",
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>',
        f"   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>",
        f'   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt>'
        "</dc:description>",
        f"   <dc:subject><rdf:Bag>{bag}</rdf:Bag></dc:subject>",
        f"   <dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>",
        "   <dc:format>application/pdf</dc:format>",
        f"   <pdf:Keywords>{escape(keywords)}</pdf:Keywords>",
        f"   <pdf:Producer>{escape(producer)}</pdf:Producer>",
        f"   <xmp:CreatorTool>{escape(CREATOR_TOOL)}</xmp:CreatorTool>",
        f"   <xmp:CreateDate>{stamp}</xmp:CreateDate>",
        f"   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>",
        f"   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>",
        "  </rdf:Description>",
        " </rdf:RDF>",
        "</x:xmpmeta>",
    ])


class ArchivePdf(FPDF):
    """A4 page with a running header (organisation, council, status) and a "Side N av M" footer."""

    def __init__(self, meeting: PdfMeeting) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.meeting = meeting
        self.add_font(FONT_FAMILY, "", str(FONT_REGULAR))
        self.add_font(FONT_FAMILY, "B", str(FONT_BOLD))
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
        self.alias_nb_pages("{nb}")
        self.set_display_mode("fullwidth", "continuous")
        self.pdf_version = "1.7"  # PDF/A-2 is based on PDF 1.7, as in fpdf2's own PDF/A-2 mode

    def header(self) -> None:
        meeting = self.meeting
        self.set_y(10)
        self.set_font(FONT_FAMILY, "B", 8.5)
        self.set_text_color(*ACCENT)
        head = " · ".join(clean(part) for part in (meeting.organisation, meeting.council) if part)
        status = clean(meeting.status)
        status_width = self.get_string_width(status) + 2 if status else 0
        self.cell(self.epw - status_width, 5, self._fit(head, self.epw - status_width - 2))
        if status:
            self.set_text_color(*INK)
            self.cell(status_width, 5, status, align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_text_color(*INK)
        self.set_y(MARGIN_TOP)

    def footer(self) -> None:
        meeting = self.meeting
        y = self.h - MARGIN_BOTTOM + 6
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_xy(self.l_margin, y + 1.5)
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*MUTED)
        page = PAGE_OF.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        page_width = 30.0
        left = " – ".join(clean(part) for part in (meeting.title, meeting.date_text) if part)
        self.cell(self.epw - page_width, 5, self._fit(left, self.epw - page_width - 2))
        self.cell(page_width, 5, page, align="R")
        self.set_text_color(*INK)

    def _fit(self, text: str, width: float) -> str:
        """Shorten a one-line text with an ellipsis to fit `width` at the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    # --- building blocks -----------------------------------------------------------------------

    def body_font(self, style: str = "", size: float = BODY_SIZE, color: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT_FAMILY, style, size)
        self.set_text_color(*color)

    def lines_height(self, width: float, text: str, height: float) -> float:
        lines = self.multi_cell(width, height, text, dry_run=True, output=MethodReturnValue.LINES)
        return max(1, len(lines)) * height

    def ensure_space(self, height: float) -> None:
        """Start a new page unless `height` more millimetres fit above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def paragraph(self, text: str, height: float = LINE, indent: float = 0.0, link: str = "") -> None:
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, height, text, align="L", link=link or None,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullet(self, text: str) -> None:
        """A hanging-indent line: bullet in the margin column, wrapped text aligned after it."""
        self.ensure_space(LINE)
        self.set_x(self.l_margin + INDENT)
        self.cell(INDENT, LINE, "•")
        self.multi_cell(self.epw - 2 * INDENT, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fact(self, label: str, value: str) -> None:
        self.body_font("B")
        height = self.lines_height(self.epw - LABEL_WIDTH, value, LINE)
        self.ensure_space(min(height, 3 * LINE))
        self.set_x(self.l_margin)
        self.cell(LABEL_WIDTH, LINE, f"{label}:")
        self.body_font()
        self.multi_cell(self.epw - LABEL_WIDTH, LINE, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def closing(self, lines: Sequence[str]) -> None:
        """The closing lines under a rule, on one page; nothing when every line is empty."""
        closing = [clean(line).strip() for line in lines if line.strip()]
        if closing:
            self.ensure_space(6 + LINE * len(closing))
            self.rule(4)
            self.body_font()
            for line in closing:
                self.paragraph(line)

    def rule(self, gap: float = 3.0) -> None:
        self.ln(gap)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(gap)

    def section_heading(self, text: str) -> None:
        self.ensure_space(10 + 3 * LINE)
        self.ln(4)
        self.body_font("B", 13, ACCENT)
        self.paragraph(text, height=7)
        self.ln(1)
        self.body_font()


def _heading_text(item: PdfItem) -> str:
    number, title = clean(item.number).strip(), clean(item.title).strip()
    return f"{number} – {title}" if number and title else number or title


def _item_meta(item: PdfItem, with_schedule: bool) -> str:
    parts = [clean(item.kind).strip()]
    if with_schedule and item.presenter.strip():
        parts.append(f"{LABEL_PRESENTER}: {clean(item.presenter).strip()}")
    if with_schedule and item.minutes:
        parts.append(f"{item.minutes} {MINUTES_UNIT}")
    return " · ".join(part for part in parts if part)


def _draw_item(doc: ArchivePdf, item: PdfItem, with_schedule: bool) -> None:
    heading = _heading_text(item)
    doc.body_font("B", 11.5, ACCENT)
    heading_height = doc.lines_height(doc.epw, heading, 6)
    doc.ensure_space(heading_height + 2 * LINE + 3)  # keep the heading with its first lines
    doc.ln(3)
    doc.paragraph(heading, height=6)
    meta = _item_meta(item, with_schedule)
    if meta:
        doc.body_font("", 9, MUTED)
        doc.paragraph(meta, height=4.6)
    doc.ln(1)
    doc.body_font()
    text = clean(item.text).strip()
    if text:
        doc.paragraph(text)
    for line in item.extra:
        line = clean(line).strip()
        if line:
            doc.ln(0.8)
            doc.bullet(line)
    for url in item.links:
        url = clean(url).strip()
        if url:
            doc.ln(0.8)
            doc.body_font("", 9, MUTED)
            doc.set_x(doc.l_margin + INDENT)
            doc.cell(doc.get_string_width(f"{LABEL_LINK}: ") + 0.5, 4.8, f"{LABEL_LINK}: ")
            doc.set_text_color(*LINK_BLUE)
            width = doc.w - doc.r_margin - doc.get_x()
            doc.multi_cell(width, 4.8, url, align="L", link=url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            doc.body_font()


def start_pdf(meeting: PdfMeeting, kind: str) -> "ArchivePdf":
    """A PDF/A-2b document with its metadata (Info and XMP), sRGB output intent and first page; the running
    header and footer come from `meeting`. Other renderers (cards/records_pdf.py) draw on it."""
    doc = ArchivePdf(meeting)
    created = _creation_date(meeting)
    title = ", ".join(clean(part).strip() for part in (meeting.title, meeting.date_text) if part.strip())
    author = ", ".join(clean(part).strip() for part in (meeting.council, meeting.organisation) if part.strip())
    subject = f"{kind} – {author}, {clean(meeting.date_text).strip()}".rstrip(", ")
    keywords = ", ".join(_keywords(meeting, kind))
    producer = f"fpdf2 {fpdf.__version__}"
    doc.set_title(title)
    doc.set_author(author)
    doc.set_subject(subject)
    doc.set_keywords(keywords)
    doc.set_creator(CREATOR_TOOL)
    doc.set_producer(producer)
    doc.set_creation_date(created)
    doc.set_lang(LANGUAGE)
    doc.set_xmp_metadata(_xmp(title, author, subject, keywords, producer, created))
    doc.add_output_intent(
        OutputIntentSubType.PDFA, output_condition_identifier="sRGB", output_condition="IEC 61966-2-1:1999",
        registry_name="http://www.color.org",
        dest_output_profile=PDFICCProfile(contents=builtin_srgb2014_bytes(), n=3, alternate="DeviceRGB"),
        info="sRGB2014 (v2)")

    doc.add_page()
    return doc


def _render(meeting: PdfMeeting, kind: str, minutes: bool, heading: str | None = None) -> bytes:
    doc = start_pdf(meeting, kind)
    if meeting.status.strip():
        doc.body_font("B", 10, MUTED)
        doc.paragraph(clean(meeting.status).strip())
        doc.ln(1)
    doc.body_font("B", 17, INK)
    doc.paragraph(clean(meeting.title).strip(), height=8)
    doc.ln(3)

    facts: list[tuple[str, str]] = [(LABEL_DATE, meeting.date_text), (LABEL_TIME, meeting.time_text),
                                    (LABEL_PLACE, meeting.place), (LABEL_CHAIR, meeting.chair),
                                    (LABEL_SECRETARY, meeting.secretary)]
    if minutes and heading is None:
        facts += [(LABEL_PRESENT, "\n".join(clean(line).strip() for line in meeting.present if line.strip())),
                  (LABEL_ABSENT, _names(meeting.absent)), (LABEL_OTHERS, _names(meeting.others))]
    for label, value in facts:
        value = clean(value).strip()
        if value:
            doc.fact(label, value)

    doc.section_heading(heading or (HEADING_MINUTES_ITEMS if minutes else HEADING_NOTICE_ITEMS))
    if not meeting.items:
        doc.paragraph(NO_ITEMS)
    for item in meeting.items:
        _draw_item(doc, item, with_schedule=not minutes)

    doc.closing(meeting.footer_lines)
    return bytes(doc.output())


def _names(names: Sequence[str]) -> str:
    """Comma-separated names; empty when none were given, so the line is left out."""
    return ", ".join(clean(name).strip() for name in names if name.strip())
