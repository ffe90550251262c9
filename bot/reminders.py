"""Reminder settings in Teams: the leader's «Påminnelser» card, and (composed in) the «Usendte meldinger» card
that the weekly digest links to."""
from __future__ import annotations

from botbuilder.core import TurnContext

from bot.actions import ActionContext, ActionRegistry
from bot.turns import card_activity
from bot.undelivered import UndeliveredFeature
from cards.actions import REMINDERS_SAVE, REMINDERS_SHOW
from cards.reminders import reminder_settings_card, settings_changes
from cards.texts import t
from council.errors import DomainError, InvalidInput, NotAllowed
from council.members import Member
from council.services.reminders import ReminderService


class RemindersFeature:
    def __init__(self, reminders: ReminderService, undelivered: UndeliveredFeature | None = None) -> None:
        self._reminders = reminders
        self._undelivered = undelivered

    def register(self, actions: ActionRegistry) -> None:
        actions.register(REMINDERS_SHOW, self.show)
        actions.register(REMINDERS_SAVE, self.save)
        if self._undelivered is not None:
            self._undelivered.register(actions)

    def commands(self) -> dict:
        extra = self._undelivered.commands() if self._undelivered is not None else {}
        return {"påminnelser": self._command, "paminnelser": self._command, "reminders": self._command, **extra}

    async def card(self, actor: Member, locale: str | None, message: str | None = None) -> dict:
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        return reminder_settings_card(await self._reminders.settings(), locale, message)

    async def _command(self, turn: TurnContext, actor: Member) -> None:
        try:
            card = await self.card(actor, turn.activity.locale)
        except DomainError as error:
            await turn.send_activity(t(error.key, turn.activity.locale))
            return
        await turn.send_activity(card_activity(card))

    async def show(self, ctx: ActionContext) -> dict:
        return await self.card(ctx.actor, ctx.locale)

    async def save(self, ctx: ActionContext) -> dict:
        try:
            await self._reminders.update_settings(ctx.actor, settings_changes(ctx.data))
        except InvalidInput as error:
            return await self.card(ctx.actor, ctx.locale, t(error.key, ctx.locale, **error.params))
        return await self.card(ctx.actor, ctx.locale, t("reminders.saved", ctx.locale))
