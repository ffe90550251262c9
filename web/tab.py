"""The tab's parts (services, sessions, SSO, templates) and who is looking at a page."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from cards.texts import language
from council.members import Member
from council.services.benefits import BenefitService
from council.services.guests import GuestService
from council.services.members import MemberService
from council.services.registers import RegisterService
from council.services.seats import SeatService
from council.settings import Settings
from council.topics import DEFAULT_TOPICS
from web.charts import Charts
from web.render import environment
from web.session import Session, Sessions
from web.sso import JwksCache, SsoValidator

LANG_COOKIE = "radsbot_tab_lang"


@dataclass(frozen=True)
class Viewer:
    """The person behind a request (None before sign-in), their page language and the session's CSRF token."""

    session: Session
    member: Member | None
    locale: str
    csrf: str
    new_session: bool
    chosen_lang: str | None


@dataclass
class Tab:
    members: MemberService
    registers: RegisterService
    seats: SeatService
    guests: GuestService
    sessions: Sessions
    sso: SsoValidator | None  # None: anonymous local mode, the identity chooser instead
    units: tuple[str, ...]
    tz: ZoneInfo
    env: jinja2.Environment
    charts: Charts
    number_format: str = "Sak {nr:02d}/{yy}"
    # the bot's signed download links, personal: short-lived, the reader's role checked again at download
    document_link: Callable[[str, int, str], str] = lambda kind, meeting_id, reader: ""
    topics: tuple[str, ...] = DEFAULT_TOPICS  # COUNCIL_TOPICS: the case register's topic filter
    benefits: BenefitService | None = None  # the decision page (gevinst, innføring per enhet)

    @property
    def local_mode(self) -> bool:
        return self.sso is None

    async def viewer(self, request: web.Request) -> Viewer:
        """Roles are read from the member table on every request (MemberService's short cache), never from the
        session: a role the leader removes is gone from the tab as from the bot."""
        session = self.sessions.read(request)
        new = session is None
        if session is None:
            session = self.sessions.new()
        member = (await self.members.directory()).get(session.aad) if session.aad else None
        chosen = request.query.get("lang")
        chosen = language(chosen) if chosen else None
        locale = chosen or request.cookies.get(LANG_COOKIE) or (member.locale if member else None) or "nb"
        return Viewer(session, member, language(locale), self.sessions.csrf_token(session), new, chosen)

    def keep(self, response: web.StreamResponse, viewer: Viewer) -> None:
        """Store a session made for this request, and the language chosen with ?lang=."""
        if viewer.new_session:
            self.sessions.store(response, viewer.session)
        if viewer.chosen_lang:
            response.set_cookie(LANG_COOKIE, viewer.chosen_lang, path="/tab", httponly=True, samesite="Lax")

    def render(self, template: str, viewer: Viewer, status: int = 200, **context) -> web.Response:
        html = self.env.get_template(template).render(viewer=viewer, lang=viewer.locale, local_mode=self.local_mode,
                                                      csrf=viewer.csrf, tz=self.tz, **context)
        response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
        self.keep(response, viewer)
        return response


def build_tab(settings: Settings, members: MemberService, registers: RegisterService, seats: SeatService,
              guests: GuestService, document_link: Callable[[str, int, str], str],
              benefits: BenefitService | None = None) -> Tab:
    """With an app id the tab signs people in with Teams SSO; without one (local mode) with the chooser."""
    key = (hmac.new(settings.export_signing_key.encode(), b"tab-session", hashlib.sha256).digest()
           if settings.export_signing_key else secrets.token_bytes(32))
    sso = None
    if not settings.anonymous:
        sso = SsoValidator(JwksCache(settings.tab_jwks_url), settings.tab_audience, settings.app_id,
                           settings.tenant_allow_list)
    sessions = Sessions(key, secure=settings.base_url.startswith("https://"))
    return Tab(members=members, registers=registers, seats=seats, guests=guests, sessions=sessions, sso=sso,
               units=settings.units, tz=settings.tz, env=environment(), charts=Charts(),
               number_format=settings.number_format, document_link=document_link, topics=settings.topics,
               benefits=benefits)
