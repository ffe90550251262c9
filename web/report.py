"""The evaluation report: one view model (title, period, figures) rendered as DOCX (python-docx) and PDF (fpdf2),
each figure as its chart and the table of the same numbers."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib
from docx import Document
from docx.shared import Cm
from fpdf import FPDF, XPos, YPos

from cards.texts import t
from cards.texts.format import format_date
from council.evaluation import Figure, Period
from web.charts import label

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu Sans ships with matplotlib: æøå everywhere


@dataclass(frozen=True)
class Report:
    period: Period
    figures: list[Figure]
    made: date
    lang: str
    charts: dict[str, bytes]  # PNG per figure key, drawn by web.charts.Charts

    @property
    def title(self) -> str:
        return t("eval.report_title", self.lang)

    @property
    def period_line(self) -> str:
        return t("eval.report_period", self.lang, first=format_date(self.period.first, self.lang),
                 last=format_date(self.period.last, self.lang))

    def table(self, figure: Figure) -> list[list[str]]:
        head = [""] + [t(c, self.lang) for c in figure.columns]
        return [head] + [[label(name, self.lang)] + [f"{v:g}" for v in values] for name, values in figure.rows]

    def note(self, figure: Figure) -> str | None:
        return t(figure.note, self.lang, **figure.note_params) if figure.note else None


def docx(report: Report) -> bytes:
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.language = "en-GB" if report.lang == "en" else "nb-NO"
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.period_line)
    document.add_paragraph(t("eval.report_made", report.lang, date=format_date(report.made, report.lang)))
    for figure in report.figures:
        document.add_heading(t(f"eval.fig.{figure.key}", report.lang), level=1)
        if figure.empty:
            document.add_paragraph(t("eval.no_data", report.lang))
        else:
            document.add_picture(io.BytesIO(report.charts[figure.key]), width=Cm(15))
            rows = report.table(figure)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Light Grid Accent 1"
            for r, line in enumerate(rows):
                for c, value in enumerate(line):
                    table.cell(r, c).text = value
        if note := report.note(figure):
            document.add_paragraph(note)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(report: Report) -> bytes:
    document = FPDF(format="A4")
    document.set_title(report.title)
    document.set_lang("en" if report.lang == "en" else "nb-NO")
    document.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    document.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    document.set_auto_page_break(True, margin=15)
    document.add_page()
    _text(document, report.title, 18, "B")
    _text(document, report.period_line, 11)
    _text(document, t("eval.report_made", report.lang, date=format_date(report.made, report.lang)), 9)
    for figure in report.figures:
        if document.get_y() > 200:
            document.add_page()
        _text(document, t(f"eval.fig.{figure.key}", report.lang), 13, "B", space=4)
        if figure.empty:
            _text(document, t("eval.no_data", report.lang), 10)
        else:
            document.image(io.BytesIO(report.charts[figure.key]), w=160)
            _table(document, report.table(figure))
        if note := report.note(figure):
            _text(document, note, 9)
    return bytes(document.output())


def _text(document: FPDF, text: str, size: int, style: str = "", space: int = 1) -> None:
    document.ln(space)
    document.set_font("DejaVu", style, size)
    document.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(document: FPDF, rows: list[list[str]]) -> None:
    document.set_font("DejaVu", "", 9)
    values = len(rows[0]) - 1
    widths = [90] + [30 if values <= 3 else 25] * values  # A4's 190 mm between the margins
    with document.table(col_widths=widths, text_align=["LEFT"] + ["RIGHT"] * (len(rows[0]) - 1),
                        width=sum(widths)) as table:
        for line in rows:
            row = table.row()
            for value in line:
                row.cell(value)
