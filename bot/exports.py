"""Signed, expiring download links for the case register (CSV), served by our own aiohttp route."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from urllib.parse import urlencode

from aiohttp import web

from cards.exports import cases_csv
from cards.texts import t
from council.cases import CaseFilter, CaseStatus, CaseType
from council.errors import DomainError
from council.services.cases import CaseService
from council.services.members import MemberService

log = logging.getLogger(__name__)
PATH = "/exports/saksregister.csv"
LIFETIME_SECONDS = 15 * 60
_FIELDS = ("year", "status", "unit", "case_type")


def filters_from(values) -> CaseFilter:
    """Filter values from a card or a query string; anything unknown is ignored rather than trusted."""
    get = lambda key: str(values.get(key) or "").strip()  # noqa: E731
    year = get("year")
    return CaseFilter(
        year=int(year) if year.isdigit() else None,
        status=CaseStatus(get("status")) if get("status") in {s.value for s in CaseStatus} else None,
        unit=get("unit") or None,
        case_type=CaseType(get("case_type")) if get("case_type") in {c.value for c in CaseType} else None)


def _as_query(filters: CaseFilter) -> dict[str, str]:
    return {"year": str(filters.year or ""), "status": filters.status.value if filters.status else "",
            "unit": filters.unit or "", "case_type": filters.case_type.value if filters.case_type else ""}


class ExportLinks:
    """HMAC-signed links: who asked, which filters, until when. The key comes from EXPORT_SIGNING_KEY; without
    it a random key per process (links then die with a restart, which is harmless)."""

    def __init__(self, base_url: str, key: str = "", clock=time.time) -> None:
        self._base = base_url
        self._key = key.encode() if key else secrets.token_bytes(32)
        self._clock = clock

    def _signature(self, params: dict[str, str]) -> str:
        message = "&".join(f"{k}={params[k]}" for k in sorted(params))
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()

    def link(self, actor_id: str, filters: CaseFilter) -> str:
        params = {**_as_query(filters), "by": actor_id, "exp": str(int(self._clock()) + LIFETIME_SECONDS)}
        return f"{self._base}{PATH}?{urlencode({**params, 'sig': self._signature(params)})}"

    def verify(self, query) -> tuple[str, CaseFilter] | None:
        params = {k: query.get(k, "") for k in (*_FIELDS, "by", "exp")}
        expected = self._signature(params)
        if not hmac.compare_digest(expected, query.get("sig", "")):
            return None
        if not params["exp"].isdigit() or int(params["exp"]) < self._clock():
            return None
        return params["by"], filters_from(params)


def export_route(links: ExportLinks, members: MemberService, cases: CaseService, tz):
    async def download(request: web.Request) -> web.Response:
        verified = links.verify(request.query)
        if verified is None:
            return web.Response(status=403, text=t("export.link_invalid"), charset="utf-8")
        actor_id, filters = verified
        actor = next((m for m in await members.members() if m.aad_object_id == actor_id), None)
        try:
            found = await cases.register(actor, filters) if actor else None
        except DomainError:
            found = None
        if found is None:
            return web.Response(status=403, text=t("error.organiser_only"), charset="utf-8")
        log.info("case register exported: %d rows", len(found))
        name = f"saksregister-{filters.year or 'alle'}.csv"
        return web.Response(body=cases_csv(found, tz), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return download
