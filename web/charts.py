"""Charts for the evaluation, drawn on the server with matplotlib (object API, no pyplot, no GUI backend):
SVG for the page, PNG for the DOCX/PDF report — the same drawing for both.

Drawing is CPU work: it runs on one worker thread (matplotlib's settings are process-wide, so one at a time),
never on the event loop that also answers Teams, and recent drawings are kept (the figures rarely change)."""
from __future__ import annotations

import asyncio
import base64
import io
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from matplotlib import rc_context
from matplotlib.figure import Figure as Canvas

from cards.texts import t
from council.evaluation import Figure

COLOURS = ("#4f52b2", "#8b8cc7", "#c4314b", "#d08b00")
STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none", "axes.spines.top": False,
         "axes.spines.right": False}
WIDTH = 7.0  # inches
CHAR = 0.068  # inches per character of a 9 pt label, for the left margin (constrained layout costs 40 % more)


def label(text_or_key: str, lang: str) -> str:
    """Rows name a catalogue key (status.vedtatt) or plain text (a unit's name)."""
    return t(text_or_key, lang) if "." in text_or_key and " " not in text_or_key else text_or_key


def _draw(figure: Figure, lang: str) -> Canvas:
    labels = [label(name, lang) for name, _ in figure.rows][::-1]
    height = 0.42 * max(len(labels), 2) + (1.1 if figure.stacked else 0.8)
    canvas = Canvas(figsize=(WIDTH, height))
    left = min(0.55, (max(len(x) for x in labels) * CHAR + 0.25) / WIDTH)
    top = (0.45 if figure.stacked else 0.15) / height  # the legend goes above a stacked chart
    canvas.subplots_adjust(left=left, right=0.97, top=1 - top, bottom=0.45 / height)
    axes = canvas.add_subplot()
    series = range(len(figure.columns)) if figure.stacked else range(1)
    ends = [0.0] * len(labels)
    for index in series:
        values = [row[1][index] for row in figure.rows][::-1]
        bars = axes.barh(labels, values, left=ends, color=COLOURS[index % len(COLOURS)],
                         label=t(figure.columns[index], lang))
        if not figure.stacked:
            axes.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3)
        ends = [a + b for a, b in zip(ends, values, strict=True)]
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlim(0, max(ends + [1]) * 1.12)
    if figure.stacked:
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8)
    return canvas


def _render(figure: Figure, lang: str, kind: str) -> bytes:
    out = io.BytesIO()
    with rc_context(STYLE):
        canvas = _draw(figure, lang)
        if kind == "svg":
            canvas.savefig(out, format="svg", metadata={"Date": None})
        else:
            canvas.savefig(out, format="png", dpi=150)
    return out.getvalue()


class Charts:
    """The chart worker and its cache of recent drawings (keyed by the figure's numbers and the language)."""

    def __init__(self, keep: int = 256) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._keep = keep

    async def svg_data_uri(self, figure: Figure, lang: str) -> str:
        """An <img> source: the page's CSP allows data: images but no inline styles, which an inline SVG needs."""
        return "data:image/svg+xml;base64," + base64.b64encode(await self._get(figure, lang, "svg")).decode()

    async def png(self, figure: Figure, lang: str) -> bytes:
        return await self._get(figure, lang, "png")

    async def _get(self, figure: Figure, lang: str, kind: str) -> bytes:
        key = f"{kind}:{lang}:{figure!r}"
        if (drawn := self._cache.get(key)) is not None:
            self._cache.move_to_end(key)
            return drawn
        drawn = await asyncio.get_running_loop().run_in_executor(self._pool, _render, figure, lang, kind)
        self._cache[key] = drawn
        while len(self._cache) > self._keep:
            self._cache.popitem(last=False)
        return drawn

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
