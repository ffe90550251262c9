"""Møter: the year plan (the council's meetings with PASK's beside them, month by month), each meeting's
saksliste, and the notice and minutes documents through the bot's signed download links."""
from __future__ import annotations

from aiohttp import web

from council.registers import whole
from web.tab import Tab, Viewer


async def page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    today = tab.registers.today()
    year = whole(request.query, "year", today.year)
    if not 2000 <= year <= 2100:
        year = today.year
    plan, pask = await tab.registers.year_plan(viewer.member, year)
    months = [(month, [m for m in plan if m.day.month == month],
               [p for p in pask if p.start.astimezone(tab.tz).month == month]) for month in range(1, 13)]
    return tab.render("meetings.html", viewer, active="meetings", year=year, plan=plan, months=months,
                      years=list(range(today.year + 1, today.year - 6, -1)),
                      document=lambda kind, meeting_id: tab.document_link(kind, meeting_id,
                                                                          viewer.member.aad_object_id),
                      number_format=tab.number_format)
