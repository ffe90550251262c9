"""Implementation of felles-praksis decisions in Teams: the «Innføring» card, where each member sets their own
unit's status (leader and secretary any unit's); composed into HearingsFeature («Høringer og vedtak»)."""
from __future__ import annotations

from bot.actions import ActionContext, ActionRegistry, rerender
from bot.inputs import optional_date, text_of
from bot.turns import card_command
from cards import actions as verbs
from cards.benefits import implementation_card, status_label
from council.errors import InvalidInput
from council.members import Member
from council.services.benefits import BenefitService


class ImplementationFeature:
    def __init__(self, benefits: BenefitService, number_format: str = "Sak {nr:02d}/{yy}") -> None:
        self._benefits = benefits
        self._number_format = number_format

    def register(self, actions: ActionRegistry) -> None:
        actions.register(verbs.IMPLEMENTATION_SHOW, self.show)
        actions.register(verbs.IMPLEMENTATION_SET, self.set_status)

    def commands(self) -> dict:
        command = card_command(self.card)
        return {"innføring": command, "innforing": command, "felles praksis": command}

    async def card(self, actor: Member, locale: str | None, message: str | None = None,
                   error: str | None = None) -> dict:
        decisions = await self._benefits.open_for(actor)
        units = await self._benefits.reporting_units(actor)
        return implementation_card(decisions, units, len(self._benefits.units), self._number_format, locale,
                                   all_units=actor.is_organiser, message=message, error=error)

    async def show(self, ctx: ActionContext) -> dict:
        return await self.card(ctx.actor, ctx.locale)

    async def set_status(self, ctx: ActionContext) -> dict:
        item_id = ctx.payload.item_id
        unit = text_of(ctx.data, f"unit_{item_id}")
        if not unit:
            units = await self._benefits.reporting_units(ctx.actor)
            if len(units) != 1:
                raise InvalidInput("benefits.unknown_unit")
            unit = units[0]
        status = text_of(ctx.data, f"status_{item_id}")

        async def change():
            return await self._benefits.set_status(ctx.actor, item_id, unit, status,
                                                   optional_date(ctx.data.get(f"on_{item_id}")))
        return await rerender(ctx, change, lambda _, **extra: self.card(ctx.actor, ctx.locale, **extra),
                              "benefits.card_saved", unit=unit, status=status_label(status, ctx.locale))
