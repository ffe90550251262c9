"""The HTTP edge of POST /api/messages: invokes, malformed input, tokens and tenants, all over real HTTP."""
from __future__ import annotations

import json
import time

import aiohttp
import jwt
import pytest
from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.adapter import bot_configuration
from bot.auth import BotConnectorTokens, SigningKeys
from bot.routes import messages_route
from tests.e2e.harness import running_bot
from tests.e2e.teams import EMMA, KARI, TENANT, card_of, execute, message, personal_conversation, sent_card, texts_in
from tests.fakes.openid import FakeOpenId

APP_ID = "3f0c2a9e-6b1d-4c55-9e27-8d4b1a7c0f13"
OTHER_TENANT = "other-tenant"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"
QUICK = 3.0  # seconds: a refusal must never wait on the internet
# Long enough that PyJWT raises no InsecureKeyLengthWarning (warnings are errors in this suite).
HMAC_SECRET = "some-secret-that-nobody-at-microsoft-ever-saw"

def _no_outbound(bot) -> None:
    """The request was refused before the bot did anything: no call to the connector at all."""
    assert bot.connector.requests == [], [(r.method, r.path) for r in bot.connector.requests]


def _in_tenant(activity: dict, tenant: str | None) -> dict:
    """The same activity as if it came from another tenant (Teams puts it in two places)."""
    activity = json.loads(json.dumps(activity))
    activity["conversation"].pop("tenantId", None)
    activity["channelData"].pop("tenant", None)
    if tenant is not None:
        activity["conversation"]["tenantId"] = tenant
        activity["channelData"]["tenant"] = {"id": tenant}
    return activity


# --- 1. Action.Execute invokes ---------------------------------------------------------------------------

async def test_the_help_button_answers_http_200_with_the_universal_actions_card_body(bot):
    async with bot._session.post(f"{bot.url}/api/messages", json=execute(bot.service_url, EMMA, "help.show")) as r:
        assert r.status == 200
        assert r.content_type == "application/json"
        body = await r.json()
    assert set(body) == {"statusCode", "type", "value"}
    assert body["statusCode"] == 200 and body["type"] == ADAPTIVE
    assert body["value"]["type"] == "AdaptiveCard"
    assert "Dette kan du gjøre" in texts_in(body["value"])
    assert bot.connector.sent() == []  # the card travels in the HTTP answer, not as a new message


