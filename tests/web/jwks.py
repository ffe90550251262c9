"""A local Entra stand-in: an RSA key, its JWKS served on 127.0.0.1, and tokens shaped like Teams SSO tokens."""
from __future__ import annotations

import json
import time

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

APP_ID = "11111111-2222-4333-8444-555555555555"


class FakeEntra:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "local-key-1"
        self.requests = 0
        self._runner: web.AppRunner | None = None
        self.url = ""

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    async def start(self) -> "FakeEntra":
        app = web.Application()

        async def keys(request: web.Request) -> web.Response:
            self.requests += 1
            return web.json_response(self.jwks())

        app.router.add_get("/discovery/v2.0/keys", keys)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/discovery/v2.0/keys"
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    def token(self, *, oid: str, tenant: str, audience: str, name: str = "", upn: str = "", lifetime: int = 3600,
              issuer: str | None = None, key=None, kid: str | None = None) -> str:
        now = int(time.time())
        claims = {"aud": audience, "iss": issuer or f"https://login.microsoftonline.com/{tenant}/v2.0",
                  "iat": now - 10, "nbf": now - 10, "exp": now + lifetime, "tid": tenant, "oid": oid,
                  "name": name, "preferred_username": upn, "scp": "access_as_user"}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})
