"""Reminder settings in Teams: the leader's «Påminnelser» card, and (composed in) the «Usendte meldinger» card
that the weekly digest links to."""
from __future__ import annotations

from bot.actions import ActionContext, ActionRegistry, rerender
from bot.turns import card_command
from bot.undelivered import UndeliveredFeature
from cards.actions import REMINDERS_SAVE, REMINDERS_SHOW
from cards.reminders import reminder_settings_card, settings_changes
from council.errors import NotAllowed
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
        command = card_command(self.card)
        extra = self._undelivered.commands() if self._undelivered is not None else {}
        return {"påminnelser": command, "paminnelser": command, "reminders": command, **extra}

    async def card(self, actor: Member, locale: str | None, message: str | None = None,
                   error: str | None = None) -> dict:
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        return reminder_settings_card(await self._reminders.settings(), locale, message, error)

    async def show(self, ctx: ActionContext) -> dict:
        return await self.card(ctx.actor, ctx.locale)

    async def save(self, ctx: ActionContext) -> dict:
        return await rerender(ctx, lambda: self._reminders.update_settings(ctx.actor, settings_changes(ctx.data)),
                              lambda _, **extra: self.card(ctx.actor, ctx.locale, **extra), "reminders.saved")
