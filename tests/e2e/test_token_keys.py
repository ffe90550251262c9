"""Bot Connector tokens checked against signing keys fetched from a local fake OpenID/JWKS host.

The keys are cached (the fake counts fetches), an unknown key id looks again at most once per interval, a
failed or stalled fetch answers 503 at once for a while, and only a bounded number of checks wait for keys."""
from __future__ import annotations

import asyncio
import time

import pytest
from botbuilder.schema import Activity
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.auth import BotConnectorTokens, KeysUnavailable, Overloaded, SigningKeys
from tests.e2e.harness import running_bot
from tests.e2e.teams import KARI, TENANT, execute, texts_in
from tests.fakes.openid import FakeOpenId, bot_token

APP_ID = "3f0c2a9e-6b1d-4c55-9e27-8d4b1a7c0f13"


@pytest.fixture(scope="module")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
async def openid(signing_key):
    fake = await FakeOpenId().start()
    fake.publish("published", signing_key)
    yield fake
    await fake.stop()


@pytest.fixture
async def secured(database_url, openid):
    async with running_bot(database_url, app_id=APP_ID, app_password="secret", app_tenant_id=TENANT,
                           openid_metadata_url=openid.metadata_url) as harness:
        yield harness


def _help(bot) -> dict:
    return execute(bot.service_url, KARI, "help.show")


async def _post(bot, token: str, activity: dict | None = None) -> int:
    status, _ = await bot.post(activity or _help(bot), headers={"Authorization": token})
    return status


async def test_a_token_signed_with_a_published_key_is_accepted(secured, signing_key):
    bot = secured
    status, body = await bot.post(_help(bot), headers={
        "Authorization": bot_token(signing_key, "published", APP_ID, bot.service_url)})
    assert status == 200
    assert "Dette kan du gjøre" in texts_in(body["value"])


@pytest.mark.parametrize("claims", [
    pytest.param({"aud": "9d7e0000-0000-4000-8000-000000000000"}, id="wrong-audience"),
    pytest.param({"aud": [APP_ID, "someone-else"]}, id="audience-list"),
    pytest.param({"iss": "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"}, id="wrong-issuer"),
    pytest.param({"exp": int(time.time()) - 3600, "nbf": int(time.time()) - 7200}, id="expired"),
    pytest.param({"nbf": int(time.time()) + 3600}, id="not-yet-valid"),
])
async def test_a_published_key_with_wrong_claims_answers_401(secured, signing_key, claims):
    bot = secured
    assert await _post(bot, bot_token(signing_key, "published", APP_ID, bot.service_url, **claims)) == 401
    assert bot.connector.requests == []


async def test_a_token_naming_an_unknown_key_answers_401(secured, signing_key):
    bot = secured
    assert await _post(bot, bot_token(signing_key, "nobody-published-this", APP_ID, bot.service_url)) == 401


async def test_a_key_that_does_not_endorse_the_channel_answers_401(secured, openid):
    bot = secured
    webchat_only = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    openid.publish("webchat-key", webchat_only, endorsements=("webchat",))
    assert await _post(bot, bot_token(webchat_only, "webchat-key", APP_ID, bot.service_url)) == 401


async def test_the_keys_are_fetched_once_for_many_requests(secured, openid, signing_key):
    bot = secured
    token = bot_token(signing_key, "published", APP_ID, bot.service_url)
    statuses = await asyncio.gather(*(_post(bot, token) for _ in range(10)))
    statuses.append(await _post(bot, token))
    assert statuses == [200] * 11
    assert (openid.metadata_fetches, openid.key_fetches) == (1, 1)


async def test_unknown_key_ids_do_not_refetch_the_keys_within_the_refresh_interval(secured, openid, signing_key):
    bot = secured
    assert await _post(bot, bot_token(signing_key, "published", APP_ID, bot.service_url)) == 200
    for n in range(5):
        assert await _post(bot, bot_token(signing_key, f"made-up-{n}", APP_ID, bot.service_url)) == 401
    assert openid.key_fetches == 1


async def test_a_token_from_a_stranger_never_makes_the_bot_fetch_keys(secured, openid, signing_key):
    bot = secured
    token = bot_token(signing_key, "published", APP_ID, bot.service_url, iss="https://evil.example")
    assert await _post(bot, token) == 401
    assert openid.metadata_fetches == 0


