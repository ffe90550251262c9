"""Who is looking: the local identity chooser (no app id) or Teams SSO (token from teams-js, checked here)."""
from __future__ import annotations

import logging

from aiohttp import web

from council.services.members import PersonInfo
from web.session import CSRF_FIELD, CSRF_HEADER
from web.sso import TokenRejected
from web.tab import Tab, Viewer

log = logging.getLogger("radsbot.tab")
MAX_TOKEN = 16_384


async def login_page(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    if tab.local_mode:
        people = await tab.members.members()
        return tab.render("login.html", viewer, people=people)
    return tab.render("sso.html", viewer)


TAB_PAGES = (("saker", "tab.nav.cases"), ("medlemmer", "tab.nav.members"), ("moter", "tab.nav.meetings"),
             ("horinger", "tab.nav.hearings"),
             ("evaluering", "tab.nav.evaluation"))


async def configure(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    """The channel tab's configuration page (Teams shows it when the tab is added): choose which page to pin.
    It shows no council data, so it needs no sign-in; the pinned page signs in as usual."""
    return tab.render("config.html", viewer, pages=TAB_PAGES)


async def choose_identity(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    """Local mode only: sign in as any known person (the page says plainly that this is not authentication)."""
    if not tab.local_mode:
        raise web.HTTPNotFound()
    form = await request.post()
    if not tab.sessions.csrf_ok(viewer.session, form.get(CSRF_FIELD)):
        return tab.render("error.html", viewer, status=403, message_key="tab.csrf")
    aad = str(form.get("aad") or "")
    if aad not in await tab.members.directory():
        return tab.render("error.html", viewer, status=400, message_key="tab.bad_request")
    return _signed_in(tab, viewer, aad, redirect("/tab/saker"))


async def sso_sign_in(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    """The page posts the token from authentication.getAuthToken; the person is learnt as the bot learns them."""
    if tab.local_mode:
        raise web.HTTPNotFound()
    if not tab.sessions.csrf_ok(viewer.session, request.headers.get(CSRF_HEADER)):
        return web.json_response({"error": "csrf"}, status=403)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN:
        return web.json_response({"error": "token required"}, status=401)
    try:
        identity = await tab.sso.validate(token)
    except TokenRejected as rejected:
        log.info("tab sign-in refused: %s", rejected)
        return web.json_response({"error": "token rejected"}, status=401)
    member = await tab.members.resolve_actor(PersonInfo(identity.aad_object_id, identity.name, upn=identity.upn,
                                                        tenant_id=identity.tenant_id))
    return _signed_in(tab, viewer, member.aad_object_id, web.json_response({"ok": True}))


async def sign_out(request: web.Request, tab: Tab, viewer: Viewer) -> web.Response:
    form = await request.post()
    if not tab.sessions.csrf_ok(viewer.session, form.get(CSRF_FIELD)):
        return tab.render("error.html", viewer, status=403, message_key="tab.csrf")
    response = redirect("/tab/login")
    tab.sessions.store(response, tab.sessions.new())
    return response


def redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _signed_in(tab: Tab, viewer: Viewer, aad: str, response: web.StreamResponse) -> web.StreamResponse:
    """A new session id at sign-in (session fixation), so the CSRF token changes with it."""
    tab.sessions.store(response, tab.sessions.new(aad))
    return response
