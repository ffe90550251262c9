"""The Notifier: proactive sends, card updates and new 1:1 chats through the Bot Connector.

Retries are ours (outbox), so the connector client's own retry policy is switched off: otherwise a 5xx
on an update surfaces as a ClientRequestError without a status, after sleeping in a worker thread.
"""
from __future__ import annotations

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
)
from msrest.exceptions import ClientRequestError

from council.conversations import ConversationKind, ConversationRef
from council.members import Member
from council.outbox import DeliveryError


def to_reference(ref: ConversationRef) -> ConversationReference:
    return ConversationReference(
        channel_id="msteams", service_url=ref.service_url, bot=ChannelAccount(id=ref.bot_id),
        conversation=ConversationAccount(id=ref.conversation_id, tenant_id=ref.tenant_id,
                                         is_group=ref.kind is not ConversationKind.PERSONAL,
                                         conversation_type=ref.kind.value),
    )


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
    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id or None

    async def send(self, ref: ConversationRef, activity: dict) -> str | None:
        """A new message (in a channel: a new thread), never a reply to some earlier activity."""
        async def post(turn: TurnContext, client) -> str | None:
            outgoing = Activity().deserialize(activity)
            outgoing.conversation = ConversationAccount(id=ref.conversation_id)
            outgoing.from_property = ChannelAccount(id=ref.bot_id)
            outgoing.channel_id, outgoing.service_url = "msteams", ref.service_url
            response = await client.conversations.send_to_conversation(ref.conversation_id, outgoing)
            return response.id if response else None

        return await self._in_conversation(ref, post)

    async def update(self, ref: ConversationRef, activity_id: str, activity: dict) -> None:
        async def put(turn: TurnContext, client) -> None:
            replacement = Activity().deserialize(activity)
            replacement.id = activity_id
            replacement.conversation = ConversationAccount(id=ref.conversation_id)
            await client.conversations.update_activity(ref.conversation_id, activity_id, replacement)

        await self._in_conversation(ref, put)

    async def open_personal(self, member: Member, via: ConversationRef) -> ConversationRef:
        """Create (or get back: Teams returns the same id) the 1:1 chat with a member."""
        tenant = member.tenant_id or via.tenant_id
        params = ConversationParameters(
            is_group=False, bot=ChannelAccount(id=via.bot_id), members=[ChannelAccount(id=member.teams_user_id)],
            tenant_id=tenant, channel_data={"tenant": {"id": tenant}})
        created: dict = {}

        async def callback(turn: TurnContext) -> None:
            created["id"] = turn.activity.conversation.id

        try:
            await self._adapter.create_conversation(self._app_id, callback, params, "msteams", via.service_url, None)
        except (ErrorResponseException, ClientRequestError, OSError) as error:
            raise _delivery_error(error) from error
        return ConversationRef(conversation_id=created["id"], kind=ConversationKind.PERSONAL,
                               service_url=via.service_url, tenant_id=tenant, bot_id=via.bot_id,
                               user_aad_id=member.aad_object_id)

    async def _in_conversation(self, ref: ConversationRef, operation):
        """Run inside a proactive turn; errors are carried out of it (the adapter's error handler would
        otherwise swallow them and the outbox would believe the message was delivered)."""
        outcome: dict = {}

        async def callback(turn: TurnContext) -> None:
            client = turn.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
            _client_without_retries(client)
            try:
                outcome["value"] = await operation(turn, client)
            except (ErrorResponseException, ClientRequestError, OSError) as error:
                outcome["error"] = _delivery_error(error)

        await self._adapter.continue_conversation(to_reference(ref), callback, self._app_id)
        if "error" in outcome:
            raise outcome["error"]
        if "value" not in outcome:
            raise DeliveryError(0, code="turn_failed")
        return outcome["value"]
