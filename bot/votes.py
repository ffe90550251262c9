"""Votes in Teams: opening a vote, casting from the channel card (user-specific views through Action.Execute +
refresh), closing, extending, cancelling, exporting."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.actions import ActionContext, ActionRegistry, rerender
from bot.inputs import flag, one_of, optional_date, time_or
from bot.turns import card_command
from cards import actions as verbs
from cards.common import error_card
from cards.texts import t
from cards.votes import my_vote_card, not_entitled_card, vote_admin_card, vote_form_card
from council.errors import DomainError, InvalidInput, NotAllowed, NotEntitled
from council.members import Member
from council.services.cases import PiiWarning
from council.services.hearings import HearingService
from council.services.meetings import MeetingService
from council.services.votes import VoteRequest, VoteService
from council.votes import Choice, Majority, Quorum

NOON = time(12, 0)  # a vote's deadline time when the form leaves it empty


class VotesFeature:
    def __init__(self, hearings: HearingService, votes: VoteService, meetings: MeetingService, links, tz) -> None:
        self._hearings = hearings
        self._votes = votes
        self._meetings = meetings
        self._links = links
        self._tz = tz

    def register(self, actions: ActionRegistry) -> None:
        for verb, handler in (
                (verbs.VOTE_FORM, self.vote_form),
                (verbs.VOTE_OPEN, self.vote_open), (verbs.VOTE_CAST, self.cast), (verbs.VOTE_REFRESH, self.refresh),
                (verbs.VOTE_CLOSE, self.close), (verbs.VOTE_EXTEND, self.extend), (verbs.VOTE_CANCEL, self.cancel),
                (verbs.VOTE_EXPORT, self.export)):
            actions.register(verb, handler)

    def commands(self) -> dict:
        return {"avstemning": card_command(self.new_vote)}

    # --- opening and managing a vote -------------------------------------------------------------
    def _default_deadline(self) -> datetime:
        day = self._meetings.today() + timedelta(days=7)
        return datetime.combine(day, NOON, tzinfo=self._tz)

    async def new_vote(self, actor: Member, locale: str | None) -> dict:
        if not actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        return vote_form_card(None, self._default_deadline(), locale)

    async def vote_form(self, ctx: ActionContext) -> dict:
        if not ctx.actor.is_organiser:
            raise NotAllowed("error.organiser_only")
        hearing = None
        if ctx.payload.hearing_id is not None:
            hearing = (await self._hearings.get(ctx.actor, ctx.payload.hearing_id)).hearing
        return vote_form_card(hearing, self._default_deadline(), ctx.locale)

    async def vote_open(self, ctx: ActionContext) -> dict:
        hearing_id = ctx.payload.hearing_id
        hearing = (await self._hearings.get(ctx.actor, hearing_id)).hearing if hearing_id else None

        async def show(result, message: str | None = None, error: str | None = None) -> dict:
            if result is None or isinstance(result, PiiWarning):  # the form again, with what was typed
                return vote_form_card(hearing, self._default_deadline(), ctx.locale, error=error, values=ctx.data,
                                      pii_fields=result.fields if result is not None else None)
            return await self._admin(ctx, result.id, message)
        return await rerender(ctx, lambda: self._votes.open_vote(
            ctx.actor, self._vote_request(ctx.data, hearing_id), pii_confirmed=ctx.payload.pii_confirmed),
            show, "votes.opened")

    def _vote_request(self, data: dict, hearing_id: int | None) -> VoteRequest:
        day = optional_date(data.get("deadline_date"))
        if day is None:
            raise InvalidInput("votes.deadline_in_past")
        quorum = one_of(Quorum, data.get("quorum") or Quorum.MORE_THAN_HALF.value)
        majority = one_of(Majority, data.get("majority") or Majority.SIMPLE.value)
        at = time_or(data.get("deadline_time"), NOON)
        return VoteRequest(question=str(data.get("question") or "").strip(),
                           deadline=datetime.combine(day, at, tzinfo=self._tz),
                           proposal=str(data.get("proposal") or "").strip(), hearing_id=hearing_id,
                           secret=flag(data.get("secret")),
                           live_tally=str(data.get("live_tally", "true")).lower() != "false",
                           quorum=quorum, majority=majority)

    async def _admin(self, ctx: ActionContext, vote_id: int, message: str | None = None,
                     error: str | None = None, with_exports: bool = False) -> dict:
        view = await self._votes.view(ctx.actor, vote_id)
        csv_url = pdf_url = None
        if with_exports:
            csv_url = self._links.vote_result("result.csv", vote_id, ctx.actor.aad_object_id)
            pdf_url = self._links.vote_result("result.pdf", vote_id, ctx.actor.aad_object_id)
        return vote_admin_card(view, ctx.locale, csv_url=csv_url, pdf_url=pdf_url, message=message, error=error)

    async def _manage(self, ctx: ActionContext, change, done_key: str) -> dict:
        vote_id = ctx.payload.vote_id
        return await rerender(ctx, lambda: change(vote_id),
                              lambda _, **extra: self._admin(ctx, vote_id, **extra), done_key)

    async def close(self, ctx: ActionContext) -> dict:
        return await self._manage(ctx, lambda vote_id: self._votes.close(ctx.actor, vote_id), "votes.closed_now")

    async def extend(self, ctx: ActionContext) -> dict:
        async def change(vote_id: int) -> None:
            day = optional_date(ctx.data.get("extend_date"))
            if day is None:
                raise InvalidInput("votes.deadline_not_later")
            at = time_or(ctx.data.get("extend_time"), NOON)
            await self._votes.extend(ctx.actor, vote_id, datetime.combine(day, at, tzinfo=self._tz))
        return await self._manage(ctx, change, "votes.extended_now")

    async def cancel(self, ctx: ActionContext) -> dict:
        return await self._manage(ctx, lambda vote_id: self._votes.cancel(
            ctx.actor, vote_id, str(ctx.data.get("cancel_reason") or "")), "votes.cancelled_now")

    async def export(self, ctx: ActionContext) -> dict:
        return await self._admin(ctx, ctx.payload.vote_id, with_exports=True)

    # --- voting (the channel card) ---------------------------------------------------------------
    @staticmethod
    def _viewer(ctx: ActionContext) -> tuple[str, ...]:
        """A user's own view refreshes for that user alone (Teams shows it only to them); the shared card
        lists every entitled voter."""
        sender = ctx.turn.activity.from_property
        return (sender.id,) if sender and sender.id else ()

    async def cast(self, ctx: ActionContext) -> dict:
        vote_id = ctx.payload.vote_id
        choice = one_of(Choice, ctx.payload.choice, "votes.invalid_choice")
        activity = ctx.turn.activity
        key = f"{activity.conversation.id}|{activity.id}" if activity.id else None
        try:
            mine = await self._votes.cast(ctx.actor, vote_id, choice, str(ctx.data.get(f"comment_{vote_id}") or ""),
                                          activity_key=key)
        except NotEntitled:
            return await self._not_entitled(ctx, vote_id)
        except NotAllowed:
            raise
        except DomainError as error:  # closed, past the deadline, a missing comment: their own card says why
            return await self._own_view(ctx, vote_id, t(error.key, ctx.locale, **error.params))
        if isinstance(mine, PiiWarning):
            return await self._own_view(ctx, vote_id, t("votes.comment_pii", ctx.locale))
        if mine.view is None:  # a redelivered invoke: nothing changed, read the card as it stands
            return await self._own_view(ctx, vote_id)
        return my_vote_card(mine, mine.view, self._viewer(ctx), ctx.locale, is_manager=ctx.actor.is_organiser)

    async def refresh(self, ctx: ActionContext) -> dict:
        return await self._own_view(ctx, ctx.payload.vote_id)

    async def _own_view(self, ctx: ActionContext, vote_id: int, error: str | None = None) -> dict:
        try:
            mine = await self._votes.mine(ctx.actor, vote_id)
        except NotAllowed:
            return await self._not_entitled(ctx, vote_id)
        if not mine.entitled:
            return not_entitled_card(mine.view, ctx.locale, self._viewer(ctx))
        return my_vote_card(mine, mine.view, self._viewer(ctx), ctx.locale, error=error,
                            is_manager=ctx.actor.is_organiser)

    async def _not_entitled(self, ctx: ActionContext, vote_id: int) -> dict:
        """Someone outside the council may not even see the vote: they get the refusal alone."""
        try:
            view = await self._votes.view(ctx.actor, vote_id)
        except NotAllowed:
            return error_card(t("votes.not_entitled", ctx.locale), ctx.locale)
        return not_entitled_card(view, ctx.locale, self._viewer(ctx))
