"""Generate cards/templates/brevmal.docx, the Word template the council's documents are written into.

The template carries the styles the documents use (Title, Heading 1, Heading 2, List Bullet, Normal, and the
paragraph styles "Metadata" and "Etikett"), A4 margins, a letterhead area in the page header and "Side N av M"
in the footer. An organisation replaces the file with its own letterhead template (keeping those style names);
see README «Word-mal». Run:  .venv/bin/python scripts/make_brevmal.py
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parents[1] / "cards" / "templates" / "brevmal.docx"
ACCENT = RGBColor(0x12, 0x34, 0x5F)
MUTED = RGBColor(0x5F, 0x5F, 0x5F)
FONT = "Calibri"


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the document out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def build() -> None:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb, style.font.bold = FONT, Pt(size), ACCENT, True
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(4)
    meta = styles.add_style("Metadata", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = normal
    meta.font.size, meta.font.color.rgb = Pt(9), MUTED
    label = styles.add_style("Etikett", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.size, label.font.bold = Pt(10), True
    label.paragraph_format.space_after = Pt(0)
    label.paragraph_format.keep_with_next = True

    header = section.header.paragraphs[0]
    header.text = "Sykehuset i Vestfold HF · Kontorfaglig råd"  # the letterhead area: replace with your own
    header.runs[0].font.size, header.runs[0].font.bold, header.runs[0].font.color.rgb = Pt(9), True, ACCENT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Side ").font.size = Pt(8)
    _field(footer, "PAGE")
    footer.add_run(" av ").font.size = Pt(8)
    _field(footer, "NUMPAGES")
    core = document.core_properties
    core.author, core.title, core.language = "Kontorfaglig råd", "Brevmal for Rådsbot", "nb-NO"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(TARGET))
    print(TARGET)


if __name__ == "__main__":
    build()
