"""Saker: the case register page (search, filters, sorting, paging), one case with its history, and exports."""
from __future__ import annotations

import asyncio

from aiohttp import web

from cards.texts import t
from council.cases import CaseStatus, CaseType
from council.registers import PER_PAGE, CaseQuery
from web import exports
from web.tab import Tab, Viewer

COLUMNS = (("number", "tab.cases.number"), ("title", "tab.cases.title"), ("unit", "tab.cases.unit"),
           ("type", "tab.cases.type"), ("status", "tab.cases.status"), ("submitted", "tab.cases.submitted"),
           ("meeting", "tab.cases.meeting"))


async def register(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    query = CaseQuery.parse(request.query, tab.units)
    page, facets = await tab.registers.cases(viewer.member, query)
    return tab.render("cases.html", viewer, page=page, facets=facets, query=query, columns=COLUMNS,
                      units=tab.units, topics=facets.topic_choices(tab.topics), statuses=list(CaseStatus),
                      types=list(CaseType), per_page_choices=PER_PAGE)


async def detail(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    case, history = await tab.registers.case(viewer.member, int(request.match_info["case_id"]))
    return tab.render("case.html", viewer, case=case, history=history)


async def export_csv(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    return await _export(request, tab, viewer, "csv")


async def export_xlsx(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    return await _export(request, tab, viewer, "xlsx")


async def _export(request: web.Request, tab: Tab, viewer: Viewer, kind: str) -> web.Response:
    query = CaseQuery.parse(request.query, tab.units)
    table = exports.rows(await tab.registers.cases_for_export(viewer.member, query), tab.tz, viewer.locale)
    if kind == "csv":  # building the file is CPU work: off the loop that also answers Teams
        body, content_type = await asyncio.to_thread(exports.as_csv, table), "text/csv; charset=utf-8"
    else:
        body = await asyncio.to_thread(exports.as_xlsx, table, t("tab.cases.heading", viewer.locale))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = web.Response(body=body, headers={"Content-Type": content_type,
                                                "Content-Disposition": f'attachment; filename="saksregister.{kind}"'})
    tab.keep(response, viewer)
    return response
