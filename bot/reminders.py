"""Reminder settings in Teams: the leader's «Påminnelser» card."""
from __future__ import annotations

from bot.actions import ActionContext, ActionRegistry, rerender
from bot.turns import card_command
from cards.actions import REMINDERS_SAVE, REMINDERS_SHOW
from cards.reminders import reminder_settings_card, settings_changes
from council.errors import NotAllowed
from council.members import Member
from council.services.reminders import ReminderService


class RemindersFeature:
    def __init__(self, reminders: ReminderService) -> None:
        self._reminders = reminders

    def register(self, actions: ActionRegistry) -> None:
        actions.register(REMINDERS_SHOW, self.show)
        actions.register(REMINDERS_SAVE, self.save)

    def commands(self) -> dict:
        command = card_command(self.card)
        return {"påminnelser": command, "paminnelser": command, "reminders": command}

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
