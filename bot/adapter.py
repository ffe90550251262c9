"""Builds the CloudAdapter from settings, with an error handler that never leaves the user in silence.

botbuilder builds a ConnectorClient and a UserTokenClient for every activity; each builds msrest's
configuration (`ClientRetryPolicy.__init__` alone costs milliseconds of CPU) and a new `requests.Session`,
i.e. a new connection per reply. `CachingAuthentication` keeps them: a connector client per (app id,
serviceUrl, audience), which is all the SDK's factory builds one from, and a user-token client per app id.
"""
from __future__ import annotations

import logging
import uuid
from collections import OrderedDict

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from msrest.exceptions import ClientRequestError
from requests.exceptions import ConnectionError as RequestsConnectionError

from bot.turns import card_invoke_response
from cards.common import error_card
from cards.texts import t
from council.settings import Settings

log = logging.getLogger(__name__)
MAX_CLIENTS = 64  # serviceUrls are few (one per Teams region); in anonymous mode the sender names them
LOCAL_CONNECT_TIMEOUT = 2.0  # seconds, anonymous local mode: a Playground that is not running fails at once
LOCAL_READ_TIMEOUT = 30.0


class ChannelUnreachable(Exception):
    """The channel at serviceUrl could not be reached to answer this turn."""

    def __init__(self, service_url: str) -> None:
        super().__init__(service_url)
        self.service_url = service_url


def bot_configuration(settings: Settings) -> object:
    """The attribute names botbuilder's configuration factories read (anonymous = no credentials)."""
    return type("BotConfig", (), {
        "APP_ID": settings.app_id,
        "APP_PASSWORD": settings.app_password,
        "APP_TYPE": "MultiTenant" if settings.anonymous else settings.app_type,
        "APP_TENANTID": settings.app_tenant_id,
    })()


def build_adapter(settings: Settings) -> CloudAdapter:
    sdk = ConfigurationBotFrameworkAuthentication(bot_configuration(settings))
    adapter = CloudAdapter(CachingAuthentication(sdk, local=settings.anonymous))
    adapter.on_turn_error = _on_turn_error
    return adapter


def _app_id(identity: ClaimsIdentity | None) -> str | None:
    """As the SDK's factory reads it: the audience claim, else the appid claim."""
    if identity is None:
        return None
    return identity.get_claim_value("aud") or identity.get_claim_value("appid")


class _CachedConnectorFactory(ConnectorFactory):
    def __init__(self, owner: "CachingAuthentication", inner: ConnectorFactory, app_id: str | None) -> None:
        self._owner = owner
        self._inner = inner
        self._app_id = app_id

    async def create(self, service_url: str, audience: str = None):
        return await self._owner.connector(self._inner, self._app_id, service_url, audience)


class CachingAuthentication(BotFrameworkAuthentication):
    """The SDK's BotFrameworkAuthentication with the clients it builds per activity kept for reuse."""

    def __init__(self, inner: BotFrameworkAuthentication, *, local: bool) -> None:
        self._inner = inner
        self._local = local
        self._connectors: OrderedDict[tuple, object] = OrderedDict()
        self._user_tokens: dict[str | None, UserTokenClient] = {}

    @property
    def sdk(self) -> BotFrameworkAuthentication:
        """The SDK's own object, for callers that configure clients of their own (TeamsNotifier turns retries
        off; a kept client is shared by every turn, so it must not be reconfigured)."""
        return self._inner

    async def connector(self, factory: ConnectorFactory, app_id: str | None, service_url: str,
                        audience: str | None):
        key = (app_id, service_url, audience)
        client = self._connectors.get(key)
        if client is None:
            client = await factory.create(service_url, audience)
            if self._local:
                _fail_fast(client)
            self._connectors[key] = client
            if len(self._connectors) > MAX_CLIENTS:
                self._connectors.popitem(last=False)
        else:
            self._connectors.move_to_end(key)
        return client

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self.create_connector_factory(result.claims_identity)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str):
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachedConnectorFactory(self, self._inner.create_connector_factory(claims_identity),
                                       _app_id(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self._user_tokens.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._user_tokens[app_id] = client
        return client

    def create_bot_framework_client(self):
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


def _fail_fast(client) -> None:
    """Anonymous local mode: no retry, a short connect timeout (the SDK: three retries with back-off, 100 s)."""
    config = client.config
    config.retry_policy.retries = 0
    config.connection.timeout = (LOCAL_CONNECT_TIMEOUT, LOCAL_READ_TIMEOUT)


def _unreachable(error: BaseException) -> bool:
    """A connection to serviceUrl failed (refused, reset, timed out), as opposed to an answer with an error."""
    if isinstance(error, ClientRequestError):
        return isinstance(getattr(error, "inner_exception", None), RequestsConnectionError) or isinstance(
            error.__cause__, RequestsConnectionError)
    return isinstance(error, (RequestsConnectionError, ConnectionError))


async def _on_turn_error(turn: TurnContext, error: Exception) -> None:
    """Log with a reference the user can quote; tell them in their language (not for invokes)."""
    if _unreachable(error):
        raise ChannelUnreachable(turn.activity.service_url) from None  # nobody to tell; the route says so
    ref = uuid.uuid4().hex[:8]
    log.error("turn failed (ref %s): %s", ref, type(error).__name__, exc_info=error)
    locale = turn.activity.locale
    if turn.activity.type == "invoke" and turn.activity.name == "adaptiveCard/action":
        if turn.turn_state.get(BotAdapter._INVOKE_RESPONSE_KEY) is None:
            await turn.send_activity(Activity(type=ActivityTypes.invoke_response, value=card_invoke_response(
                error_card(t("error.generic", locale, ref=ref), locale))))
        return
    if turn.activity.type != "message":
        return
    try:
        await turn.send_activity(t("error.generic", locale, ref=ref))
    except Exception:  # the channel itself may be what failed
        log.warning("could not tell the user about failure %s", ref)
