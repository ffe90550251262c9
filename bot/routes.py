"""Our own HTTP entry point: 4.17.1's CloudAdapter.process answers invokes with 500, so we don't use it."""
from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ErrorResponseException
from msrest.exceptions import ClientRequestError, DeserializationError

from bot.adapter import ChannelUnreachable
from bot.auth import BotConnectorTokens, KeysUnavailable, Overloaded, request_result
from bot.identity import tenant_of

log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024
_REQUIRED = ("type", "serviceUrl", "conversation")


def _bad(reason: str, status: int = 400) -> web.Response:
    return web.json_response({"error": reason}, status=status)


def _parse(raw: bytes) -> Activity | web.Response:
    """Only a JSON object shaped like an activity gets past here; everything else is a 400."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _bad("malformed JSON")
    if not isinstance(body, dict) or not all(body.get(key) for key in _REQUIRED):
        return _bad("not an activity: type, serviceUrl and conversation are required")
    if not isinstance(body["type"], str) or not isinstance(body["conversation"], dict) or not \
            isinstance(body["serviceUrl"], str) or not body["serviceUrl"].startswith(("http://", "https://")):
        return _bad("not an activity: wrong field types")
    if not isinstance(body["conversation"].get("id"), str):
        return _bad("not an activity: conversation.id is required")
    for key in ("from", "recipient", "channelData", "value"):
        if key in body and body[key] is not None and not isinstance(body[key], (dict, list) if key == "value"
                                                                    else dict):
            return _bad(f"not an activity: {key} has the wrong type")
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError):
        return _bad("not an activity")
    if activity.recipient is None:
        return _bad("not an activity: recipient is required")
    return activity


def messages_route(adapter: CloudAdapter, logic: Callable[[TurnContext], Awaitable],
                   tokens: BotConnectorTokens | None, allowed_tenants: frozenset[str]):
    """POST /api/messages: 400 for bad input, 401 for bad tokens, 403 for foreign tenants, invokes 200.

    `tokens` None is anonymous local mode: no token is needed and any Authorization header is ignored (the
    SDK would try to check it against the internet, on the event loop)."""
    if tokens is None:
        log.warning("anonymous local mode: no token is checked, so the tenant of an activity is not authenticated"
                    "%s", " (ALLOWED_TENANT_IDS filters on what the sender claims)" if allowed_tenants else "")

    async def messages(request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _bad("Content-Type must be application/json")
        if request.content_length and request.content_length > MAX_BODY:
            return _bad("body too large", 413)
        activity = _parse(await request.read())
        if isinstance(activity, web.Response):
            return activity
        auth = request.headers.get("Authorization", "")
        if tokens is not None and not auth:
            return _bad("missing bearer token", 401)
        try:
            if tokens is None:
                result = await adapter.bot_framework_authentication.authenticate_request(activity, "")
            else:
                result = request_result(await tokens.identity(auth, activity), adapter.bot_framework_authentication)
        except (KeysUnavailable, Overloaded) as error:
            log.info("token not checked: %s", type(error).__name__)  # the failed key fetch itself is a warning
            return _bad("the token cannot be checked now; try again shortly", 503)
        except PermissionError as error:
            log.info("refused request: %s", error)
            return _bad("unauthorized", 401)
        if allowed_tenants and tenant_of(activity) not in allowed_tenants:
            log.warning("refused activity from a tenant that is not allowed")
            return _bad("tenant not allowed", 403)
        try:
            response = await adapter.process_activity(result, activity, logic)
        except ChannelUnreachable as error:
            log.warning("serviceUrl %s is unreachable%s", error.service_url.encode("unicode_escape").decode(),
                        " — start the Agents Playground or ./chat" if tokens is None else "")
            return _bad(f"the bot could not reach the channel at serviceUrl {error.service_url}", 502)
        except (ErrorResponseException, ClientRequestError, OSError) as error:
            log.warning("could not answer through serviceUrl: %s", type(error).__name__)
            return _bad("the bot could not reach the channel at serviceUrl", 502)
        if response is None:
            return web.Response(status=201 if activity.type == "message" else 200)
        if response.body is None:
            return web.Response(status=response.status)
        return web.json_response(response.body, status=response.status)

    return messages
