"""Høringer og vedtak: the hearing register with deadline traffic lights, and the decision register."""
from __future__ import annotations

from aiohttp import web

from council.registers import DECISION_PAGE, DecisionRow, whole
from web.tab import Tab, Viewer


async def page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    year = whole(request.query, "year", None)
    hearings, decisions = await tab.registers.hearings_and_decisions(viewer.member, year)
    today = tab.registers.today()
    return tab.render("hearings.html", viewer, active="hearings", hearings=hearings, decisions=decisions,
                      today=today, year=year, years=list(range(today.year, today.year - 10, -1)),
                      limit=DECISION_PAGE, number=lambda d: _number(tab, d), units=tab.units)


def _number(tab: Tab, decision: DecisionRow) -> str:
    if decision.number is None or decision.year is None:
        return ""
    return tab.number_format.format(nr=decision.number, yy=decision.year % 100, yyyy=decision.year)
