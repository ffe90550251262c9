"""Hearings (høringer) in Teams: the register, registering and editing a hearing, its status, and putting it
on a meeting's agenda."""
from __future__ import annotations

from bot.actions import ActionContext, ActionRegistry, rerender
from bot.benefits import ImplementationFeature
from bot.inputs import id_input, one_of, optional_date
from bot.turns import card_command
from cards import actions as verbs
from cards.hearings import hearing_form_card, hearings_card
from cards.texts import t
from council.errors import InvalidInput, NotAllowed
from council.hearings import HearingForm, HearingStatus
from council.members import Member
from council.services.cases import FormErrors, PiiWarning
from council.services.hearings import HearingService
from council.services.meetings import MeetingService
from council.services.members import MemberService

_FIELDS = ("title", "sender", "their_reference", "case_number", "journal_number", "links", "draft_text",
           "draft_link")


def hearing_form_from(data: dict) -> HearingForm:
    values = {name: str(data.get(name) or "").strip() for name in _FIELDS}
    return HearingForm(**values, received=optional_date(data.get("received")),
                       external_deadline=optional_date(data.get("external_deadline")),
                       internal_deadline=optional_date(data.get("internal_deadline")),
                       owner=str(data.get("owner") or "").strip() or None)


class HearingsFeature:
    def __init__(self, hearings: HearingService, meetings: MeetingService, members: MemberService,
                 implementation: ImplementationFeature | None = None) -> None:
        self._hearings = hearings
        self._meetings = meetings
        self._members = members
        self._implementation = implementation  # the decisions' «Innføring» card

    def register(self, actions: ActionRegistry) -> None:
        for verb, handler in (
                (verbs.HEARING_LIST, self.hearing_list), (verbs.HEARING_FORM, self.hearing_form),
                (verbs.HEARING_SAVE, self.hearing_save), (verbs.HEARING_STATUS, self.hearing_status),
                (verbs.HEARING_AGENDA, self.hearing_agenda)):
            actions.register(verb, handler)
        if self._implementation is not None:
            self._implementation.register(actions)

    def commands(self) -> dict:
        extra = self._implementation.commands() if self._implementation is not None else {}
        return {"høringer": card_command(self.hearings_view), "horinger": card_command(self.hearings_view),
                "ny høring": card_command(self.new_hearing), **extra}

    async def hearings_view(self, actor: Member, locale: str | None, include_closed: bool = False, **extra) -> dict:
        lines = await self._hearings.register_view(actor, include_closed=include_closed)
        return hearings_card(lines, locale, actor.is_organiser, meetings=await self._meetings.upcoming(),
                             include_closed=include_closed, **extra)

    async def new_hearing(self, actor: Member, locale: str | None) -> dict:
        if not actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        return hearing_form_card(await self._members.members(), locale)

    async def hearing_list(self, ctx: ActionContext) -> dict:
        return await self.hearings_view(ctx.actor, ctx.locale, include_closed=ctx.payload.include_closed)

    async def hearing_form(self, ctx: ActionContext) -> dict:
        hearing = None
        if ctx.payload.hearing_id is not None:
            hearing = (await self._hearings.get(ctx.actor, ctx.payload.hearing_id)).hearing
        return hearing_form_card(await self._members.members(), ctx.locale, hearing=hearing)

    async def hearing_save(self, ctx: ActionContext) -> dict:
        form, sent = hearing_form_from(ctx.data), ctx.payload
        if sent.hearing_id is not None:
            if sent.version is None:
                raise InvalidInput("error.invalid_input")
            result = await self._hearings.update(ctx.actor, sent.hearing_id, sent.version, form,
                                                 pii_confirmed=sent.pii_confirmed)
            if not isinstance(result, (FormErrors, PiiWarning)) and not sent.keep_draft and (
                    form.draft_text != result.draft_text or form.draft_link != (result.draft_link or "")):
                result = await self._hearings.set_draft(ctx.actor, sent.hearing_id, result.version, form.draft_text,
                                                        form.draft_link)
        else:
            result = await self._hearings.register(ctx.actor, form, pii_confirmed=sent.pii_confirmed)
        members = await self._members.members()
        if isinstance(result, FormErrors):
            return hearing_form_card(members, ctx.locale, values=ctx.data, errors=result.errors,
                                     internal_days=self._hearings.rules.internal_working_days_before)
        if isinstance(result, PiiWarning):
            return hearing_form_card(members, ctx.locale, values=ctx.data, pii_fields=result.fields,
                                     internal_days=self._hearings.rules.internal_working_days_before)
        return await self.hearings_view(ctx.actor, ctx.locale, message=t("hearings.saved", ctx.locale,
                                                                         title=result.title))

    async def hearing_status(self, ctx: ActionContext) -> dict:
        hearing_id, version = ctx.payload.hearing_id, ctx.payload.version
        status = one_of(HearingStatus, ctx.data.get(f"status_{hearing_id}"))
        return await self._hearing_change(ctx, lambda: self._hearings.set_status(
            ctx.actor, hearing_id, version, status,
            decision=str(ctx.data.get(f"decision_{hearing_id}") or "") or None,
            response_reference=str(ctx.data.get(f"response_{hearing_id}") or "") or None))

    async def hearing_agenda(self, ctx: ActionContext) -> dict:
        hearing_id, version = ctx.payload.hearing_id, ctx.payload.version
        return await self._hearing_change(ctx, lambda: self._hearings.put_on_agenda(
            ctx.actor, hearing_id, version, id_input(ctx.data, f"meeting_{hearing_id}")))

    async def _hearing_change(self, ctx: ActionContext, change) -> dict:
        return await rerender(ctx, change, lambda _, **extra: self.hearings_view(ctx.actor, ctx.locale, **extra),
                              "hearings.updated")
