"""Templates (jinja2, autoescaped) and the security headers every tab response carries."""
from __future__ import annotations

from pathlib import Path

import jinja2
from aiohttp import web

from cards.texts import t
from cards.texts.format import format_date, format_datetime

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# The Teams clients (classic, new, web, Outlook and Microsoft 365 hosts) may frame the tab; nothing else may.
TEAMS_HOSTS = ("https://teams.microsoft.com", "https://*.teams.microsoft.com", "https://teams.cloud.microsoft",
               "https://*.cloud.microsoft", "https://*.office.com", "https://outlook.office.com",
               "https://outlook.office365.com", "https://*.microsoft365.com", "https://*.skype.com")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + " ".join(TEAMS_HOSTS))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(t=t, format_date=format_date, format_datetime=format_datetime, audit_label=audit_label)
    env.filters["role_label"] = lambda role, lang: t(f"tab.role.{role}", lang)
    env.tests["contains_role"] = lambda roles, value: any(getattr(r, "value", r) == value for r in roles)
    return env


def audit_label(action: str, lang: str) -> str:
    """A known audit action's name, or the generic line naming it (never a raw key)."""
    key = f"tab.audit.{action}"
    text = t(key, lang)
    return t("tab.audit.other", lang, action=action) if text == key else text


def secure_headers(response: web.StreamResponse) -> None:
    """CSP with frame-ancestors replaces X-Frame-Options (which cannot name several hosts)."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")


async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    """Every response under /tab, pages and static files alike (aiohttp's static handler skips handlers)."""
    if request.path == "/tab" or request.path.startswith("/tab/"):
        if request.path.startswith("/tab/static/"):
            response.headers["Cache-Control"] = "public, max-age=3600"
        secure_headers(response)