async def test_a_failed_fetch_answers_503_and_is_not_retried_at_once(secured, openid, signing_key):
    bot = secured
    openid.mode = "fail"
    token = bot_token(signing_key, "published", APP_ID, bot.service_url)
    assert await _post(bot, token) == 503
    assert await _post(bot, token) == 503
    assert openid.metadata_fetches == 1
    assert bot.connector.requests == []


# --- SigningKeys and BotConnectorTokens on their own (time is a fake monotonic clock) ---------------------

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _activity(service_url: str = "https://smba.example/") -> Activity:
    return Activity(type="message", channel_id="msteams", service_url=service_url)


async def test_a_new_key_is_found_after_the_refresh_interval(openid, signing_key):
    clock = Clock()
    keys = SigningKeys(openid.metadata_url, refresh_interval=300, monotonic=clock)
    try:
        assert await keys.get("published") is not None
        later = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        openid.publish("rotated", later)
        assert await keys.get("rotated") is None  # within the interval: not fetched again
        clock.now += 301
        assert await keys.get("rotated") is not None
        assert openid.key_fetches == 2
    finally:
        await keys.close()


async def test_cached_keys_keep_working_when_a_later_refresh_fails(openid):
    clock = Clock()
    keys = SigningKeys(openid.metadata_url, max_age=3600, monotonic=clock)
    try:
        assert await keys.get("published") is not None
        openid.mode = "fail"
        clock.now += 3601
        assert await keys.get("published") is not None  # answered at once; the refresh runs behind it
        await asyncio.sleep(0.2)
        assert openid.metadata_fetches == 2
        assert await keys.get("published") is not None
        with pytest.raises(KeysUnavailable):
            await keys.get("unknown")
    finally:
        await keys.close()


async def test_a_known_key_is_answered_at_once_while_the_daily_refresh_stalls(openid):
    clock = Clock()
    keys = SigningKeys(openid.metadata_url, max_age=3600, timeout=30, monotonic=clock)
    try:
        assert await keys.get("published") is not None
        openid.mode = "hang"
        clock.now += 3601
        assert await asyncio.wait_for(keys.get("published"), timeout=1) is not None
        assert await asyncio.wait_for(keys.get("published"), timeout=1) is not None
    finally:
        await keys.close()


async def test_a_failed_fetch_is_retried_after_the_pause(openid):
    clock = Clock()
    keys = SigningKeys(openid.metadata_url, retry_after=30, monotonic=clock)
    try:
        openid.mode = "fail"
        with pytest.raises(KeysUnavailable):
            await keys.get("published")
        openid.mode = "ok"
        with pytest.raises(KeysUnavailable):
            await keys.get("published")
        clock.now += 31
        assert await keys.get("published") is not None
        assert openid.metadata_fetches == 2
    finally:
        await keys.close()


async def test_a_stalled_fetch_gives_up_after_its_timeout(openid):
    openid.mode = "hang"
    keys = SigningKeys(openid.metadata_url, timeout=0.2)
    try:
        with pytest.raises(KeysUnavailable):
            await keys.get("published")
    finally:
        await keys.close()


async def test_checks_beyond_the_bound_are_refused_at_once_while_others_wait(openid, signing_key):
    openid.mode = "hang"
    tokens = BotConnectorTokens(APP_ID, SigningKeys(openid.metadata_url, timeout=30), max_concurrent=2, wait=30)
    token = bot_token(signing_key, "published", APP_ID, "https://smba.example/")
    waiting = [asyncio.create_task(tokens.identity(token, _activity())) for _ in range(2)]
    await asyncio.sleep(0.1)
    with pytest.raises(Overloaded):
        await tokens.identity(token, _activity())
    await tokens.close()  # what shutdown does: the waiting checks end now
    for task in waiting:
        with pytest.raises(KeysUnavailable):
            await task
    assert openid.metadata_fetches == 1  # the waiters shared one fetch


async def test_a_valid_token_yields_the_bot_connector_claims(openid, signing_key):
    tokens = BotConnectorTokens(APP_ID, SigningKeys(openid.metadata_url))
    try:
        identity = await tokens.identity(bot_token(signing_key, "published", APP_ID, "https://smba.example/"),
                                         _activity())
        assert identity.is_authenticated
        assert identity.get_claim_value("aud") == APP_ID
        with pytest.raises(PermissionError):
            await tokens.identity(bot_token(signing_key, "published", APP_ID, "https://smba.example/"),
                                  _activity("https://elsewhere.example/"))
    finally:
        await tokens.close()
