"""Signed, expiring download links (case register CSV, notice and minutes PDF/Markdown, the plan as .ics),
served by our own aiohttp routes."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from datetime import timedelta
from urllib.parse import urlencode

from aiohttp import web

from cards.documents import archive_package, hearing_files, notice_files
from cards.exports import cases_csv, vote_result_csv, vote_result_pdf
from cards.plan_ics import meetings_ics
from cards.texts import t
from council.audience import Audience
from council.cases import CaseFilter, CaseStatus, CaseType
from council.errors import DomainError, InvalidInput

log = logging.getLogger(__name__)
REGISTER_PATH = "/exports/saksregister.csv"
PLAN_PATH = "/exports/moteplan.ics"
DOCUMENT_PATH = "/exports/moter/{meeting_id}/{kind}"
REGISTER_LIFETIME = timedelta(minutes=15)
PERSONAL_LIFETIME = timedelta(minutes=15)  # a link for the person who asked: long enough to click it
DOCUMENT_LIFETIME = timedelta(days=120)  # links in channel posts must outlive the approval of the minutes
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENTS = {"notice.pdf": "application/pdf", "notice.docx": DOCX, "minutes.pdf": "application/pdf",
             "minutes.docx": DOCX, "minutes.md": "text/markdown", "arkiv.zip": "application/zip"}
LETTER_PATH = "/exports/horinger/{hearing_id}/{kind}"
LETTER_DOCUMENTS = {"horingssvar.pdf": "application/pdf", "horingssvar.docx": DOCX}
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

    def hearing_letter(self, kind: str, hearing_id: int, actor_id: str) -> str:
        """The høringssvar for whoever asked (leader or secretary, checked at download)."""
        return self._signer.url(LETTER_PATH.format(hearing_id=hearing_id, kind=kind), {"by": actor_id},
                                REGISTER_LIFETIME)

    def plan_ics(self) -> str:
        return self._signer.url(PLAN_PATH, {}, DOCUMENT_LIFETIME)

    def vote_result(self, kind: str, vote_id: int, actor_id: str) -> str:
        """Results are exported for whoever asked (named results name people): the link carries who."""
        return self._signer.url(VOTE_PATH.format(vote_id=vote_id, kind=kind), {"by": actor_id}, REGISTER_LIFETIME)


def _refused() -> web.Response:
    return web.Response(status=403, text=t("export.link_invalid"), charset="utf-8")


def export_handlers(signer: LinkSigner, *, members, cases, meetings, agenda, minutes, votes, tz,
                    audience: Audience, records=None, letters=None,
                    archive_codes: tuple[str, str] = ("", "")) -> dict:
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
        body = await asyncio.to_thread(cases_csv, found, tz)
        return _file(body, "text/csv", f"saksregister-{filters.year or 'alle'}.csv")

    async def document(request: web.Request) -> web.Response:
        kind, raw_id = request.match_info["kind"], request.match_info["meeting_id"]
        params = signer.verify(request.path, request.query) if kind in DOCUMENTS and raw_id.isdigit() else None
        if params is None:
            return _refused()
        try:
            if "by" in params and not await _may_read(params["by"], kind, int(raw_id)):
                return web.Response(status=403, text=t("error.not_allowed"), charset="utf-8")
            body = await _document(kind, int(raw_id))
        except InvalidInput as error:  # e.g. the archive package of minutes not yet approved
            return web.Response(status=409, text=t(error.key), charset="utf-8")
        except DomainError:
            return web.Response(status=404, text=t("meetings.not_found"), charset="utf-8")
        name = {"notice": "innkalling", "minutes": "referat", "arkiv": "arkivpakke"}[kind.split(".")[0]]
        return _file(body, DOCUMENTS[kind], f"{name}-{raw_id}.{kind.split('.')[1]}")

    async def _may_read(reader_id: str, kind: str, meeting_id: int) -> bool:
        """A personal link: the reader must still be allowed. The innkalling and an approved referat are for the
        notice's audience; a draft referat and the archive package for the leader and secretary."""
        actor = next((m for m in await members.members() if m.aad_object_id == reader_id), None)
        if actor is not None and actor.is_organiser:
            return True
        if kind.startswith("notice."):
            return audience.admits(actor)
        if not kind.startswith("minutes.") or not audience.admits(actor):
            return False
        return (await meetings.get(meeting_id)).minutes_locked

    async def _document(kind: str, meeting_id: int) -> bytes:
        """Rendering takes up to seconds of CPU: it runs on a worker thread, so Teams is still answered."""
        if kind.startswith("notice."):
            notice = await records.notice(meeting_id)
            return (await asyncio.to_thread(notice_files, notice, tz, frozenset({kind})))[kind]
        if kind == "arkiv.zip":
            view, frozen = await minutes.archive_parts(meeting_id)
            notice = await records.notice(meeting_id)
            return await asyncio.to_thread(archive_package, view, frozen, notice, tz, *archive_codes)
        return await minutes.document(meeting_id, kind)  # approved minutes: the bytes frozen at approval

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
        render = vote_result_csv if kind == "result.csv" else vote_result_pdf
        body = await asyncio.to_thread(render, export, tz)
        return _file(body, VOTE_DOCUMENTS[kind], f"avstemning-{raw_id}.{kind.split('.')[1]}")

    async def hearing_letter(request: web.Request) -> web.Response:
        kind, raw_id = request.match_info["kind"], request.match_info["hearing_id"]
        params = signer.verify(request.path, request.query) if kind in LETTER_DOCUMENTS and raw_id.isdigit() \
            else None
        actor = next((m for m in await members.members() if params and m.aad_object_id == params.get("by")), None)
        if actor is None:
            return _refused()
        try:
            letter = await letters.letter(actor, int(raw_id))
        except DomainError as error:
            return web.Response(status=404 if error.key == "hearings.not_found" else 403, text=t(error.key),
                                charset="utf-8")
        body = (await asyncio.to_thread(hearing_files, letter, tz, frozenset({kind})))[kind]
        return _file(body, LETTER_DOCUMENTS[kind], f"horingssvar-{raw_id}.{kind.split('.')[1]}")

    return {"register": register, "plan": plan, "document": document, "vote": vote_result, "letter": hearing_letter}


ROUTES = {"register": REGISTER_PATH, "plan": PLAN_PATH, "document": "/exports/moter/{meeting_id}/{kind}",
          "vote": VOTE_PATH, "letter": LETTER_PATH}


def _file(body: bytes, content_type: str, filename: str) -> web.Response:
    return web.Response(body=body, content_type=content_type, charset="utf-8" if content_type.startswith("text")
                        else None, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
