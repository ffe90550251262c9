"""Evaluering: the figures for a chosen period as charts with tables, and the same as a DOCX or PDF report."""
from __future__ import annotations

import asyncio

from aiohttp import web

from council.evaluation import Period, evaluation_years
from web import report
from web.charts import label
from web.tab import Tab, Viewer

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    today = tab.registers.today()
    period = Period.parse(request.query, today)
    figures = await tab.registers.evaluation(viewer.member, period)
    charts = {f.key: await tab.charts.svg_data_uri(f, viewer.locale) for f in figures if not f.empty}
    return tab.render("evaluation.html", viewer, active="evaluation", period=period, figures=figures, charts=charts,
                      years=evaluation_years(today), label=label, params=_params(period))


async def download(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    kind = request.match_info["kind"]
    today = tab.registers.today()
    period = Period.parse(request.query, today)
    figures = await tab.registers.evaluation(viewer.member, period)
    pngs = {f.key: await tab.charts.png(f, viewer.locale) for f in figures if not f.empty}
    model = report.Report(period, figures, today, viewer.locale, pngs)
    render, content_type = (report.docx, DOCX) if kind == "docx" else (report.pdf, "application/pdf")
    body = await asyncio.to_thread(render, model)  # CPU work off the loop that also answers Teams
    name = f"evaluering-{period.first.isoformat()}-{period.last.isoformat()}.{kind}"
    response = web.Response(body=body, headers={"Content-Type": content_type,
                                                "Content-Disposition": f'attachment; filename="{name}"'})
    tab.keep(response, viewer)
    return response


def _params(period: Period) -> str:
    if period.kind == "evaluation_year":
        return f"year={period.first.year}"
    if period.kind == "custom":
        return f"from={period.first.isoformat()}&to={period.last.isoformat()}"
    return ""
