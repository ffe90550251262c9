"""Teams SSO for the tab: validate the token teams-js's getAuthToken gives the page (Entra v1 or v2 token)."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
import jwt


class TokenRejected(Exception):
    """The token is not one we accept; the reason is for the log, never shown to the user."""


@dataclass(frozen=True)
class SsoIdentity:
    aad_object_id: str
    tenant_id: str
    name: str
    upn: str | None


class JwksCache:
    """Entra's signing keys, fetched with a timeout and kept for `max_age` seconds; an unknown key id refetches
    (key rollover), at most once per `min_refresh` seconds so bad tokens cannot make us hammer Entra."""

    def __init__(self, url: str, *, timeout: float = 5.0, max_age: float = 24 * 3600, min_refresh: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._url = url
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_age = max_age
        self._min_refresh = min_refresh
        self._monotonic = monotonic
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def key(self, kid: str) -> jwt.PyJWK:
        async with self._lock:
            if self._stale() or (kid not in self._keys and self._may_refresh()):
                await self._fetch()
        if kid not in self._keys:
            raise TokenRejected("unknown signing key")
        return self._keys[kid]

    def _stale(self) -> bool:
        return self._fetched_at is None or self._monotonic() - self._fetched_at > self._max_age

    def _may_refresh(self) -> bool:
        return self._monotonic() - (self._fetched_at or 0.0) > self._min_refresh

    async def _fetch(self) -> None:
        try:
            async with aiohttp.ClientSession(timeout=self._timeout) as session, session.get(self._url) as response:
                response.raise_for_status()
                data = await response.json(content_type=None)
            keys = jwt.PyJWKSet.from_dict(data).keys
        except (TimeoutError, aiohttp.ClientError, ValueError, jwt.PyJWTError) as error:
            if self._keys:  # keep the keys we have; Entra being slow must not sign everybody out
                return
            raise TokenRejected(f"signing keys unavailable: {type(error).__name__}") from None
        self.fetches += 1
        self._keys = {k.key_id: k for k in keys if k.key_id}
        self._fetched_at = self._monotonic()


class SsoValidator:
    """Signature (against the JWKS), expiry, audience (the tab's Application ID URI or the app id), issuer
    (Entra v1 or v2 for the token's own tenant) and the tenant allow-list."""

    def __init__(self, keys: JwksCache, audience: str, app_id: str, tenants: frozenset[str],
                 leeway: float = 60.0) -> None:
        self._keys = keys
        self._audiences = [audience, app_id]
        self._tenants = tenants
        self._leeway = leeway

    async def validate(self, token: str) -> SsoIdentity:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise TokenRejected("malformed token") from None
        if not kid:
            raise TokenRejected("no key id")
        key = await self._keys.key(kid)
        try:
            claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=self._audiences, leeway=self._leeway,
                                options={"require": ["exp", "iat", "iss", "aud", "tid", "oid"]})
        except jwt.PyJWTError as error:
            raise TokenRejected(type(error).__name__) from None
        tenant = claims["tid"]
        if claims["iss"] not in (f"https://login.microsoftonline.com/{tenant}/v2.0", f"https://sts.windows.net/{tenant}/"):
            raise TokenRejected("issuer")
        if self._tenants and tenant not in self._tenants:
            raise TokenRejected("tenant not allowed")
        return SsoIdentity(claims["oid"], tenant, claims.get("name") or "",
                           claims.get("preferred_username") or claims.get("upn"))
