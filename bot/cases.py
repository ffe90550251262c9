"""Cases in Teams: 'meld inn sak' (chat, buttons, message extension), triage, the queue, 'mine saker'."""
from __future__ import annotations

import html
import re
import uuid
from datetime import date

from botbuilder.core import CardFactory, TurnContext
from botbuilder.schema.teams import (
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleTaskInfo,
)

from bot.actions import ActionContext, ActionRegistry
from bot.exports import ExportLinks, filters_from
from bot.turns import card_command
from cards import actions as verbs
from cards.case_lists import my_cases_card
from cards.labels import status_label
from cards.register import register_card
from cards.submission import confirmation_card, pii_warning_card, submission_form
from cards.texts import t
from cards.triage import queue_card, triage_card
from council.cases import CaseFilter, CaseType, Triage
from council.errors import Conflict, DomainError, InvalidInput
from council.members import Member
from council.services.cases import CaseService, FormErrors, PiiWarning, TriageRequest
from council.services.meetings import MeetingService
from council.submission import FIRST_AVAILABLE, Draft
from council.topics import split_choices

_TAGS = re.compile(r"<[^>]+>")


class CasesFeature:
    def __init__(self, cases: CaseService, meetings: MeetingService, units: tuple[str, ...], flag_days: int,
                 links: ExportLinks) -> None:
        self._cases = cases
        self._links = links
        self._meetings = meetings
        self._units = units
        self._flag_days = flag_days

    def register(self, actions: ActionRegistry) -> None:
        for verb, handler in ((verbs.CASE_FORM, self.form), (verbs.CASE_SUBMIT, self.submit),
                              (verbs.CASE_EDIT, self.edit), (verbs.CASE_TRIAGE, self.triage),
                              (verbs.CASE_VIEW, self.view), (verbs.CASE_ANSWER, self.answer),
                              (verbs.CASE_WITHDRAW, self.withdraw), (verbs.CASE_DLG_OUTCOME, self.dlg_outcome),
                              (verbs.CASE_MINE, self.mine), (verbs.CASE_QUEUE, self.queue),
                              (verbs.CASE_REGISTER, self.register_action)):
            actions.register(verb, handler)

    def commands(self) -> dict:
        form, mine = card_command(self.form_view), card_command(self.mine_view)
        queue, register = card_command(self.queue_view), card_command(self.register_view)
        return {"meld inn sak": form, "ny sak": form, "meld inn": form, "mine saker": mine, "sakskø": queue,
                "saksko": queue, "saksregister": register, "register": register}

    # --- submission -----------------------------------------------------------------------------
    async def form_card(self, locale: str | None, draft: Draft | None = None, errors: dict | None = None,
                        task_module: bool = False) -> dict:
        draft = draft or Draft(submission_key=uuid.uuid4().hex)
        return submission_form(self._units, await self._meetings.open_for_submissions(), self._meetings.rules,
                               locale, draft, errors, task_module, self._cases.topics)

    async def form_view(self, actor: Member, locale: str | None) -> dict:
        return await self.form_card(locale)

    async def form(self, ctx: ActionContext) -> dict:
        return await self.form_card(ctx.locale)

    async def edit(self, ctx: ActionContext) -> dict:
        return await self.form_card(ctx.locale, Draft.from_data(ctx.data))

    async def submit(self, ctx: ActionContext) -> dict:
        return await self._submitted(ctx.actor, ctx.data, ctx.locale, task_module=False)

    async def _submitted(self, actor: Member, data: dict, locale: str | None, task_module: bool) -> dict | None:
        """The card that answers a submit: the form with errors, the PII question, or the receipt."""
        draft = Draft.from_data(data)
        result = await self._cases.submit(actor, draft, pii_confirmed=str(data.get("pii_confirmed")) == "true")
        if isinstance(result, FormErrors):
            return await self.form_card(locale, draft, result.errors, task_module)
        if isinstance(result, PiiWarning):
            return pii_warning_card(draft, result.fields, locale, task_module)
        if task_module:
            return None
        meeting = next((m for m in await self._meetings.upcoming() if m.id == result.case.requested_meeting_id), None)
        return confirmation_card(result.case, meeting, locale, duplicate=not result.created)

    # --- message extension ("…" on a message, or the compose box) ----------------------------------
    async def fetch_task(self, turn: TurnContext, action: MessagingExtensionAction) -> MessagingExtensionActionResponse:
        payload = action.message_payload
        content = payload.body.content if payload and payload.body and payload.body.content else ""
        description = html.unescape(_TAGS.sub(" ", content)).strip()[:4000]
        draft = Draft(description=re.sub(r"[ \t]+", " ", description), submission_key=uuid.uuid4().hex)
        return self._task(await self.form_card(turn.activity.locale, draft, task_module=True), turn.activity.locale)

    async def submit_task(self, turn: TurnContext, actor: Member,
                          action: MessagingExtensionAction) -> MessagingExtensionActionResponse:
        data = action.data if isinstance(action.data, dict) else {}
        locale = turn.activity.locale
        if data.get("verb") == verbs.CASE_EDIT:
            return self._task(await self.form_card(locale, Draft.from_data(data), task_module=True), locale)
        try:
            follow_up = await self._submitted(actor, data, locale, task_module=True)
        except DomainError as error:
            return MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value=t(error.key, locale)))
        if follow_up is not None:
            return self._task(follow_up, locale)
        case = await self._latest_of(actor, data)
        message = t("submit.thanks_body", locale, reference=case.reference).replace("**", "")
        return MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value=message))

    async def _latest_of(self, actor: Member, data: dict):
        key = Draft.from_data(data).submission_key
        return next(c for c in await self._cases.mine(actor) if c.submission_key == key)

    @staticmethod
    def _task(card: dict, locale: str | None) -> MessagingExtensionActionResponse:
        info = TaskModuleTaskInfo(title=t("submit.heading", locale), height="large", width="medium",
                                  card=CardFactory.adaptive_card(card))
        return MessagingExtensionActionResponse(task=TaskModuleContinueResponse(value=info))

    # --- triage ---------------------------------------------------------------------------------
    async def view(self, ctx: ActionContext) -> dict:
        case, options = await self._cases.view(ctx.actor, ctx.payload.case_id)
        return triage_card(case, options, ctx.locale)

    async def triage(self, ctx: ActionContext) -> dict:
        case_id = ctx.payload.case_id
        try:
            request = _triage_request(ctx.data, with_topics=ctx.payload.with_topics)
            case = await self._cases.triage(ctx.actor, case_id, ctx.payload.version or 0, request)
        except (Conflict, InvalidInput) as error:
            case, options = await self._cases.view(ctx.actor, case_id)
            message = t(error.key, ctx.locale, **{**error.params, "status": status_label(case.status, ctx.locale)})
            return triage_card(case, options, ctx.locale, message=message)
        _, options = await self._cases.view(ctx.actor, case_id)
        return triage_card(case, options, ctx.locale, t("triage.done", ctx.locale,
                                                         status=status_label(case.status, ctx.locale)))

    async def dlg_outcome(self, ctx: ActionContext) -> dict:
        case_id = ctx.payload.case_id
        case = await self._cases.record_outcome(ctx.actor, case_id, str(ctx.data.get("outcome") or ""))
        _, options = await self._cases.view(ctx.actor, case_id)
        return triage_card(case, options, ctx.locale, t("triage.done", ctx.locale,
                                                         status=status_label(case.status, ctx.locale)))

    async def queue_view(self, actor: Member, locale: str | None) -> dict:
        return queue_card(await self._cases.queue_view(actor), self._meetings.today(), self._flag_days, locale)

    async def queue(self, ctx: ActionContext) -> dict:
        return await self.queue_view(ctx.actor, ctx.locale)

    # --- the register ---------------------------------------------------------------------------
    async def register_card(self, actor: Member, values: dict, locale: str | None) -> dict:
        filters = filters_from(values)
        found = await self._cases.register(actor, filters)
        everything = await self._cases.register(actor, CaseFilter()) if filters != CaseFilter() else found
        years = sorted({c.year for c in everything} | {self._meetings.today().year}, reverse=True)
        return register_card(found, filters, years, self._units, self._links.link(actor.aad_object_id, filters),
                             locale)

    async def register_action(self, ctx: ActionContext) -> dict:
        return await self.register_card(ctx.actor, ctx.data, ctx.locale)

    async def register_view(self, actor: Member, locale: str | None) -> dict:
        """This year's cases: what the command and the home card open."""
        return await self.register_card(actor, {"year": str(self._meetings.today().year)}, locale)

    # --- the submitter --------------------------------------------------------------------------
    async def mine_view(self, actor: Member, locale: str | None) -> dict:
        return my_cases_card(await self._cases.mine(actor), locale)

    async def mine(self, ctx: ActionContext) -> dict:
        return await self.mine_view(ctx.actor, ctx.locale)

    async def answer(self, ctx: ActionContext) -> dict:
        case = await self._cases.answer(ctx.actor, ctx.payload.case_id, str(ctx.data.get("answer") or ""))
        return my_cases_card(await self._cases.mine(ctx.actor), ctx.locale,
                             t("cases.answer_sent", ctx.locale, reference=case.reference))

    async def withdraw(self, ctx: ActionContext) -> dict:
        case = await self._cases.withdraw(ctx.actor, ctx.payload.case_id)
        return my_cases_card(await self._cases.mine(ctx.actor), ctx.locale,
                             t("cases.withdrawn", ctx.locale, reference=case.reference))


def _triage_request(data: dict, with_topics: bool = False) -> TriageRequest:
    """Parse a triage card's inputs; anything malformed is a stale or forged card. Topics are read only from a
    card that showed them (an older card leaves the case's topics as they are)."""
    text = lambda key: str(data.get(key) or "").strip() or None  # noqa: E731
    try:
        decision = Triage(text("decision"))
        meeting = text("meeting_id")
        meeting = None if meeting == FIRST_AVAILABLE else meeting
        duplicate = text("duplicate_of")
        escalated_on = text("escalated_on")
        return TriageRequest(
            decision=decision, meeting_id=int(meeting) if meeting else None,
            final_type=CaseType(text("final_type")) if text("final_type") else None, reason=text("reason"),
            duplicate_of=int(duplicate) if duplicate else None, question=text("question"),
            escalated_on=date.fromisoformat(escalated_on) if escalated_on else None, reference=text("reference"),
            topics=split_choices(str(data.get("topics") or "")) if with_topics else None)
    except ValueError:
        raise InvalidInput("error.invalid_input") from None
