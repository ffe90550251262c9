"""A decision of the register (vedtak): its benefit (leader and secretary edit it) and, for felles praksis, each
unit's implementation status (members set their own unit's, leader and secretary any unit's)."""
from __future__ import annotations

from datetime import date

from aiohttp import web

from council.benefits import BenefitCategory, BenefitForm, ImplementationStatus, Realised
from council.errors import InvalidInput
from web.auth import redirect
from web.tab import Tab, Viewer


async def page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    item_id = int(request.match_info["item_id"])
    view = await tab.benefits.decision(viewer.member, item_id)
    decision = view.decision
    number = (tab.number_format.format(nr=decision.number, yy=decision.year % 100, yyyy=decision.year)
              if decision.number is not None and decision.year is not None else "")
    return tab.render("decision.html", viewer, active="hearings", view=view, number=number,
                      total=len(tab.benefits.units), today=tab.benefits.today(),
                      categories=[c.value for c in BenefitCategory], realised_states=[r.value for r in Realised],
                      statuses=[s.value for s in ImplementationStatus],
                      saved=request.query.get("lagret") == "1")


async def save_benefit(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    item_id = int(request.match_info["item_id"])
    form = await request.post()
    await tab.benefits.save_benefit(viewer.member, item_id, BenefitForm(
        expected=_text(form.get("expected")), category=_text(form.get("category")), owner=_text(form.get("owner")),
        realised=_text(form.get("realised")) or Realised.NOT_ASSESSED.value,
        realised_note=_text(form.get("realised_note")), assessed_on=_date(form.get("assessed_on")),
        uniform_practice=form.get("uniform_practice") == "ja"))
    return _saved(tab, viewer, item_id, "gevinst")


async def set_status(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    item_id = int(request.match_info["item_id"])
    form = await request.post()
    await tab.benefits.set_status(viewer.member, item_id, _text(form.get("unit")), _text(form.get("status")),
                                  _date(form.get("on")))
    return _saved(tab, viewer, item_id, "innforing")


def _saved(tab: Tab, viewer: Viewer, item_id: int, anchor: str) -> web.Response:
    response = redirect(f"/tab/vedtak/{item_id}?lagret=1#{anchor}")
    tab.keep(response, viewer)
    return response


def _text(raw: object) -> str:
    return str(raw or "").strip()


def _date(raw: object) -> date | None:
    text = _text(raw)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("benefits.bad_date") from None
