"""Inbound Bot Connector tokens, checked without ever blocking the event loop.

botbuilder 4.17.1 fetches the Bot Connector's signing keys with a blocking `requests.get` without a timeout,
on the event loop, and again for every token naming a key it does not know: one such request from anyone
froze the whole server. Here the keys are fetched with aiohttp under a timeout, cached, refreshed for an
unknown key id at most every `refresh_interval` seconds, a failed fetch is remembered for `retry_after`
seconds, and only `max_concurrent` checks may wait for keys at once. The checks themselves are the SDK's
for a Bot Connector token (public cloud): issuer, RS256 signature, expiry with five minutes' leeway,
audience = our app id, the key's endorsement of the channel, and the `serviceurl` claim.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
import jwt
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication, ClaimsIdentity
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)

BOT_CONNECTOR_ISSUER = "https://api.botframework.com"
CLOCK_LEEWAY_SECONDS = 300  # as botbuilder


class KeysUnavailable(Exception):
    """The signing keys could not be had in time: the request is answered 503, the caller may retry."""


class Overloaded(Exception):
    """Too many token checks are already waiting for keys: answered 503 at once."""


@dataclass(frozen=True)
class SigningKey:
    public_key: object
    endorsements: frozenset[str]


class SigningKeys:
    """The keys published at an OpenID metadata URL: fetched off the event loop's critical path, cached."""

    def __init__(self, metadata_url: str, *, timeout: float = 5.0, max_age: float = 24 * 3600,
                 refresh_interval: float = 300.0, retry_after: float = 30.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._metadata_url = metadata_url
        self._timeout = timeout
        self._max_age = max_age
        self._refresh_interval = refresh_interval
        self._retry_after = retry_after
        self._now = monotonic
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._refresh: asyncio.Task | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    async def get(self, kid: str) -> SigningKey | None:
        """The key named `kid`, or None if the publisher does not list it; KeysUnavailable if we cannot tell.

        A listed key is answered from the cache at once, even when the list is due for its daily refresh
        (which then runs in the background): a stalled key host never delays a token signed with a known key."""
        now = self._now()
        key = self._keys.get(kid)
        if key is not None:
            if now - self._fetched_at >= self._max_age:
                self._refresh_in_background()
            return key
        if self._fetched_at is not None and now - self._fetched_at < self._refresh_interval:
            return None
        await self._refreshed()
        return self._keys.get(kid)

    def _refresh_in_background(self) -> None:
        if self._closed or self._recently_failed() or (self._refresh is not None and not self._refresh.done()):
            return
        self._refresh = asyncio.create_task(self._fetch())
        self._refresh.add_done_callback(lambda task: task.cancelled() or task.exception())

    def _recently_failed(self) -> bool:
        return self._failed_at is not None and self._now() - self._failed_at < self._retry_after

    async def _refreshed(self) -> None:
        """One fetch at a time, shared by every waiter; a recent failure answers at once."""
        if self._closed:
            raise KeysUnavailable("shutting down")
        if self._recently_failed():
            raise KeysUnavailable("the last fetch failed moments ago")
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self._fetch())
        try:
            await asyncio.shield(self._refresh)
        except asyncio.CancelledError:
            if self._refresh.cancelled():  # closed while fetching, not this waiter cancelled
                raise KeysUnavailable("shutting down") from None
            raise

    async def _fetch(self) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                metadata = await self._get_json(self._metadata_url)
                keys = _parse_keys(await self._get_json(metadata["jwks_uri"]))
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
            self._failed_at = self._now()
            log.warning("could not fetch the Bot Connector's signing keys from %s: %s; checks that need them "
                        "answer 503 for %.0f s", self._metadata_url, type(error).__name__, self._retry_after)
            raise KeysUnavailable(type(error).__name__) from None
        self._keys, self._fetched_at, self._failed_at = keys, self._now(), None

    async def _get_json(self, url: str) -> dict:
        if self._session is None:
            # trust_env: HTTPS_PROXY and NO_PROXY apply, as they did to the SDK's requests.get.
            self._session = aiohttp.ClientSession(trust_env=True)
        async with self._session.get(url) as response:
            response.raise_for_status()
            body = await response.json(content_type=None)
        if not isinstance(body, dict):
            raise ValueError("not a JSON object")
        return body

    async def close(self) -> None:
        """Stop fetching: waiting checks answer 503 now, so shutdown never waits for a stalled host."""
        self._closed = True
        if self._refresh is not None and not self._refresh.done():
            self._refresh.cancel()
            await asyncio.gather(self._refresh, return_exceptions=True)
        if self._session is not None:
            await self._session.close()


def _parse_keys(body: dict) -> dict[str, SigningKey]:
    keys = {}
    for jwk in body["keys"]:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str) or jwk.get("kty") != "RSA":
            continue
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(jwk))
        except (jwt.InvalidKeyError, ValueError, KeyError, TypeError):
            continue
        endorsements = jwk.get("endorsements") or []
        keys[jwk["kid"]] = SigningKey(public_key, frozenset(e for e in endorsements if isinstance(e, str)))
    return keys


class BotConnectorTokens:
    """Checks the bearer token of an activity sent by the Bot Connector to this app id."""

    def __init__(self, app_id: str, keys: SigningKeys, *, max_concurrent: int = 32, wait: float = 5.0) -> None:
        self._app_id = app_id
        self._keys = keys
        self._slots = asyncio.Semaphore(max_concurrent)
        self._wait = wait

    async def identity(self, authorization: str, activity: Activity) -> ClaimsIdentity:
        """The token's claims; PermissionError if it is not valid, KeysUnavailable/Overloaded if unknowable now."""
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise PermissionError("not a JWT") from None
        if unverified.get("iss") != BOT_CONNECTOR_ISSUER:  # never fetch keys for a stranger's token
            raise PermissionError("not issued by the Bot Connector")
        if header.get("alg") != "RS256":
            raise PermissionError("signing algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise PermissionError("no key id")
        key = await self._key(kid)
        if key is None:
            raise PermissionError("signed with a key the Bot Connector does not publish")
        if activity.channel_id and key.endorsements and activity.channel_id not in key.endorsements:
            raise PermissionError("the key does not endorse this channel")
        try:
            claims = jwt.decode(token, key.public_key, algorithms=["RS256"], audience=self._app_id,
                                issuer=BOT_CONNECTOR_ISSUER, leeway=CLOCK_LEEWAY_SECONDS,
                                options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWTError as error:
            raise PermissionError(type(error).__name__) from None
        if claims.get("aud") != self._app_id:
            raise PermissionError("audience is not this app")
        if claims.get("serviceurl") != activity.service_url:
            raise PermissionError("the token was issued for another serviceUrl")
        return ClaimsIdentity(claims, True)

    async def _key(self, kid: str) -> SigningKey | None:
        if self._slots.locked():
            raise Overloaded()
        async with self._slots:
            try:
                async with asyncio.timeout(self._wait):
                    return await self._keys.get(kid)
            except TimeoutError:
                raise KeysUnavailable("timed out") from None

    async def close(self) -> None:
        await self._keys.close()


def _bearer(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer" or not token or " " in token:
        raise PermissionError("not a bearer token")
    return token


def request_result(identity: ClaimsIdentity, auth: BotFrameworkAuthentication) -> AuthenticateRequestResult:
    """What the SDK's authenticate_request returns for a Bot Connector token in the public cloud."""
    result = AuthenticateRequestResult()
    result.claims_identity = identity
    result.audience = auth.get_originating_audience()
    result.caller_id = CallerIdConstants.public_azure_channel
    result.connector_factory = auth.create_connector_factory(identity)
    return result
