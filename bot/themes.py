"""Theme meetings of the leadership network in Teams: the list, proposing and planning (organisers), answering
the 1:1 invitation (network members; the invoke answers with the member's updated invitation card), attendance,
topic suggestions and the summary."""
from __future__ import annotations

from bot.actions import ActionContext, ActionRegistry, rerender
from bot.inputs import one_of, optional_date, time_or
from bot.turns import card_command
from cards import themes as cards
from cards.texts import t
from council.errors import InvalidInput, NotAllowed
from council.members import Member
from council.services.cases import PiiWarning
from council.services.themes import ThemeService
from council.themes import Rsvp, is_network


class ThemesFeature:
    def __init__(self, themes: ThemeService) -> None:
        self._themes = themes

    def register(self, actions: ActionRegistry) -> None:
        for verb, handler in (
                (cards.THEMES_SHOW, self.show), (cards.THEMES_PROPOSE, self.propose), (cards.THEMES_PLAN, self.plan),
                (cards.THEMES_RSVP, self.rsvp), (cards.THEMES_ATTENDANCE, self.attendance),
                (cards.THEMES_SUGGEST, self.suggest), (cards.THEMES_SUMMARY, self.summary),
                (cards.THEMES_CANCEL, self.cancel)):
            actions.register(verb, handler)

    def commands(self) -> dict:
        return {"temamøte": card_command(self.themes_view), "temamøter": card_command(self.themes_view),
                "temamote": card_command(self.themes_view), "temamoter": card_command(self.themes_view),
                "foreslå tema": card_command(self.suggest_view), "foresla tema": card_command(self.suggest_view)}

    # --- views ----------------------------------------------------------------------------------------------
    async def themes_view(self, actor: Member, locale: str | None, **extra) -> dict:
        return cards.themes_card(await self._themes.upcoming(actor), locale, organiser=actor.is_organiser,
                                 network=is_network(actor), year=self._themes.today().year, **extra)

    async def suggest_view(self, actor: Member, locale: str | None, **extra) -> dict:
        return cards.suggestions_card(await self._themes.suggestions(actor), locale, **extra)

    async def plan_view(self, actor: Member, locale: str | None, year: int, count: int = 3, **extra) -> dict:
        proposed = await self._themes.propose(actor, year, count)
        this_year = [th for th, _ in await self._themes.upcoming(actor) if th.date.year == year]
        return cards.theme_plan_card(year, proposed, locale, self._themes.rules,
                                     suggestions=await self._themes.suggestions(actor),
                                     planned_this_year=len(this_year), **extra)

    # --- handlers -------------------------------------------------------------------------------------------
    async def show(self, ctx: ActionContext) -> dict:
        return await self.themes_view(ctx.actor, ctx.locale)

    async def propose(self, ctx: ActionContext) -> dict:
        year = ctx.payload.year or self._themes.today().year
        count = ctx.payload.count or 3
        return await self.plan_view(ctx.actor, ctx.locale, year, count)

    async def plan(self, ctx: ActionContext) -> dict:
        data = ctx.data
        year = ctx.payload.year or self._themes.today().year

        async def change():
            day = optional_date(data.get("other_date")) or optional_date(data.get("date"))
            if day is None:
                raise InvalidInput("meetings.date_required")
            chosen = tuple(int(s) for s in str(data.get("suggestions") or "").split(",") if s.strip().isdigit())
            return await self._themes.plan(
                ctx.actor, str(data.get("topic") or ""), day, time_or(data.get("start"), self._themes.rules.start),
                time_or(data.get("end"), self._themes.rules.end), str(data.get("place") or ""), chosen)

        async def show(theme, message: str | None = None, error: str | None = None) -> dict:
            if theme is None:
                return await self.plan_view(ctx.actor, ctx.locale, year, error=error, values=data)
            warnings = [t(f"themes.warning.{w}", ctx.locale, max=self._themes.rules.max_per_year)
                        for w in await self._themes.warnings(theme.date)]
            message = " ".join([t("themes.planned", ctx.locale, topic=theme.topic), *warnings])
            return await self.themes_view(ctx.actor, ctx.locale, message=message)
        return await rerender(ctx, change, show, "themes.planned")

    async def rsvp(self, ctx: ActionContext) -> dict:
        """The answer to the member's press on their invitation: that card, with their answer."""
        mine = await self._themes.rsvp(ctx.actor, ctx.payload.theme_id, one_of(Rsvp, ctx.payload.answer))
        return cards.invitation_card(mine.theme, mine.answer, ctx.locale,
                                     message=t("themes.answer_saved", ctx.locale))

    async def attendance(self, ctx: ActionContext) -> dict:
        view = await self._themes.attendance(ctx.actor, ctx.payload.theme_id)
        return cards.attendance_card(view.theme, view.lines, ctx.locale)

    async def suggest(self, ctx: ActionContext) -> dict:
        if "text" not in ctx.data:
            return await self.suggest_view(ctx.actor, ctx.locale)
        value = str(ctx.data.get("text") or "")

        async def show(result, message: str | None = None, error: str | None = None) -> dict:
            if isinstance(result, PiiWarning):
                return await self.suggest_view(ctx.actor, ctx.locale, pii_fields=result.fields, text_value=value)
            if result is None:
                return await self.suggest_view(ctx.actor, ctx.locale, error=error, text_value=value)
            return await self.suggest_view(ctx.actor, ctx.locale, message=message)
        return await rerender(ctx, lambda: self._themes.suggest_topic(ctx.actor, value, ctx.payload.pii_confirmed),
                              show, "themes.suggestion_saved")

    async def summary(self, ctx: ActionContext) -> dict:
        theme_id = ctx.payload.theme_id
        if not ctx.actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        theme = await self._themes.get(theme_id)
        if not ctx.payload.send:
            return cards.summary_form_card(theme, ctx.locale)
        value = str(ctx.data.get("summary") or "")

        async def show(result, message: str | None = None, error: str | None = None) -> dict:
            if isinstance(result, PiiWarning):
                return cards.summary_form_card(theme, ctx.locale, pii_fields=result.fields, value=value)
            if result is None:
                return cards.summary_form_card(theme, ctx.locale, error=error, value=value)
            return await self.themes_view(ctx.actor, ctx.locale, message=message)
        return await rerender(ctx, lambda: self._themes.post_summary(ctx.actor, theme_id, value,
                                                                     ctx.payload.pii_confirmed),
                              show, "themes.summary_posted")

    async def cancel(self, ctx: ActionContext) -> dict:
        theme = await self._themes.cancel(ctx.actor, ctx.payload.theme_id)
        return await self.themes_view(ctx.actor, ctx.locale, message=t("themes.cancelled", ctx.locale,
                                                                       topic=theme.topic))
