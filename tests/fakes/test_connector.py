"""Self-tests for the fake Bot Connector, including against the real botframework-connector client."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import aiohttp
import pytest
from botbuilder.schema import Activity, ConversationParameters, ErrorResponseException
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from msrest.exceptions import ClientRequestError
from yarl import URL

from tools.connector import FakeConnector, RateLimits

CHANNEL = "19:abc@thread.tacv2"
THREAD = "19:abc@thread.tacv2;messageid=123"
TEAM = "19:team@thread.tacv2"


def _member(i: int) -> dict:
    return {"id": f"29:user{i}", "name": f"User {i}", "aadObjectId": f"aad-{i}", "userPrincipalName": f"u{i}@x.no",
            "email": f"u{i}@x.no", "tenantId": "tenant-1", "userRole": "user"}


def _url(fc: FakeConnector, *segments: str) -> URL:
    """Build a URL with each segment percent-encoded the way the SDK encodes path parameters."""
    return URL(fc.url + "/".join(quote(s, safe="") for s in segments), encoded=True)


def _anonymous_client(fc: FakeConnector) -> ConnectorClient:
    # Empty app id/password = anonymous: AppCredentials.signed_session() then drops the Authorization header.
    return ConnectorClient(MicrosoftAppCredentials("", ""), base_url=fc.url)


@pytest.mark.asyncio
async def test_send_reply_update_delete():
    async with FakeConnector() as fc, aiohttp.ClientSession() as http:
        assert fc.url.startswith("http://127.0.0.1:") and fc.url.endswith("/")
        auth = {"Authorization": "Bearer t"}
        r1 = await http.post(_url(fc, "v3", "conversations", CHANNEL, "activities"), json={"text": "a"}, headers=auth)
        r2 = await http.post(_url(fc, "v3", "conversations", CHANNEL, "activities", "bot-act-1"), json={"text": "b"})
        assert (r1.status, await r1.json()) == (201, {"id": "bot-act-1"})
        assert (r2.status, await r2.json()) == (201, {"id": "bot-act-2"})
        r3 = await http.put(_url(fc, "v3", "conversations", CHANNEL, "activities", "bot-act-1"), json={"text": "a2"})
        assert (r3.status, await r3.json()) == (200, {"id": "bot-act-1"})
        r4 = await http.delete(_url(fc, "v3", "conversations", CHANNEL, "activities", "bot-act-2"))
        assert r4.status == 200
        assert fc.sent(CHANNEL) == [{"text": "a"}, {"text": "b"}] and fc.sent("other") == []
        assert fc.updates() == [{"text": "a2"}]
        assert [r.kind for r in fc.requests] == ["send", "reply", "update", "delete"]
        assert fc.requests[0].headers["Authorization"] == "Bearer t"
        assert "Authorization" not in fc.requests[1].headers
        assert fc.requests[1].activity_id == "bot-act-1"


@pytest.mark.asyncio
async def test_paged_roster_three_pages_and_member_lookup():
    async with FakeConnector() as fc, aiohttp.ClientSession() as http:
        for i in range(5):
            fc.add_member(TEAM, _member(i))
        pages, token = [], None
        while True:
            query = {"pageSize": "2", **({"continuationToken": token} if token else {})}
            async with http.get(_url(fc, "v3", "conversations", TEAM, "pagedmembers"), params=query) as resp:
                page = await resp.json()
            pages.append([m["id"] for m in page["members"]])
            token = page.get("continuationToken")
            if not token:
                break
        assert pages == [["29:user0", "29:user1"], ["29:user2", "29:user3"], ["29:user4"]]
        async with http.get(_url(fc, "v3", "conversations", TEAM, "members")) as resp:
            assert len(await resp.json()) == 5
        async with http.get(_url(fc, "v3", "conversations", TEAM, "members", "aad-3")) as resp:
            assert (await resp.json())["id"] == "29:user3"
        async with http.get(_url(fc, "v3", "conversations", TEAM, "members", "29:nobody")) as resp:
            assert resp.status == 404


@pytest.mark.asyncio
async def test_create_conversation_one_to_one_is_stable_and_channel_thread_is_sent():
    async with FakeConnector() as fc, aiohttp.ClientSession() as http:
        one = {"isGroup": False, "bot": {"id": "28:bot"}, "members": [{"id": "29:user1"}], "tenantId": "t",
               "channelData": {"tenant": {"id": "t"}}}
        ids = []
        for _ in range(2):
            async with http.post(_url(fc, "v3", "conversations"), json=one) as resp:
                assert resp.status == 201
                ids.append((await resp.json())["id"])
        assert ids == ["a:1:1-29:user1"] * 2
        thread = {"isGroup": True, "channelData": {"channel": {"id": CHANNEL}}, "tenantId": "t",
                  "activity": {"type": "message", "text": "ny tråd"}}
        async with http.post(_url(fc, "v3", "conversations"), json=thread) as resp:
            created = await resp.json()
        assert created == {"id": f"{CHANNEL};messageid=bot-act-1", "activityId": "bot-act-1"}
        assert fc.sent(created["id"]) == [{"type": "message", "text": "ny tråd"}]


@pytest.mark.asyncio
async def test_fail_next_429_then_success_and_403_default_body():
    async with FakeConnector() as fc, aiohttp.ClientSession() as http:
        url = _url(fc, "v3", "conversations", CHANNEL, "activities")
        fc.fail_next(1, 429, retry_after=2)
        async with http.post(url, json={"text": "x"}) as resp:
            assert resp.status == 429 and resp.headers["Retry-After"] == "2"
        async with http.post(url, json={"text": "y"}) as resp:
            assert resp.status == 201
        fc.fail_next(1, 403, conversation_id="other")
        async with http.post(url, json={"text": "z"}) as resp:
            assert resp.status == 201  # failure is scoped to "other"
        async with http.post(_url(fc, "v3", "conversations", "other", "activities"), json={}) as resp:
            body = await resp.json()
            assert resp.status == 403 and body["error"]["code"] == "ConversationBlockedByUser"
        assert fc.sent(CHANNEL) == [{"text": "y"}, {"text": "z"}]


@pytest.mark.asyncio
async def test_rate_limits_per_conversation_and_app():
    async with FakeConnector(limits=RateLimits()) as fc, aiohttp.ClientSession() as http:
        url = _url(fc, "v3", "conversations", CHANNEL, "activities")
        statuses = []
        for i in range(8):
            async with http.post(url, json={"n": i}) as resp:
                statuses.append(resp.status)
                if resp.status == 429:
                    assert int(resp.headers["Retry-After"]) >= 1
        assert 429 in statuses and fc.throttled > 0
        assert len(fc.sent(CHANNEL)) == statuses.count(201) and len(fc.requests) == 8
        assert sum(r.throttled for r in fc.requests) == fc.throttled
    async with FakeConnector(limits=RateLimits(per_app_per_second=3)) as fc, aiohttp.ClientSession() as http:
        statuses = []
        for i in range(4):
            async with http.post(_url(fc, "v3", "conversations", f"c{i}", "activities"), json={}) as resp:
                statuses.append(resp.status)
        assert statuses == [201, 201, 201, 429]
    limits = RateLimits(per_conversation_per_second=100, per_conversation_per_30s=3)
    async with FakeConnector(limits=limits) as fc, aiohttp.ClientSession() as http:
        for _ in range(4):
            async with http.post(_url(fc, "v3", "conversations", CHANNEL, "activities"), json={}) as resp:
                pass
        assert resp.status == 429 and resp.headers["Retry-After"] in ("29", "30")


@pytest.mark.asyncio
async def test_encoded_conversation_id_is_decoded_and_unknown_paths_answer_501():
    async with FakeConnector() as fc, aiohttp.ClientSession() as http:
        raw = URL(fc.url + "v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D123/activities", encoded=True)
        async with http.post(raw, json={"text": "x"}) as resp:
            assert resp.status == 201
        assert fc.requests[-1].conversation_id == THREAD
        assert fc.sent(THREAD) == [{"text": "x"}]
        async with http.get(_url(fc, "v3", "attachments", "x")) as resp:
            assert resp.status == 501 and "error" in await resp.json()
        assert fc.requests[-1].kind == "unsupported"


@pytest.mark.asyncio
async def test_wait_for_wakes_on_request_and_times_out_with_summary():
    async with FakeConnector() as fc, aiohttp.ClientSession() as http:
        waiter = asyncio.create_task(fc.wait_for(lambda r: r.kind == "send", timeout=2))
        await asyncio.sleep(0)
        await http.post(_url(fc, "v3", "conversations", "c1", "activities"), json={"text": "x"})
        assert (await waiter).body == {"text": "x"}
        with pytest.raises(AssertionError, match="no matching request"):
            await fc.wait_for(lambda r: r.kind == "update", timeout=0.05)


@pytest.mark.asyncio
async def test_real_connector_client_send_and_paged_members():
    async with FakeConnector() as fc, _anonymous_client(fc) as client:
        for i in range(3):
            fc.add_member(TEAM, _member(i))
        res = await client.conversations.send_to_conversation(THREAD, Activity(type="message", text="hei"))
        assert res.id == "bot-act-1"
        page = await client.conversations.get_conversation_paged_members(TEAM, page_size=2)
        assert [m.id for m in page.members] == ["29:user0", "29:user1"] and page.continuation_token
        page2 = await client.conversations.get_conversation_paged_members(
            TEAM, page_size=2, continuation_token=page.continuation_token)
        assert [m.id for m in page2.members] == ["29:user2"] and page2.continuation_token is None
        params = ConversationParameters(is_group=False, members=[{"id": "29:user1"}], tenant_id="t")
        conv = await client.conversations.create_conversation(params)
        assert conv.id == "a:1:1-29:user1"
        send = fc.requests[0]
        assert (send.kind, send.conversation_id, send.body["text"]) == ("send", THREAD, "hei")
        assert "Authorization" not in send.headers  # anonymous credentials
        assert fc.requests[1].query == {"pageSize": "2"}


@pytest.mark.asyncio
async def test_real_connector_client_error_shapes():
    """Documents what the retry logic will see; see the module docstring of connector.py."""
    async with FakeConnector() as fc, _anonymous_client(fc) as client:
        conv, msg = client.conversations, Activity(type="message", text="x")
        fc.fail_next(1, 429, retry_after=2)
        with pytest.raises(ErrorResponseException) as err:
            await conv.send_to_conversation("c1", msg)
        assert err.value.response.status_code == 429 and err.value.response.headers["Retry-After"] == "2"
        fc.fail_next(1, 403)
        with pytest.raises(ErrorResponseException) as err:
            await conv.send_to_conversation("c1", msg)
        assert err.value.response.status_code == 403
        assert err.value.error.error.code == "ConversationBlockedByUser"
        fc.fail_next(1, 503)
        with pytest.raises(ErrorResponseException) as err:
            await conv.reply_to_activity("c1", "a1", msg)
        assert err.value.response.status_code == 503
        assert [r.status for r in fc.requests] == [429, 403, 503]  # POST is never retried by the SDK

        fc.requests.clear()
        fc.fail_next(1, 429, retry_after=1)  # PUT: the SDK sleeps Retry-After and retries silently
        assert (await conv.update_activity("c1", "a1", msg)).id == "a1"
        assert [r.status for r in fc.requests] == [429, 200]

        fc.requests.clear()
        client.config.retry_policy.policy.backoff_factor = 0  # keep the test fast
        fc.fail_next(9, 503)
        with pytest.raises(ClientRequestError):  # PUT 5xx: 1 + 3 retries, then no status code at all
            await conv.update_activity("c1", "a1", msg)
        assert [r.status for r in fc.requests] == [503] * 4

    async with FakeConnector() as fc, _anonymous_client(fc) as client:
        rp = client.config.retry_policy
        rp.retries = 0
        rp.policy.status_forcelist = set()
        fc.fail_next(1, 503, retry_after=1)
        with pytest.raises(ErrorResponseException) as err:
            await client.conversations.update_activity("c1", "a1", Activity(type="message"))
        assert err.value.response.status_code == 503 and err.value.response.headers["retry-after"] == "1"
        assert len(fc.requests) == 1
