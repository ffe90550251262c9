"""Builds the CloudAdapter from settings, with an error handler that never leaves the user in silence."""
from __future__ import annotations

import logging
import uuid

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.turns import card_invoke_response
from cards.common import error_card
from cards.texts import t
from council.settings import Settings

log = logging.getLogger(__name__)


def bot_configuration(settings: Settings) -> object:
    """The attribute names botbuilder's configuration factories read (anonymous = no credentials)."""
    return type("BotConfig", (), {
        "APP_ID": settings.app_id,
        "APP_PASSWORD": settings.app_password,
        "APP_TYPE": "MultiTenant" if settings.anonymous else settings.app_type,
        "APP_TENANTID": settings.app_tenant_id,
    })()


def build_adapter(settings: Settings) -> CloudAdapter:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(bot_configuration(settings)))
    adapter.on_turn_error = _on_turn_error
    return adapter


async def _on_turn_error(turn: TurnContext, error: Exception) -> None:
    """Log with a reference the user can quote; tell them in their language (not for invokes)."""
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
