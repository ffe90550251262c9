"""Charts for the evaluation, drawn on the server with matplotlib (object API, no pyplot, no GUI backend):
SVG for the page, PNG for the DOCX/PDF report — the same drawing for both."""
from __future__ import annotations

import base64
import io

from matplotlib import rc_context
from matplotlib.figure import Figure as Canvas

from cards.texts import t
from council.evaluation import Figure

COLOURS = ("#4f52b2", "#8b8cc7", "#c4314b", "#d08b00")
STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none", "axes.spines.top": False,
         "axes.spines.right": False}


def label(text_or_key: str, lang: str) -> str:
    """Rows name a catalogue key (status.vedtatt) or plain text (a unit's name)."""
    return t(text_or_key, lang) if "." in text_or_key and " " not in text_or_key else text_or_key


def _draw(figure: Figure, lang: str) -> Canvas:
    labels = [label(name, lang) for name, _ in figure.rows][::-1]
    canvas = Canvas(figsize=(7.0, 0.42 * max(len(labels), 2) + 0.9), layout="constrained")
    axes = canvas.add_subplot()
    series = range(len(figure.columns)) if figure.stacked else range(1)
    left = [0.0] * len(labels)
    for index in series:
        values = [row[1][index] for row in figure.rows][::-1]
        bars = axes.barh(labels, values, left=left, color=COLOURS[index % len(COLOURS)],
                         label=t(figure.columns[index], lang))
        if not figure.stacked:
            axes.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlim(0, max(left + [1]) * 1.12)
    if figure.stacked:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False, fontsize=8)
    return canvas


def svg_data_uri(figure: Figure, lang: str) -> str:
    """An <img> source: the page's CSP allows data: images but no inline styles, which an inline SVG needs."""
    out = io.BytesIO()
    with rc_context(STYLE):
        _draw(figure, lang).savefig(out, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def png(figure: Figure, lang: str) -> bytes:
    out = io.BytesIO()
    with rc_context(STYLE):
        _draw(figure, lang).savefig(out, format="png", dpi=150)
    return out.getvalue()
