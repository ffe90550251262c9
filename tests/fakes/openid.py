"""Local fake of the Bot Connector's OpenID metadata and signing-key (JWKS) endpoints, counting fetches.

Real tokens cannot be checked offline; tests sign their own with a local RSA key that this fake publishes."""
from __future__ import annotations

import asyncio
import json
import time

import jwt
from aiohttp import web
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"


class FakeOpenId:
    """Serves /v1/.well-known/openidconfiguration and /keys on 127.0.0.1; `mode` makes it fail or stall."""

    def __init__(self) -> None:
        self._keys: list[dict] = []
        self.metadata_fetches = 0
        self.key_fetches = 0
        self.mode = "ok"  # "ok" | "fail" (HTTP 500) | "hang" (never answers)
        self._runner: web.AppRunner | None = None
        self._hung = asyncio.Event()
        self.base = ""

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/v1/.well-known/openidconfiguration"

    def publish(self, kid: str, private_key, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
        self._keys.append({**jwk, "kid": kid, "use": "sig", "endorsements": list(endorsements)})

    async def start(self) -> "FakeOpenId":
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/keys", self._jwks)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        self._hung.set()
        await self._runner.cleanup()

    async def _metadata(self, request: web.Request) -> web.Response:
        self.metadata_fetches += 1
        if self.mode == "hang":
            await self._hung.wait()
        if self.mode != "ok":
            return web.json_response({"error": "unavailable"}, status=500)
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base}/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _jwks(self, request: web.Request) -> web.Response:
        self.key_fetches += 1
        return web.json_response({"keys": self._keys})


def bot_token(private_key, kid: str, app_id: str, service_url: str, **claims) -> str:
    """An Authorization header as the Bot Connector sends it, signed with a local key."""
    now = int(time.time())
    body = {"iss": ISSUER, "aud": app_id, "nbf": now - 60, "exp": now + 3600, "serviceurl": service_url, **claims}
    return "Bearer " + jwt.encode(body, private_key, algorithm="RS256", headers={"kid": kid})
