"""Teams SSO for the tab: tokens checked against a local JWKS (signature, issuer, audience, tenant, expiry)."""
from __future__ import annotations

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e.harness import start_bot
from tests.e2e.teams import EMMA, KARI, TENANT
from tests.web.jwks import APP_ID, FakeEntra
from tests.web.seed import seed_cases, seed_members
from web.sso import JwksCache, SsoValidator, TokenRejected

AUDIENCE = f"api://radsbot.example.no/{APP_ID}"


@pytest.fixture
async def entra():
    fake = await FakeEntra().start()
    yield fake
    await fake.stop()


def validator(entra: FakeEntra, tenants=frozenset({TENANT})) -> SsoValidator:
    return SsoValidator(JwksCache(entra.url, timeout=2.0), AUDIENCE, APP_ID, tenants)


async def test_a_token_signed_by_the_tenants_key_for_our_audience_names_the_person(entra):
    identity = await validator(entra).validate(entra.token(oid="aad-kari", tenant=TENANT, audience=AUDIENCE,
                                                           name="Kari Nordmann", upn=KARI.upn))
    assert (identity.aad_object_id, identity.tenant_id, identity.upn) == ("aad-kari", TENANT, KARI.upn)


@pytest.mark.parametrize("change", [
    {"audience": "api://radsbot.example.no/another-app"},
    {"lifetime": -600},
    {"issuer": "https://login.microsoftonline.com/someone-else/v2.0"},
    {"tenant": "another-tenant"},
    {"kid": "unknown-key"},
    {"key": rsa.generate_private_key(public_exponent=65537, key_size=2048)},
], ids=["audience", "expired", "issuer", "tenant", "unknown-key", "forged-signature"])
async def test_a_token_that_breaks_one_rule_is_refused(entra, change):
    values = {"oid": "aad-kari", "tenant": TENANT, "audience": AUDIENCE, **change}
    with pytest.raises(TokenRejected):
        await validator(entra).validate(entra.token(**values))


async def test_garbage_is_refused_without_asking_for_keys(entra):
    with pytest.raises(TokenRejected):
        await validator(entra).validate("not.a.token")
    assert entra.requests == 0


async def test_the_signing_keys_are_fetched_once_and_cached(entra):
    check = validator(entra)
    for _ in range(3):
        await check.validate(entra.token(oid="aad-kari", tenant=TENANT, audience=AUDIENCE))
    assert entra.requests == 1


async def test_an_unreachable_key_endpoint_refuses_instead_of_hanging():
    check = SsoValidator(JwksCache("http://127.0.0.1:9/keys", timeout=1.0), AUDIENCE, APP_ID, frozenset())
    entra = FakeEntra()
    with pytest.raises(TokenRejected):
        await check.validate(entra.token(oid="x", tenant=TENANT, audience=AUDIENCE))


@pytest.fixture
async def sso_bot(database_url, entra):
    harness = await start_bot(database_url, app_id=APP_ID, app_password="secret", app_tenant_id=TENANT,
                              tab_jwks_url=entra.url, tab_sso_audience=AUDIENCE)
    people = await seed_members(harness.container)
    await seed_cases(harness.container, people, 2)
    yield harness
    await harness.close()
    await harness.connector.stop()


async def _sso_sign_in(base: str, http: aiohttp.ClientSession, token: str) -> int:
    async with http.get(f"{base}/tab/login") as response:
        html = await response.text()
    assert "MicrosoftTeams.min.js" in html and "Lokal modus" not in html
    csrf = html.split('data-csrf="')[1].split('"')[0]
    async with http.post(f"{base}/tab/sso", headers={"Authorization": f"Bearer {token}",
                                                     "X-CSRF-Token": csrf}) as response:
        return response.status


async def test_with_an_app_id_the_tab_signs_in_with_teams_sso_and_uses_the_member_roles(sso_bot, entra):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        token = entra.token(oid=KARI.aad, tenant=TENANT, audience=AUDIENCE, name=KARI.name, upn=KARI.upn)
        assert await _sso_sign_in(sso_bot.url, http, token) == 200
        async with http.get(f"{sso_bot.url}/tab/saker") as response:
            assert response.status == 200 and "2 saker" in await response.text()


async def test_with_an_app_id_the_chooser_is_gone_and_a_bad_token_signs_nobody_in(sso_bot, entra):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.post(f"{sso_bot.url}/tab/login", data={"aad": KARI.aad}) as response:
            assert response.status == 404
        forged = entra.token(oid=KARI.aad, tenant=TENANT, audience="api://elsewhere/x")
        assert await _sso_sign_in(sso_bot.url, http, forged) == 401
        async with http.get(f"{sso_bot.url}/tab/saker", allow_redirects=False) as response:
            assert response.status == 303


async def test_sso_without_the_pages_csrf_token_is_refused(sso_bot, entra):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        token = entra.token(oid=EMMA.aad, tenant=TENANT, audience=AUDIENCE)
        async with http.post(f"{sso_bot.url}/tab/sso", headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 403


async def test_a_person_new_to_the_council_signs_in_with_no_role_and_sees_no_cases(sso_bot, entra):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        token = entra.token(oid="aad-new", tenant=TENANT, audience=AUDIENCE, name="Ny Person")
        assert await _sso_sign_in(sso_bot.url, http, token) == 200
        async with http.get(f"{sso_bot.url}/tab/saker") as response:
            assert response.status == 403 and "henvisninger" not in await response.text()
