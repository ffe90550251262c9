"""Medlemmer: the seats against the mandate (member, deputy, appointed by, period, flags); the leader edits a seat."""
from __future__ import annotations

from datetime import date

from aiohttp import web

from council.errors import InvalidInput, NotAllowed, NotFound
from council.seats import SeatChange
from web.auth import redirect
from web.tab import Tab, Viewer


async def page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    seats, leaders, network = await tab.seats.composition(viewer.member)
    return tab.render("members.html", viewer, active="members", seats=seats, leaders=leaders, network=network,
                      today=tab.seats.today(), saved=request.query.get("lagret") == "1")


async def edit(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    if not viewer.member.is_leader:  # the change itself is checked again in SeatService
        raise NotAllowed("error.leader_only")
    seats, _, _ = await tab.seats.composition(viewer.member)
    seat = _seat(seats, request)
    people = sorted((await tab.members.directory()).values(), key=lambda m: m.name.lower())
    return tab.render("seat.html", viewer, active="members", seat=seat, index=request.match_info["index"],
                      people=people)


async def save(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    seats, _, _ = await tab.seats.composition(viewer.member)
    seat = _seat(seats, request)
    form = await request.post()
    change = SeatChange(member_id=str(form.get("member") or "") or None,
                        deputy_id=str(form.get("deputy") or "") or None,
                        appointed_by=str(form.get("appointed_by") or "").strip(),
                        starts=_date(form.get("starts")), ends=_date(form.get("ends")))
    await tab.seats.change_seat(viewer.member, seat.unit, change)
    response = redirect("/tab/medlemmer?lagret=1")
    tab.keep(response, viewer)
    return response


def _seat(seats: list, request: web.Request):
    index = int(request.match_info["index"])
    if not 0 <= index < len(seats):
        raise NotFound("seats.unknown_unit")
    return seats[index]


def _date(raw: object) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("seats.bad_date") from None
