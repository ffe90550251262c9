"""The adapter keeps the clients botbuilder would build for every activity (bot/adapter.py)."""
from __future__ import annotations

from bot.adapter import MAX_CLIENTS, build_adapter
from bot.notifier import TeamsNotifier
from council.settings import Settings


def _auth():
    adapter = build_adapter(Settings())
    return adapter, adapter.bot_framework_authentication


async def test_turns_to_one_service_url_share_one_connector_client():
    adapter, auth = _auth()
    first = await auth.create_connector_factory(adapter.create_claims_identity("")).create("http://127.0.0.1:1/")
    again = await auth.create_connector_factory(adapter.create_claims_identity("")).create("http://127.0.0.1:1/")
    other = await auth.create_connector_factory(adapter.create_claims_identity("")).create("http://127.0.0.1:2/")
    assert first is again
    assert other is not first


async def test_another_app_id_or_audience_gets_its_own_client():
    adapter, auth = _auth()
    factory = auth.create_connector_factory(adapter.create_claims_identity(""))
    plain = await factory.create("http://127.0.0.1:1/")
    assert await factory.create("http://127.0.0.1:1/", "https://api.botframework.com") is not plain


async def test_the_user_token_client_is_built_once_per_app_id():
    adapter, auth = _auth()
    identity = adapter.create_claims_identity("")
    assert await auth.create_user_token_client(identity) is await auth.create_user_token_client(identity)


async def test_local_mode_clients_try_once_with_a_short_connect_timeout():
    adapter, auth = _auth()
    client = await auth.create_connector_factory(adapter.create_claims_identity("")).create("http://127.0.0.1:1/")
    assert client.config.retry_policy.retries == 0
    assert client.config.connection.timeout[0] <= 2


async def test_the_kept_clients_are_bounded():
    adapter, auth = _auth()
    factory = auth.create_connector_factory(adapter.create_claims_identity(""))
    oldest = await factory.create("http://127.0.0.1:1/0")
    for n in range(1, MAX_CLIENTS + 1):
        await factory.create(f"http://127.0.0.1:1/{n}")
    assert await factory.create("http://127.0.0.1:1/0") is not oldest


async def test_the_notifiers_clients_without_retries_are_not_the_turns_clients():
    adapter = build_adapter(Settings())
    notifier_client = await TeamsNotifier(adapter, "")._client("http://127.0.0.1:1/")
    turn_client = await adapter.bot_framework_authentication.create_connector_factory(
        adapter.create_claims_identity("")).create("http://127.0.0.1:1/")
    assert turn_client is not notifier_client
    assert notifier_client.config.retry_policy.policy.status_forcelist == set()
    assert turn_client.config.retry_policy.policy.status_forcelist
