"""Medlemmer: the seats against the mandate (member, deputy, appointed by, period, flags), the leadership with
the nestleder, the leadership network per unit and the guest list; the leader edits each of them."""
from __future__ import annotations

from datetime import date

from aiohttp import web

from council.errors import InvalidInput, NotAllowed, NotFound
from council.seats import SeatChange
from web.auth import redirect
from web.tab import Tab, Viewer

# ?melding=<name> after a change: the notice the page shows (redirect-after-POST)
NOTICES = {"nestleder": "seats.vice_leader_saved", "nettverk": "seats.network_saved", "gjest-lagt-til": "guests.added",
           "gjest-lagret": "guests.saved", "gjest-fjernet": "guests.removed"}
MAX_ID = 10**12


async def page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    composition = await tab.seats.composition(viewer.member)
    guests = await tab.guests.guests(viewer.member)
    notice = "seats.saved" if request.query.get("lagret") == "1" else NOTICES.get(request.query.get("melding", ""))
    people = (sorted((await tab.members.directory()).values(), key=lambda m: m.name.lower())
              if viewer.member.is_leader else [])
    return tab.render("members.html", viewer, active="members", composition=composition, seats=composition.seats,
                      guests=guests, people=people, units=tab.units, today=tab.seats.today(), notice=notice)


async def edit(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    if not viewer.member.is_leader:  # the change itself is checked again in SeatService
        raise NotAllowed("error.leader_only")
    seat = _seat((await tab.seats.composition(viewer.member)).seats, request)
    people = sorted((await tab.members.directory()).values(), key=lambda m: m.name.lower())
    return tab.render("seat.html", viewer, active="members", seat=seat, index=request.match_info["index"],
                      people=people)


async def save(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    seat = _seat((await tab.seats.composition(viewer.member)).seats, request)
    form = await request.post()
    change = SeatChange(member_id=str(form.get("member") or "") or None,
                        deputy_id=str(form.get("deputy") or "") or None,
                        appointed_by=str(form.get("appointed_by") or "").strip(),
                        starts=_date(form.get("starts")), ends=_date(form.get("ends")))
    await tab.seats.change_seat(viewer.member, seat.unit, change)
    return _back(tab, viewer, "/tab/medlemmer?lagret=1")


async def save_vice_leader(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    form = await request.post()
    await tab.seats.set_vice_leader(viewer.member, _text(form, "person") or None)
    return _back(tab, viewer, "/tab/medlemmer?melding=nestleder#nestleder")


async def save_network(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    form = await request.post()
    person = _text(form, "person")
    if not person:
        raise InvalidInput("roles.person_required")
    await tab.seats.set_network(viewer.member, person, _text(form, "unit") or None, remove=form.get("remove") == "1")
    return _back(tab, viewer, "/tab/medlemmer?melding=nettverk#nettverk")


async def add_guest(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    form = await request.post()
    await tab.guests.add(viewer.member, _text(form, "name"), _text(form, "organisation"), _text(form, "email"))
    return _back(tab, viewer, "/tab/medlemmer?melding=gjest-lagt-til#gjester")


async def edit_guest(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    if not viewer.member.is_leader:
        raise NotAllowed("error.leader_only")
    guest = await _guest(request, tab, viewer)
    return tab.render("guest.html", viewer, active="members", guest=guest, removing=False)


async def save_guest(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    form = await request.post()
    await tab.guests.edit(viewer.member, guest_id(request.match_info["guest_id"]), _text(form, "name"),
                          _text(form, "organisation"), _text(form, "email"))
    return _back(tab, viewer, "/tab/medlemmer?melding=gjest-lagret#gjester")


async def confirm_remove_guest(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    """Removing is confirmed on a page of its own (no script: the CSP allows none inline)."""
    if not viewer.member.is_leader:
        raise NotAllowed("error.leader_only")
    guest = await _guest(request, tab, viewer)
    return tab.render("guest.html", viewer, active="members", guest=guest, removing=True)


async def remove_guest(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    await tab.guests.remove(viewer.member, guest_id(request.match_info["guest_id"]))
    return _back(tab, viewer, "/tab/medlemmer?melding=gjest-fjernet#gjester")


async def _guest(request: web.Request, tab: Tab, viewer: Viewer):
    wanted = guest_id(request.match_info["guest_id"])
    guest = next((g for g in await tab.guests.guests(viewer.member) if g.id == wanted), None)
    if guest is None:
        raise NotFound("guests.not_found")
    return guest


def guest_id(raw: object) -> int:
    """An id from a path or a form field; anything else is a 400 (never a 500)."""
    text = str(raw or "").strip()
    if not text.isdigit() or not 0 < int(text) < MAX_ID:
        raise InvalidInput("guests.bad_id")
    return int(text)


def _back(tab: Tab, viewer: Viewer, location: str) -> web.Response:
    response = redirect(location)
    tab.keep(response, viewer)
    return response


def _text(form, name: str) -> str:
    return str(form.get(name) or "").strip()


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
