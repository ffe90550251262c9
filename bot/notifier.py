"""The Notifier: proactive sends, card updates and new 1:1 chats through the Bot Connector.

Retries are ours (outbox), so the connector client's own retry policy is switched off: otherwise a 5xx
on an update surfaces as a ClientRequestError without a status, after sleeping in a worker thread.
"""
from __future__ import annotations

from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ErrorResponseException,
)
from msrest.exceptions import ClientRequestError

from council.conversations import ConversationKind, ConversationRef
from council.members import Member
from council.outbox import DeliveryError


def _client_without_retries(client) -> None:
    policy = getattr(getattr(client, "config", None), "retry_policy", None)
    if policy is not None:
        policy.retries = 0
        policy.policy.status_forcelist = set()


def _delivery_error(error: Exception) -> DeliveryError:
    if isinstance(error, ErrorResponseException) and error.response is not None:
        raw = error.response.headers.get("Retry-After")
        try:
            retry_after = float(raw) if raw is not None else None
        except ValueError:
            retry_after = None
        inner = getattr(getattr(error, "error", None), "error", None)
        return DeliveryError(error.response.status_code, retry_after, getattr(inner, "code", None))
    return DeliveryError(0, code=type(error).__name__)


class TeamsNotifier:
    """One connector client per service URL, kept for the app's life: building one per message costs
    milliseconds of CPU on the event loop and a new connection each time (measured in bench/fanout.py)."""

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id or None
        self._clients: dict[str, object] = {}

    async def _client(self, service_url: str):
        client = self._clients.get(service_url)
        if client is None:
            identity = self._adapter.create_claims_identity(self._app_id or "")
            factory = self._adapter.bot_framework_authentication.sdk.create_connector_factory(identity)
            client = await factory.create(service_url, None)
            _client_without_retries(client)
            self._clients[service_url] = client
        return client

    async def send(self, ref: ConversationRef, activity: dict) -> str | None:
        """A new message (in a channel: a new thread), never a reply to some earlier activity."""
        outgoing = Activity().deserialize(activity)
        outgoing.conversation = ConversationAccount(id=ref.conversation_id)
        outgoing.from_property = ChannelAccount(id=ref.bot_id)
        outgoing.channel_id, outgoing.service_url = "msteams", ref.service_url
        client = await self._client(ref.service_url)
        response = await _call(client.conversations.send_to_conversation(ref.conversation_id, outgoing))
        return response.id if response else None

    async def update(self, ref: ConversationRef, activity_id: str, activity: dict) -> None:
        replacement = Activity().deserialize(activity)
        replacement.id = activity_id
        replacement.conversation = ConversationAccount(id=ref.conversation_id)
        client = await self._client(ref.service_url)
        await _call(client.conversations.update_activity(ref.conversation_id, activity_id, replacement))

    async def open_personal(self, member: Member, via: ConversationRef) -> ConversationRef:
        """Create (or get back: Teams returns the same id) the 1:1 chat with a member."""
        tenant = member.tenant_id or via.tenant_id
        params = ConversationParameters(
            is_group=False, bot=ChannelAccount(id=via.bot_id), members=[ChannelAccount(id=member.teams_user_id)],
            tenant_id=tenant, channel_data={"tenant": {"id": tenant}})
        client = await self._client(via.service_url)
        created = await _call(client.conversations.create_conversation(params))
        return ConversationRef(conversation_id=created.id, kind=ConversationKind.PERSONAL,
                               service_url=via.service_url, tenant_id=tenant, bot_id=via.bot_id,
                               user_aad_id=member.aad_object_id)


async def _call(operation):
    try:
        return await operation
    except (ErrorResponseException, ClientRequestError, OSError) as error:
        raise _delivery_error(error) from error