async def test_botbuilders_own_cloud_adapter_process_answers_500_for_the_same_invoke(bot):
    """Why bot/routes.py exists: 4.17.1's CloudAdapter.process cannot serialize the invoke answer."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(bot_configuration(bot.settings)))
    handler = bot.container.handler

    async def sdk_route(request: web.Request) -> web.Response:
        return await adapter.process(request, handler)

    app = web.Application()
    app.router.add_post("/api/messages", sdk_route)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = runner.addresses[0][1]
        async with bot._session.post(f"http://127.0.0.1:{port}/api/messages",
                                     json=execute(bot.service_url, EMMA, "help.show")) as response:
            sdk_status = response.status
    finally:
        await runner.cleanup()
    assert sdk_status == 500
    status, body = await bot.post(execute(bot.service_url, EMMA, "help.show"))
    assert status == 200 and "Dette kan du gjøre" in texts_in(card_of(body))


async def test_an_unknown_verb_answers_200_with_a_card_saying_the_button_is_out_of_date(bot):
    status, body = await bot.post(execute(bot.service_url, EMMA, "no.such.verb", {"x": 1}))
    assert status == 200
    text = texts_in(card_of(body))
    assert "Denne knappen er utdatert" in text
    assert bot.connector.sent() == []


async def test_an_unknown_verb_answers_in_english_for_an_english_client(bot):
    status, body = await bot.post(execute(bot.service_url, EMMA, "no.such.verb", locale="en-US"))
    assert status == 200
    assert "This button is out of date" in texts_in(card_of(body))


def _without_value(a: dict) -> dict:
    a.pop("value")
    return a


def _with_value(value):
    def mutate(a: dict) -> dict:
        a["value"] = value
        return a
    return mutate


@pytest.mark.parametrize("mutate", [
    pytest.param(_without_value, id="value-missing"),
    pytest.param(_with_value({"trigger": "manual"}), id="value-without-action"),
    pytest.param(_with_value({"action": {"type": "Action.Submit", "verb": "help.show"}}), id="not-action-execute"),
    pytest.param(_with_value(["help.show"]), id="value-is-a-list"),
])
async def test_a_malformed_action_execute_invoke_answers_400_not_500(bot, mutate):
    status, body = await bot.post(mutate(execute(bot.service_url, EMMA, "help.show")))
    assert 400 <= status < 500, status
    assert body is not None and body.get("type") == "application/vnd.microsoft.error", body


async def test_with_expect_replies_the_invoke_answer_comes_back_buffered(bot):
    activity = execute(bot.service_url, EMMA, "help.show")
    activity["deliveryMode"] = "expectReplies"
    status, body = await bot.post(activity)
    assert status == 200
    [answer] = [a for a in body["activities"] if a["type"] == "invokeResponse"]
    assert answer["value"]["status"] == 200
    assert "Dette kan du gjøre" in texts_in(card_of(answer["value"]["body"]))


async def test_a_malformed_action_execute_with_expect_replies_is_not_answered_with_a_5xx(bot):
    activity = _without_value(execute(bot.service_url, EMMA, "help.show"))
    activity["deliveryMode"] = "expectReplies"
    status, body = await bot.post(activity)
    assert status < 500, status
    [answer] = [a for a in body["activities"] if a["type"] == "invokeResponse"]
    assert answer["value"]["status"] == 400


async def test_an_action_execute_whose_action_is_not_an_object_is_not_answered_with_a_5xx(bot):
    """The SDK calls action.get(...) on a list; a 400 or a 200 error card are both fine, 501 is not."""
    activity = execute(bot.service_url, EMMA, "help.show")
    activity["value"]["action"] = ["Action.Execute", "help.show"]
    status, body = await bot.post(activity)
    assert status < 500, status
    if status == 200:
        assert "Det gikk ikke" in texts_in(card_of(body))


async def test_an_action_execute_whose_turn_fails_still_answers_with_an_error_card(bot, monkeypatch):
    async def database_down(person):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(bot.container.members, "resolve_actor", database_down)
    status, body = await bot.post(execute(bot.service_url, EMMA, "help.show"))
    assert status == 200, status
    assert "Det gikk ikke" in texts_in(card_of(body))


async def test_a_message_whose_turn_fails_tells_the_user_with_a_reference(bot, monkeypatch):
    """The contrast to the invoke above: for messages the error handler does answer the user."""
    async def database_down(person):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(bot.container.members, "resolve_actor", database_down)
    status, _ = await bot.post(message(bot.service_url, EMMA, "hjelp"))
    assert status == 201
    [reply] = bot.connector.sent(personal_conversation(EMMA)["id"])
    assert reply.get("text") and not reply.get("attachments")


async def test_an_invoke_nobody_handles_answers_501_as_the_bot_framework_expects(bot):
    activity = execute(bot.service_url, EMMA, "help.show")
    activity["name"] = "composeExtension/query"
    status, _ = await bot.post(activity)
    assert status == 501
    assert bot.connector.sent() == []


# --- 2. Input that is not an activity ----------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    pytest.param(b"{not json", id="malformed"),
    pytest.param(b'{"type": "message", ', id="truncated"),
    pytest.param(b"", id="empty"),
    pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
    pytest.param(b"[]", id="array"),
    pytest.param(b'[{"type": "message"}]', id="array-of-activity"),
    pytest.param(b'"hjelp"', id="string"),
    pytest.param(b"42", id="number"),
    pytest.param(b"null", id="null"),
    pytest.param(b"true", id="bool"),
    pytest.param(b"{}", id="empty-object"),
    pytest.param(b'{"type": "message", "text": "hjelp"}', id="no-serviceUrl-no-conversation"),
    pytest.param(b'{"type": "message", "conversation": {"id": "c"}, "recipient": {"id": "b"}}', id="no-serviceUrl"),
    pytest.param(b'{"type": "message", "serviceUrl": "http://127.0.0.1:9/", "recipient": {"id": "b"}}',
                 id="no-conversation"),
])
async def test_a_body_that_is_not_an_activity_object_answers_400(bot, raw):
    assert await bot.post_raw(raw) == 400
    _no_outbound(bot)
    assert await bot.container.members.members() == []


async def test_moderately_nested_json_is_parsed_and_refused_as_not_an_activity(bot):
    assert await bot.post_raw(b"[" * 200 + b"]" * 200) == 400


@pytest.mark.parametrize("raw", [
    pytest.param(b"[" * 100_000, id="deep-array"),
    pytest.param(b'{"a":' * 50_000, id="deep-object"),
])
async def test_deeply_nested_json_answers_400_not_500(bot, raw):
    assert len(raw) < 256 * 1024  # under the size limit: only the nesting is hostile
    assert await bot.post_raw(raw) == 400


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
    "application/xml", "application/octet-stream", "text/json",
])
async def test_a_valid_activity_with_the_wrong_content_type_answers_400(bot, content_type):
    raw = json.dumps(message(bot.service_url, EMMA, "hjelp")).encode()
    assert await bot.post_raw(raw, content_type=content_type) == 400
    _no_outbound(bot)


async def test_form_data_answers_400(bot):
    form = aiohttp.FormData({"type": "message", "text": "hjelp", "serviceUrl": bot.service_url})
    async with bot._session.post(f"{bot.url}/api/messages", data=form) as response:
        assert response.status == 400
    _no_outbound(bot)


async def test_json_with_a_charset_parameter_is_accepted(bot):
    raw = json.dumps(message(bot.service_url, EMMA, "hjelp")).encode()
    assert await bot.post_raw(raw, content_type="application/json; charset=utf-8") == 201
    assert "Dette kan du gjøre" in texts_in(sent_card(bot.connector.sent()[0]))


def _oversized(bot) -> bytes:
    raw = json.dumps(message(bot.service_url, EMMA, "x" * (300 * 1024))).encode()
    assert len(raw) > 256 * 1024
    return raw


async def test_an_oversized_body_with_a_content_length_is_refused_without_a_500(bot):
    assert await bot.post_raw(_oversized(bot)) in (400, 413)
    _no_outbound(bot)


async def test_an_oversized_chunked_body_without_a_content_length_is_refused_without_a_500(bot):
    raw = _oversized(bot)

    async def chunks():
        for start in range(0, len(raw), 16 * 1024):
            yield raw[start:start + 16 * 1024]

    async with bot._session.post(f"{bot.url}/api/messages", data=chunks(),
                                 headers={"Content-Type": "application/json"}) as response:
        assert response.status in (400, 413)
    _no_outbound(bot)


async def test_a_large_body_just_under_the_limit_is_processed(bot):
    activity = message(bot.service_url, EMMA, "y" * (200 * 1024))
    status, _ = await bot.post(activity)
    assert status == 201
    [reply] = bot.connector.sent(personal_conversation(EMMA)["id"])
    assert "hjelp" in reply["text"]  # the friendly fallback for unknown text


def _set(path: str, value):
    def mutate(a: dict) -> dict:
        *parents, last = path.split(".")
        node = a
        for key in parents:
            node = node[key]
        node[last] = value
        return a
    return mutate


def _drop(key: str):
    def mutate(a: dict) -> dict:
        a.pop(key)
        return a
    return mutate


@pytest.mark.parametrize("mutate", [
    pytest.param(_set("serviceUrl", "ftp://127.0.0.1/"), id="serviceUrl-ftp"),
    pytest.param(_set("serviceUrl", "javascript:alert(1)"), id="serviceUrl-javascript"),
    pytest.param(_set("serviceUrl", "file:///etc/passwd"), id="serviceUrl-file"),
    pytest.param(_set("serviceUrl", "127.0.0.1:3978"), id="serviceUrl-no-scheme"),
    pytest.param(_set("serviceUrl", ""), id="serviceUrl-empty"),
    pytest.param(_set("serviceUrl", 42), id="serviceUrl-number"),
    pytest.param(_set("serviceUrl", ["http://127.0.0.1/"]), id="serviceUrl-list"),
    pytest.param(_set("conversation", "a:1:1-29:emma"), id="conversation-string"),
    pytest.param(_set("conversation", ["a:1:1-29:emma"]), id="conversation-list"),
    pytest.param(_set("conversation", {"conversationType": "personal"}), id="conversation-without-id"),
    pytest.param(_set("conversation.id", 17), id="conversation-id-number"),
    pytest.param(_set("from", [{"id": "29:emma"}]), id="from-list"),
    pytest.param(_set("from", "29:emma"), id="from-string"),
    pytest.param(_set("recipient", "28:radsbot"), id="recipient-string"),
    pytest.param(_drop("recipient"), id="recipient-missing"),
    pytest.param(_set("channelData", ["tenant"]), id="channelData-list"),
    pytest.param(_set("value", "verb=help.show"), id="value-string"),
    pytest.param(_set("type", 5), id="type-number"),
    pytest.param(_set("type", ""), id="type-empty"),
    pytest.param(_set("timestamp", "yesterday"), id="timestamp-garbage"),
    pytest.param(_set("entities", "mention"), id="entities-string"),
    pytest.param(_set("entities", [1, 2]), id="entities-numbers"),
])
async def test_an_activity_with_a_field_of_the_wrong_shape_answers_400(bot, mutate):
    status, body = await bot.post(mutate(message(bot.service_url, EMMA, "hjelp")))
    assert status == 400
    assert body and "error" in body
    _no_outbound(bot)
    assert await bot.container.members.members() == []


async def test_other_http_methods_are_not_allowed(bot):
    async with bot._session.get(f"{bot.url}/api/messages") as response:
        assert response.status == 405
    async with bot._session.put(f"{bot.url}/api/messages", json={}) as response:
        assert response.status == 405


# --- 3. Tokens, when an app id is configured --------------------------------------------------------------

@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
async def secured_bot(database_url, rsa_key):
    """An app id set; the Bot Connector's published keys (a local fake) hold our key as kid "trusted".

    This separates "the signature is wrong" from "the keys could not be fetched" (which answers 503)."""
    keys = await FakeOpenId().start()
    keys.publish("trusted", rsa_key)
    async with running_bot(database_url, app_id=APP_ID, app_password="secret", app_tenant_id=TENANT,
                           openid_metadata_url=keys.metadata_url) as harness:
        assert not harness.settings.anonymous
        yield harness
    await keys.stop()


def _claims(service_url: str, **overrides) -> dict:
    now = int(time.time())
    return {"iss": "https://api.botframework.com", "aud": APP_ID, "nbf": now - 60, "exp": now + 3600,
            "serviceurl": service_url, **overrides}


def _forged_tokens(service_url: str, key) -> dict[str, str | None]:
    claims = _claims(service_url)
    return {
        "missing": None,
        "empty": "",
        "bearer-not-a-jwt": "Bearer not-a-jwt",
        "basic": "Basic xyz",
        "bearer-without-token": "Bearer",
        "bearer-three-parts": "Bearer a b",
        "lowercase-scheme": "bearer " + jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"}),
        "hs256-forged": "Bearer " + jwt.encode(claims, HMAC_SECRET, algorithm="HS256"),
        "rs256-forged-with-kid": "Bearer " + jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"}),
        "rs256-forged-without-kid": "Bearer " + jwt.encode(claims, key, algorithm="RS256"),
        "alg-none": "Bearer " + jwt.encode(claims, None, algorithm="none"),
        "unknown-issuer": "Bearer " + jwt.encode({**claims, "iss": "https://evil.example"}, key, algorithm="RS256"),
        "emulator-issuer": "Bearer " + jwt.encode(
            {**claims, "iss": "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", "ver": "1.0",
             "appid": APP_ID}, key, algorithm="RS256"),
    }


FORGED = ["missing", "empty", "bearer-not-a-jwt", "basic", "bearer-without-token", "bearer-three-parts",
          "lowercase-scheme", "hs256-forged", "rs256-forged-with-kid", "rs256-forged-without-kid", "alg-none",
          "unknown-issuer", "emulator-issuer"]


def test_every_forged_token_kind_is_exercised():
    assert list(_forged_tokens("http://127.0.0.1/", rsa.generate_private_key(public_exponent=65537,
                                                                             key_size=2048))) == FORGED


async def _timed_post(bot, activity: dict, authorization: str | None) -> tuple[int, dict | None, float]:
    headers = None if authorization is None else {"Authorization": authorization}
    started = time.monotonic()
    status, body = await bot.post(activity, headers=headers)
    return status, body, time.monotonic() - started


@pytest.mark.parametrize("kind", ["message", "invoke"])
@pytest.mark.parametrize("token", FORGED)
async def test_a_missing_or_forged_token_answers_401_quickly_and_does_nothing(secured_bot, rsa_key, token, kind):
    bot = secured_bot
    authorization = _forged_tokens(bot.service_url, rsa_key)[token]
    activity = (message(bot.service_url, KARI, "hjelp") if kind == "message"
                else execute(bot.service_url, KARI, "help.show"))
    status, body, took = await _timed_post(bot, activity, authorization)
    assert status == 401, (status, body)
    assert took < QUICK, f"refusing {token} took {took:.1f}s"
    assert body == {"error": body["error"]} and "card" not in json.dumps(body).lower()
    _no_outbound(bot)
    assert await bot.container.members.members() == []


@pytest.fixture
def trusted_key(rsa_key):
    """The key the fake publishes as "trusted" (see secured_bot)."""
    return rsa_key


def _signed(key, claims: dict) -> str:
    return "Bearer " + jwt.encode(claims, key, algorithm="RS256", headers={"kid": "trusted"})


async def test_a_correctly_signed_token_is_accepted_so_the_401s_are_about_the_tokens(secured_bot, trusted_key):
    bot = secured_bot
    status, body, took = await _timed_post(bot, execute(bot.service_url, KARI, "help.show"),
                                           _signed(trusted_key, _claims(bot.service_url)))
    assert status == 200 and took < QUICK
    assert "Dette kan du gjøre" in texts_in(card_of(body))


@pytest.mark.parametrize("claims", [
    pytest.param({"aud": "9d7e0000-0000-4000-8000-000000000000"}, id="another-bots-app-id"),
    pytest.param({"serviceurl": "https://smba.trafficmanager.net/emea/"}, id="token-for-another-serviceUrl"),
    pytest.param({"exp": int(time.time()) - 3600, "nbf": int(time.time()) - 7200}, id="expired"),
    pytest.param({"iss": "https://evil.example"}, id="foreign-issuer"),
])
async def test_a_signed_token_with_the_wrong_claims_answers_401(secured_bot, trusted_key, claims):
    bot = secured_bot
    token = _signed(trusted_key, {**_claims(bot.service_url), **claims})
    status, body, took = await _timed_post(bot, execute(bot.service_url, KARI, "help.show"), token)
    assert status == 401, body
    assert took < QUICK
    _no_outbound(bot)


async def test_a_token_signed_by_an_unknown_key_answers_401(secured_bot, trusted_key):
    bot = secured_bot
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    status, _, _ = await _timed_post(bot, execute(bot.service_url, KARI, "help.show"),
                                     _signed(stranger, _claims(bot.service_url)))
    assert status == 401
    _no_outbound(bot)


async def test_a_valid_token_from_a_foreign_tenant_answers_403(secured_bot, trusted_key):
    """A SingleTenant bot accepts its own tenant only, even with a good token."""
    bot = secured_bot
    activity = _in_tenant(execute(bot.service_url, KARI, "help.show"), OTHER_TENANT)
    status, _, _ = await _timed_post(bot, activity, _signed(trusted_key, _claims(bot.service_url)))
    assert status == 403
    _no_outbound(bot)


# --- 4. Tenant allow-list -----------------------------------------------------------------------------------

@pytest.fixture
async def fenced_bot(database_url):
    async with running_bot(database_url, allowed_tenant_ids=frozenset({OTHER_TENANT})) as harness:
        yield harness


@pytest.mark.parametrize("tenant", [TENANT, None, ""], ids=["foreign-tenant", "no-tenant", "empty-tenant"])
async def test_a_message_from_a_tenant_not_on_the_allow_list_answers_403_and_sends_nothing(fenced_bot, tenant):
    bot = fenced_bot
    status, body = await bot.post(_in_tenant(message(bot.service_url, EMMA, "hjelp"), tenant))
    assert status == 403 and body == {"error": "tenant not allowed"}
    _no_outbound(bot)
    assert await bot.container.members.members() == []


async def test_an_invoke_from_a_tenant_not_on_the_allow_list_gets_no_card(fenced_bot):
    bot = fenced_bot
    status, body = await bot.post(execute(bot.service_url, EMMA, "help.show"))
    assert status == 403 and "value" not in (body or {})
    _no_outbound(bot)


async def test_a_message_from_the_allowed_tenant_is_answered(fenced_bot):
    bot = fenced_bot
    status, _ = await bot.post(_in_tenant(message(bot.service_url, EMMA, "hjelp"), OTHER_TENANT))
    assert status == 201
    [reply] = bot.connector.sent(personal_conversation(EMMA)["id"])
    assert "Dette kan du gjøre" in texts_in(sent_card(reply))


async def test_the_allowed_tenant_may_come_only_in_the_conversation(fenced_bot):
    """Teams spells it conversation.tenantId; botbuilder's model reads only tenantID."""
    bot = fenced_bot
    activity = _in_tenant(message(bot.service_url, EMMA, "hjelp"), None)
    activity["conversation"]["tenantId"] = OTHER_TENANT
    status, _ = await bot.post(activity)
    assert status == 201


