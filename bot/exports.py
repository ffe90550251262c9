"""Signed, expiring download links (case register CSV, notice and minutes PDF/Markdown, the plan as .ics),
served by our own aiohttp routes."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from datetime import timedelta
from urllib.parse import urlencode

from aiohttp import web

from cards.documents import minutes_document, minutes_markdown, notice_document
from cards.exports import cases_csv
from cards.pdf import minutes_pdf, notice_pdf
from cards.plan_ics import meetings_ics
from cards.texts import t
from cards.votes import vote_result_csv, vote_result_pdf
from council.audience import Audience
from council.cases import CaseFilter, CaseStatus, CaseType
from council.errors import DomainError

log = logging.getLogger(__name__)
REGISTER_PATH = "/exports/saksregister.csv"
PLAN_PATH = "/exports/moteplan.ics"
DOCUMENT_PATH = "/exports/moter/{meeting_id}/{kind}"
REGISTER_LIFETIME = timedelta(minutes=15)
PERSONAL_LIFETIME = timedelta(minutes=15)  # a link for the person who asked: long enough to click it
DOCUMENT_LIFETIME = timedelta(days=120)  # links in channel posts must outlive the approval of the minutes
DOCUMENTS = {"notice.pdf": "application/pdf", "minutes.pdf": "application/pdf",
             "minutes.md": "text/markdown"}
VOTE_PATH = "/exports/avstemninger/{vote_id}/{kind}"
VOTE_DOCUMENTS = {"result.csv": "text/csv", "result.pdf": "application/pdf"}


def filters_from(values) -> CaseFilter:
    """Filter values from a card or a query string; anything unknown is ignored rather than trusted."""
    get = lambda key: str(values.get(key) or "").strip()  # noqa: E731
    year = get("year")
    return CaseFilter(
        year=int(year) if year.isdigit() else None,
        status=CaseStatus(get("status")) if get("status") in {s.value for s in CaseStatus} else None,
        unit=get("unit") or None,
        case_type=CaseType(get("case_type")) if get("case_type") in {c.value for c in CaseType} else None)


class LinkSigner:
    """HMAC over path, parameters and expiry. The key comes from EXPORT_SIGNING_KEY; without it a random key
    per process (links then die with a restart, which is harmless)."""

    def __init__(self, base_url: str, key: str = "", clock=time.time) -> None:
        self._base = base_url
        self._key = key.encode() if key else secrets.token_bytes(32)
        self._clock = clock

    def _signature(self, path: str, params: dict[str, str]) -> str:
        message = path + "?" + "&".join(f"{k}={params[k]}" for k in sorted(params))
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()

    def url(self, path: str, params: dict[str, str], lifetime: timedelta) -> str:
        params = {**params, "exp": str(int(self._clock() + lifetime.total_seconds()))}
        return f"{self._base}{path}?{urlencode({**params, 'sig': self._signature(path, params)})}"

    def verify(self, path: str, query) -> dict[str, str] | None:
        params = {k: v for k, v in query.items() if k != "sig"}
        if not hmac.compare_digest(self._signature(path, params), query.get("sig", "")):
            return None
        if not params.get("exp", "").isdigit() or int(params["exp"]) < self._clock():
            return None
        return params


class ExportLinks:
    """The links cards carry."""

    def __init__(self, signer: LinkSigner) -> None:
        self._signer = signer

    def link(self, actor_id: str, filters: CaseFilter) -> str:
        params = {"year": str(filters.year or ""), "status": filters.status.value if filters.status else "",
                  "unit": filters.unit or "", "case_type": filters.case_type.value if filters.case_type else "",
                  "by": actor_id}
        return self._signer.url(REGISTER_PATH, params, REGISTER_LIFETIME)

    def document(self, kind: str, meeting_id: int, actor_id: str | None = None) -> str:
        """For someone who asked (a card they opened): short-lived and theirs, their role checked again at
        download. Without `actor_id` (a post in the council's channel, read later): long-lived, signature only."""
        path = DOCUMENT_PATH.format(meeting_id=meeting_id, kind=kind)
        if actor_id is None:
            return self._signer.url(path, {}, DOCUMENT_LIFETIME)
        return self._signer.url(path, {"by": actor_id}, PERSONAL_LIFETIME)

    def plan_ics(self) -> str:
        return self._signer.url(PLAN_PATH, {}, DOCUMENT_LIFETIME)

    def vote_result(self, kind: str, vote_id: int, actor_id: str) -> str:
        """Results are exported for whoever asked (named results name people): the link carries who."""
        return self._signer.url(VOTE_PATH.format(vote_id=vote_id, kind=kind), {"by": actor_id}, REGISTER_LIFETIME)


def _refused() -> web.Response:
    return web.Response(status=403, text=t("export.link_invalid"), charset="utf-8")


def export_handlers(signer: LinkSigner, *, members, cases, meetings, agenda, minutes, votes, tz,
                    audience: Audience) -> dict:
    """Handlers by route name; app.py registers the routes before the services exist."""
    async def register(request: web.Request) -> web.Response:
        params = signer.verify(REGISTER_PATH, request.query)
        if params is None:
            return _refused()
        filters = filters_from(params)
        actor = next((m for m in await members.members() if m.aad_object_id == params.get("by")), None)
        try:
            found = await cases.register(actor, filters) if actor else None
        except DomainError:
            found = None
        if found is None:
            return web.Response(status=403, text=t("error.organiser_only"), charset="utf-8")
        log.info("case register exported: %d rows", len(found))
        return _file(cases_csv(found, tz), "text/csv", f"saksregister-{filters.year or 'alle'}.csv")

    async def document(request: web.Request) -> web.Response:
        kind, raw_id = request.match_info["kind"], request.match_info["meeting_id"]
        params = signer.verify(request.path, request.query) if kind in DOCUMENTS and raw_id.isdigit() else None
        if params is None:
            return _refused()
        if "by" in params:  # a personal link: the person must still be allowed to read it
            actor = next((m for m in await members.members() if m.aad_object_id == params["by"]), None)
            allowed = audience.admits(actor) if kind == "notice.pdf" else actor is not None and actor.is_organiser
            if not allowed:
                return web.Response(status=403, text=t("error.not_allowed"), charset="utf-8")
        try:
            body = await _document(kind, int(raw_id))
        except DomainError:
            return web.Response(status=404, text=t("meetings.not_found"), charset="utf-8")
        name = {"notice.pdf": "innkalling", "minutes.pdf": "referat", "minutes.md": "referat"}[kind]
        return _file(body, DOCUMENTS[kind], f"{name}-{raw_id}.{kind.split('.')[1]}")

    async def _document(kind: str, meeting_id: int) -> bytes:
        if kind == "notice.pdf":
            return notice_pdf(notice_document(await agenda.view(meeting_id), meetings.rules, tz))
        view = await minutes.view(meeting_id)
        names = {m.aad_object_id: m.name for m in await members.members()}
        if kind == "minutes.md":
            return minutes_markdown(view, names, meetings.rules, tz).encode("utf-8")
        return minutes_pdf(minutes_document(view, names, meetings.rules, tz))

    async def plan(request: web.Request) -> web.Response:
        if signer.verify(PLAN_PATH, request.query) is None:
            return _refused()
        return _file(meetings_ics(await meetings.upcoming(), tz), "text/calendar", "moteplan-kontorfaglig-raad.ics")

    async def vote_result(request: web.Request) -> web.Response:
        kind, raw_id = request.match_info["kind"], request.match_info["vote_id"]
        params = signer.verify(request.path, request.query) if kind in VOTE_DOCUMENTS and raw_id.isdigit() else None
        actor = next((m for m in await members.members() if params and m.aad_object_id == params.get("by")), None)
        if actor is None:
            return _refused()
        try:
            export = await votes.export(actor, int(raw_id))
        except DomainError as error:
            return web.Response(status=403, text=t(error.key), charset="utf-8")
        body = vote_result_csv(export, tz) if kind == "result.csv" else vote_result_pdf(export, tz)
        return _file(body, VOTE_DOCUMENTS[kind], f"avstemning-{raw_id}.{kind.split('.')[1]}")

    return {"register": register, "plan": plan, "document": document, "vote": vote_result}


ROUTES = {"register": REGISTER_PATH, "plan": PLAN_PATH, "document": "/exports/moter/{meeting_id}/{kind}",
          "vote": VOTE_PATH}


def _file(body: bytes, content_type: str, filename: str) -> web.Response:
    return web.Response(body=body, content_type=content_type, charset="utf-8" if content_type.startswith("text")
                        else None, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
