"""The tab's routes under /tab: each page resolves the viewer, checks CSRF on changes, maps rule errors to pages."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from council.errors import DomainError, InvalidInput, NotAllowed, NotFound
from web import auth, benefits, cases, evaluation, hearings, meetings, members
from web.render import STATIC, on_prepare
from web.session import CSRF_FIELD
from web.tab import Tab, Viewer

log = logging.getLogger("radsbot.tab")
TAB = web.AppKey("tab", Tab)
Handler = Callable[[web.Request, Tab, Viewer], Awaitable[web.StreamResponse]]


def mount(app: web.Application) -> None:
    """Routes are fixed before start-up; app[TAB] is built with the services in the app's cleanup_ctx."""
    app.on_response_prepare.append(on_prepare)
    app.on_cleanup.append(_close)
    router = app.router
    router.add_get("/tab", _home)
    router.add_get("/tab/", _home)
    router.add_get("/tab/login", _open(auth.login_page))
    router.add_post("/tab/login", _open(auth.choose_identity))
    router.add_post("/tab/sso", _open(auth.sso_sign_in))
    router.add_get("/tab/konfigurer", _open(auth.configure))
    router.add_post("/tab/logout", _open(auth.sign_out))
    router.add_get("/tab/saker", _page(cases.register))
    router.add_get(r"/tab/saker/{case_id:\d{1,12}}", _page(cases.detail))
    router.add_get("/tab/saker/eksport.csv", _page(cases.export_csv))
    router.add_get("/tab/saker/eksport.xlsx", _page(cases.export_xlsx))
    router.add_get("/tab/medlemmer", _page(members.page))
    router.add_get(r"/tab/medlemmer/sete/{index:\d{1,3}}", _page(members.edit))
    router.add_post(r"/tab/medlemmer/sete/{index:\d{1,3}}", _page(members.save))
    router.add_post("/tab/medlemmer/nestleder", _page(members.save_vice_leader))
    router.add_post("/tab/medlemmer/nettverk", _page(members.save_network))
    router.add_post("/tab/medlemmer/gjester", _page(members.add_guest))
    router.add_get(r"/tab/medlemmer/gjester/{guest_id:\d{1,12}}", _page(members.edit_guest))
    router.add_post(r"/tab/medlemmer/gjester/{guest_id:\d{1,12}}", _page(members.save_guest))
    router.add_get(r"/tab/medlemmer/gjester/{guest_id:\d{1,12}}/fjern", _page(members.confirm_remove_guest))
    router.add_post(r"/tab/medlemmer/gjester/{guest_id:\d{1,12}}/fjern", _page(members.remove_guest))
    router.add_get("/tab/moter", _page(meetings.page))
    router.add_post(r"/tab/moter/sak/{item_id:\d{1,12}}/gjester", _page(meetings.invite))
    router.add_post(r"/tab/moter/sak/{item_id:\d{1,12}}/gjester/{guest_id:\d{1,12}}/fjern", _page(meetings.uninvite))
    router.add_get("/tab/horinger", _page(hearings.page))
    router.add_get(r"/tab/vedtak/{item_id:\d{1,12}}", _page(benefits.page))
    router.add_post(r"/tab/vedtak/{item_id:\d{1,12}}/gevinst", _page(benefits.save_benefit))
    router.add_post(r"/tab/vedtak/{item_id:\d{1,12}}/innforing", _page(benefits.set_status))
    router.add_get("/tab/evaluering", _page(evaluation.page))
    router.add_get(r"/tab/evaluering/rapport.{kind:docx|pdf}", _page(evaluation.download))
    router.add_static("/tab/static/", STATIC, follow_symlinks=False)


async def _close(app: web.Application) -> None:
    if TAB in app:
        app[TAB].charts.close()


async def _home(request: web.Request) -> web.Response:
    return auth.redirect("/tab/saker")


def _open(handler: Handler):
    """Sign-in routes: a viewer (maybe nobody yet) and no role required."""
    async def handle(request: web.Request) -> web.StreamResponse:
        tab = request.app[TAB]
        return await handler(request, tab, await tab.viewer(request))
    return handle


def _page(handler: Handler):
    """Pages: signed in, CSRF-checked when changing, and a rule error becomes a page with the right status."""
    async def handle(request: web.Request) -> web.StreamResponse:
        tab = request.app[TAB]
        viewer = await tab.viewer(request)
        if viewer.member is None:
            response = auth.redirect("/tab/login")
            tab.keep(response, viewer)
            return response
        if request.method == "POST":
            form = await request.post()
            if not tab.sessions.csrf_ok(viewer.session, form.get(CSRF_FIELD)):
                return tab.render("error.html", viewer, status=403, message_key="tab.csrf")
        try:
            return await handler(request, tab, viewer)
        except DomainError as error:
            return _error_page(tab, viewer, error)
    return handle


def _error_page(tab: Tab, viewer: Viewer, error: DomainError) -> web.Response:
    status = {NotAllowed: 403, NotFound: 404, InvalidInput: 400}.get(type(error), 409)
    return tab.render("error.html", viewer, status=status, message_key=error.key, params=error.params)
