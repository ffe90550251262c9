"""«Usendte meldinger» in Teams: the leader sees messages that may not have arrived and decides per message."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.actions import ActionContext, ActionRegistry
from bot.turns import card_command
from cards.actions import OUTBOX_DISMISS, OUTBOX_RESEND, OUTBOX_UNDELIVERED, OutboxRef, OutboxResend
from cards.texts import t
from cards.undelivered import confirm_resend_card, undelivered_card
from council.errors import Conflict, NotFound
from council.members import Member
from council.services.undelivered import UndeliveredService


class UndeliveredFeature:
    def __init__(self, undelivered: UndeliveredService, tz: ZoneInfo) -> None:
        self._undelivered = undelivered
        self._tz = tz

    def register(self, actions: ActionRegistry) -> None:
        actions.register(OUTBOX_UNDELIVERED, self.show)
        actions.register(OUTBOX_RESEND, self.resend)
        actions.register(OUTBOX_DISMISS, self.dismiss)

    def commands(self) -> dict:
        command = card_command(self.card)
        return {"usendte meldinger": command, "usendte": command, "undelivered messages": command,
                "undelivered": command}

    async def card(self, actor: Member, locale: str | None, message: str | None = None) -> dict:
        items, total = await self._undelivered.list(actor)  # refuses anyone but a leader
        return undelivered_card(items, total, self._tz, locale, message)

    async def show(self, ctx: ActionContext) -> dict:
        return await self.card(ctx.actor, ctx.locale)

    async def resend(self, ctx: ActionContext) -> dict:
        """First press: the confirmation card; «Send likevel» on it (confirmed): back to the queue."""
        payload: OutboxResend = ctx.payload
        message_id = payload.message_id
        try:
            if not payload.confirmed:
                return confirm_resend_card(await self._undelivered.get(ctx.actor, message_id), self._tz, ctx.locale)
            await self._undelivered.resend(ctx.actor, message_id)
        except (Conflict, NotFound) as error:  # pressed twice, or handled by another leader meanwhile
            return await self.card(ctx.actor, ctx.locale, t(error.key, ctx.locale))
        return await self.card(ctx.actor, ctx.locale, t("undelivered.resent", ctx.locale))

    async def dismiss(self, ctx: ActionContext) -> dict:
        payload: OutboxRef = ctx.payload
        message_id = payload.message_id
        try:
            await self._undelivered.dismiss(ctx.actor, message_id)
        except (Conflict, NotFound) as error:
            return await self.card(ctx.actor, ctx.locale, t(error.key, ctx.locale))
        return await self.card(ctx.actor, ctx.locale, t("undelivered.dismissed", ctx.locale))
