"""The tab's session: a signed cookie naming the visitor, and the CSRF token bound to it.

Every visitor gets a session id before signing in, so even the sign-in form carries a CSRF token."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

COOKIE = "radsbot_tab"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Session:
    sid: str
    aad: str | None  # None: not signed in yet
    expires: int


class Sessions:
    """Inside Teams the tab is a third-party frame: the cookie is SameSite=None; Secure there.
    Over plain http (local mode) browsers refuse that, so it is SameSite=Lax."""

    def __init__(self, key: bytes, secure: bool, lifetime: float = 8 * 3600,
                 clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._secure = secure
        self._lifetime = lifetime
        self._clock = clock

    def read(self, request: web.Request) -> Session | None:
        raw = request.cookies.get(COOKIE, "")
        body, _, signature = raw.rpartition(".")
        if not body or not hmac.compare_digest(self._sign(body), signature):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(body.encode()))
            session = Session(str(data["sid"]), data.get("aad"), int(data["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires > self._clock() else None

    def new(self, aad: str | None = None, sid: str | None = None) -> Session:
        """A fresh session id on every sign-in, so a session id known before sign-in is worth nothing after."""
        return Session(sid or secrets.token_urlsafe(24), aad, int(self._clock() + self._lifetime))

    def store(self, response: web.StreamResponse, session: Session) -> None:
        body = base64.urlsafe_b64encode(json.dumps(
            {"sid": session.sid, "aad": session.aad, "exp": session.expires}).encode()).decode()
        extra = {"samesite": "None", "secure": True} if self._secure else {"samesite": "Lax"}
        response.set_cookie(COOKIE, f"{body}.{self._sign(body)}", httponly=True, path="/tab",
                            max_age=int(self._lifetime), **extra)

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._key, f"csrf:{session.sid}".encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session | None, token: str | None) -> bool:
        return session is not None and bool(token) and hmac.compare_digest(self.csrf_token(session), token)

    def _sign(self, body: str) -> str:
        return hmac.new(self._key, f"session:{body}".encode(), hashlib.sha256).hexdigest()