async def test_two_different_tenants_in_one_activity_answer_403(fenced_bot):
    bot = fenced_bot
    activity = _in_tenant(message(bot.service_url, EMMA, "hjelp"), OTHER_TENANT)
    activity["channelData"]["tenant"] = {"id": TENANT}
    status, _ = await bot.post(activity)
    assert status == 403
    _no_outbound(bot)


async def test_the_allowed_tenant_may_come_only_in_channel_data(fenced_bot):
    bot = fenced_bot
    activity = _in_tenant(message(bot.service_url, EMMA, "hjelp"), None)
    activity["channelData"]["tenant"] = {"id": OTHER_TENANT}
    status, _ = await bot.post(activity)
    assert status == 201


async def test_anonymous_mode_says_once_at_start_that_tenants_are_not_authenticated(database_url, caplog):
    caplog.set_level("WARNING", logger="bot.routes")
    async with running_bot(database_url) as harness:
        lines = [r.getMessage() for r in caplog.records if "not authenticated" in r.getMessage()]
        assert len(lines) == 1 and "anonymous local mode" in lines[0]
        await harness.post(message(harness.service_url, EMMA, "hjelp"))
        assert len([r for r in caplog.records if "not authenticated" in r.getMessage()]) == 1


def test_with_an_app_id_nothing_is_said_about_unauthenticated_tenants(caplog):
    caplog.set_level("WARNING", logger="bot.routes")
    messages_route(None, None, BotConnectorTokens(APP_ID, SigningKeys("http://127.0.0.1:9/")), frozenset())
    assert not caplog.records
    messages_route(None, None, None, frozenset())
    assert ["anonymous local mode" in r.getMessage() for r in caplog.records] == [True]
