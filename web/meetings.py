"""Møter: the year plan (the council's meetings with PASK's beside them) as a list month by month or as a
calendar, each meeting's saksliste with the guests invited per item, and the notice and minutes documents
through the bot's signed download links."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from aiohttp import web

from council.errors import InvalidInput
from council.registers import MeetingRow, whole
from web.auth import redirect
from web.members import guest_id
from web.tab import Tab, Viewer

VIEWS = ("liste", "kalender")


@dataclass(frozen=True)
class Day:
    """One cell of the month grid: None outside the month."""

    day: date | None
    council: list[MeetingRow] = field(default_factory=list)
    pask: list = field(default_factory=list)


@dataclass(frozen=True)
class Week:
    number: int  # ISO 8601 week (the Norwegian week number) of the week's Monday
    days: list[Day]


def month_grid(year: int, month: int, plan: list[MeetingRow], pask: list, tz) -> list[Week]:
    """Weeks Monday to Sunday with the month's council and PASK meetings on their days."""
    weeks = []
    for dates in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month):
        days = [Day(d, [m for m in plan if m.day == d], [p for p in pask if p.start.astimezone(tz).date() == d])
                if d.month == month else Day(None) for d in dates]
        weeks.append(Week(dates[0].isocalendar().week, days))
    return weeks


async def page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    today = tab.registers.today()
    year = whole(request.query, "year", today.year)
    if not 2000 <= year <= 2100:
        year = today.year
    view = request.query.get("visning") or "liste"
    if view not in VIEWS:
        raise InvalidInput("tab.bad_filter", field="visning")
    plan, pask = await tab.registers.year_plan(viewer.member, year)
    months = [(month, [m for m in plan if m.day.month == month],
               [p for p in pask if p.start.astimezone(tab.tz).month == month]) for month in range(1, 13)]
    grids = [(month, month_grid(year, month, council, found, tab.tz)) for month, council, found in months] \
        if view == "kalender" else []
    guests = await tab.guests.guests(viewer.member) if viewer.member.is_organiser else []
    notice = None
    if request.query.get("melding") in ("invitert", "fjernet"):
        chosen = _int(request.query.get("gjest"))
        name = next((g.name for g in guests if g.id == chosen), None)
        if name:
            notice = ("meet.invited" if request.query["melding"] == "invitert" else "meet.uninvited", name)
    return tab.render("meetings.html", viewer, active="meetings", year=year, plan=plan, months=months, grids=grids,
                      view=view, today=today, guests=guests, notice=notice,
                      years=list(range(today.year + 1, today.year - 6, -1)),
                      document=lambda kind, meeting_id: tab.document_link(kind, meeting_id,
                                                                          viewer.member.aad_object_id),
                      number_format=tab.number_format)


async def invite(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    form = await request.post()
    guest = await tab.guests.invite(viewer.member, _item(request), guest_id(form.get("guest")))
    return _back(tab, viewer, form, "invitert", guest.id)


async def uninvite(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    form = await request.post()
    guest = await tab.guests.uninvite(viewer.member, _item(request), guest_id(request.match_info["guest_id"]))
    return _back(tab, viewer, form, "fjernet", guest.id)


def _item(request: web.Request) -> int:
    return guest_id(request.match_info["item_id"])


def _back(tab: Tab, viewer: Viewer, form, what: str, chosen: int | None) -> web.Response:
    year = _int(form.get("year"))
    meeting = _int(form.get("meeting"))
    view = "&visning=kalender" if form.get("visning") == "kalender" else ""
    location = f"/tab/moter?year={year if year and 2000 <= year <= 2100 else tab.registers.today().year}{view}" \
               f"&melding={what}&gjest={chosen}" + (f"#m{meeting}" if meeting else "")
    response = redirect(location)
    tab.keep(response, viewer)
    return response


def _int(raw: object) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None
