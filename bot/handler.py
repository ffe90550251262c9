"""The Teams activity handler: parses activities and dispatches; rules live in the services."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace

from botbuilder.core import BotAdapter, ConversationState, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.dialogs import DialogSet
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, InvokeResponse
from botbuilder.schema.teams import TeamInfo, TeamsChannelAccount

from bot.actions import ActionContext, ActionRegistry
from bot.cases import CasesFeature
from bot.hearings import HearingsFeature
from bot.identity import person_of, reference_of
from bot.meetings import MeetingsFeature
from bot.records import RecordsFeature
from bot.reminders import RemindersFeature
from bot.roles import RolesFeature
from bot.themes import ThemesFeature
from bot.turns import ACTOR_KEY, card_activity, card_command, card_invoke_response, command_text, with_home_link
from bot.votes import VotesFeature
from cards.actions import HELP_SHOW, VOTE_CAST, VOTE_REFRESH
from cards.common import error_card
from cards.home import destinations, home_card
from cards.texts import t
from cards.welcome import greeting, welcome_card
from council.audience import DEFAULT_AUDIENCE, Audience
from council.conversations import ConversationKind
from council.errors import DomainError
from council.members import Member
from council.services.activities import ActivityLog, Claim, Outcome
from council.services.conversations import ConversationService
from council.services.members import MemberService, PersonInfo
from dialogs.roles import SetRoleDialog

log = logging.getLogger(__name__)


def _is_execute(value: object) -> bool:
    action = value.get("action") if isinstance(value, dict) else None
    return isinstance(action, dict) and action.get("type") == "Action.Execute"

def _turn_key(activity: Activity) -> str | None:
    """The key that makes a message or invoke run once. Votes are cast and drawn with their own redelivery key
    in the ballot's transaction (council.services.votes), so their hot path pays for no second claim."""
    if activity.type not in ("message", "invoke") or not activity.id or activity.conversation is None:
        return None
    if activity.type == "invoke" and _is_execute(activity.value) and \
            activity.value["action"].get("verb") in OWN_REDELIVERY_KEY:
        return None
    return f"{activity.conversation.id}|{activity.id}"


def _invoke_answer(turn: TurnContext) -> dict | None:
    """An invoke's answer as stored for a redelivery."""
    sent = turn.turn_state.get(BotAdapter._INVOKE_RESPONSE_KEY)
    answer = getattr(sent, "value", None)
    if turn.activity.type != "invoke" or not isinstance(answer, InvokeResponse):
        return None
    return {"status": answer.status, "body": answer.body}


async def _answer_again(turn: TurnContext, claim: Claim) -> None:
    """A redelivered invoke gets the first delivery's answer, or word that it is still being worked on; a
    redelivered message gets nothing (its turn answers, or answered, once)."""
    if turn.activity.type != "invoke":
        return
    if claim.response is not None:
        answer = InvokeResponse(status=claim.response["status"], body=claim.response["body"])
    else:
        answer = InvokeResponse(status=200, body={"statusCode": 200, "value": t("error.busy", turn.activity.locale),
                                                  "type": "application/vnd.microsoft.activity.message"})
    await turn.send_activity(Activity(type=ActivityTypes.invoke_response, value=answer))


Command = Callable[[TurnContext, Member], Awaitable[None]]
CANCEL = {"avbryt", "cancel", "stopp"}
OWN_REDELIVERY_KEY = {VOTE_CAST, VOTE_REFRESH}
TURN_FAILED = "radsbot.turn_failed"


class RaadsbotHandler(TeamsActivityHandler):
    def __init__(self, *, members: MemberService, conversations: ConversationService, activities: ActivityLog,
                 conversation_state: ConversationState, cases: CasesFeature, meetings: MeetingsFeature,
                 hearings: HearingsFeature, records: RecordsFeature, votes: VotesFeature, themes: ThemesFeature,
                 reminders: RemindersFeature, agenda_audience: Audience | None = None, tab_url: str = "") -> None:
        self._members = members
        self._audience = agenda_audience or Audience.parse(DEFAULT_AUDIENCE)  # who sees agenda buttons
        self._tab_url = tab_url  # the tab in a browser, linked from the home card
        self._conversations = conversations
        self._activities = activities
        self._state = conversation_state
        self._dialogs = DialogSet(conversation_state.create_property("DialogState"))
        self._dialogs.add(SetRoleDialog(members))
        self._roles = RolesFeature(members, conversations)
        self.actions = ActionRegistry()
        self._destinations = destinations()
        self.actions.register(HELP_SHOW, self._home_action)
        self._roles.register(self.actions)
        self._cases = cases
        cases.register(self.actions)
        meetings.register(self.actions)
        hearings.register(self.actions)
        records.register(self.actions)
        votes.register(self.actions)
        themes.register(self.actions)
        reminders.register(self.actions)
        home, roles = card_command(self._home, home_link=False), card_command(self._roles.card)
        self._commands: dict[str, Command] = {
            "hjelp": home, "help": home, "?": home, "meny": home, "start": home, "roller": roles,
            "medlemmer og roller": roles, "medlemmer": roles, "sett rolle": self._set_role, **cases.commands(),
            **meetings.commands(), **hearings.commands(), **votes.commands(), **themes.commands(),
            **reminders.commands(),
        }

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Each message and invoke runs once, even when Teams delivers it again or a process died mid-turn
        (council.services.activities): the claim is kept when the turn completed and dropped when it failed."""
        key = _turn_key(turn_context.activity)
        if key is None:
            await self._turn(turn_context)
            return
        claim = await self._activities.claim(key)
        if claim.outcome is not Outcome.RUN:
            log.info("redelivered activity not run again (%s)", claim.outcome.value)
            await _answer_again(turn_context, claim)
            return
        try:
            await self._turn(turn_context)
        except BaseException:
            await self._activities.release(key)
            raise
        if turn_context.turn_state.get(TURN_FAILED):
            await self._activities.release(key)
        else:
            await self._activities.finish(key, _invoke_answer(turn_context))

    async def _turn(self, turn_context: TurnContext) -> None:
        person = person_of(turn_context.activity)
        if person and turn_context.activity.type in ("message", "invoke"):
            turn_context.turn_state[ACTOR_KEY] = await self._identify(turn_context, person)
        await super().on_turn(turn_context)
        await self._state.save_changes(turn_context)

    async def _identify(self, turn: TurnContext, person: PersonInfo) -> Member:
        """Activities carry no UPN (the Playground not even a name); look them up once so COUNCIL_LEADERS
        may list UPNs."""
        member = await self._members.resolve_actor(person)
        if member.upn is not None and member.name:
            return member
        try:
            account = await TeamsInfo.get_member(turn, turn.activity.from_property.id)
            upn = account.user_principal_name or account.email or ""
            name = person.name or account.name or ""
        except Exception:  # outside a team or a roster error: remember that there is no UPN to find
            log.info("no UPN available for a user")
            upn, name = "", person.name
        return await self._members.resolve_actor(replace(person, upn=upn, name=name))

    @staticmethod
    def _actor(turn: TurnContext) -> Member:
        """Someone Teams did not identify gets no roles (every check then refuses politely)."""
        actor = turn.turn_state.get(ACTOR_KEY)
        if actor is None:
            sender = turn.activity.from_property
            actor = Member(aad_object_id=(sender.id if sender else "") or "unknown", name=sender.name if sender
                           else "")
        return actor

    # --- messages -----------------------------------------------------------------------------
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self._remember_conversation(turn_context)
        if isinstance(activity.value, dict) and activity.value.get("verb"):  # Action.Submit fallback
            card = await self._run_action(turn_context, activity.value["verb"], activity.value)
            await turn_context.send_activity(card_activity(card))
            return
        await self._on_text(turn_context, command_text(turn_context))

    async def _on_text(self, turn: TurnContext, text: str) -> None:
        """A command wins over an active dialog and needs no dialog state: concurrent commands in one
        conversation then write no state that could conflict after they have answered."""
        actor = self._actor(turn)
        command = self._commands.get(text)
        if command is not None and text not in CANCEL:
            await command(turn, actor)
            return
        dialog = await self._dialogs.create_context(turn)
        if text in CANCEL:
            if dialog.active_dialog is None:
                await turn.send_activity(t("dialog.nothing", turn.activity.locale))
                return
            await dialog.cancel_all_dialogs()
            await turn.send_activity(t("dialog.cancelled", turn.activity.locale))
            return
        if dialog.active_dialog is not None:
            await dialog.continue_dialog()
            return
        await turn.send_activity(t("fallback.unknown", turn.activity.locale))

    async def _home(self, actor: Member, locale: str | None) -> dict:
        return home_card(actor, locale, reads_agenda=self._audience.admits(actor), tab_url=self._tab_url)

    async def _set_role(self, turn: TurnContext, actor: Member) -> None:
        if not actor.is_leader:
            await turn.send_activity(t("error.leader_only", turn.activity.locale))
            return
        dialog = await self._dialogs.create_context(turn)
        await dialog.cancel_all_dialogs()
        await dialog.begin_dialog(SetRoleDialog.ID)

    # --- card actions (Action.Execute) ----------------------------------------------------------
    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Card actions (Action.Execute) are read from the activity's JSON and answered with JSON: the SDK's
        model round trip in both directions would cost more than the action itself. A malformed Action.Execute
        is the client's fault: 400, not the SDK's unserialisable error."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)
        if not _is_execute(activity.value):
            return InvokeResponse(status=400, body={"statusCode": 400, "type": "application/vnd.microsoft.error",
                                                    "value": {"code": "BadRequest",
                                                              "message": "value.action must be an Action.Execute"}})
        action = activity.value["action"]
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb = action.get("verb") if isinstance(action.get("verb"), str) else ""
        return card_invoke_response(await self._run_action(turn_context, verb, data))

    async def _home_action(self, ctx: ActionContext) -> dict:
        return await self._home(ctx.actor, ctx.locale)

    async def _run_action(self, turn: TurnContext, verb: str, data: dict) -> dict:
        """Rule violations become an error card; a bug is logged with a reference, never a 500."""
        locale = turn.activity.locale
        try:
            card = await self.actions.dispatch(verb, ActionContext(turn, self._actor(turn), data, locale))
            if card is None:
                card = error_card(t("error.unknown_action", locale), locale)
        except DomainError as error:
            card = error_card(t(error.key, locale, **error.params), locale)
        except Exception:
            turn.turn_state[TURN_FAILED] = True  # a redelivery runs it again
            ref = uuid.uuid4().hex[:8]
            log.exception("action %s failed (ref %s)", verb, ref)
            card = error_card(t("error.generic", locale, ref=ref), locale)
        return with_home_link(turn, card) if verb in self._destinations else card

    # --- the message extension "Meld inn sak" ----------------------------------------------------
    async def on_teams_messaging_extension_fetch_task(self, turn_context: TurnContext, action):
        return await self._cases.fetch_task(turn_context, action)

    async def on_teams_messaging_extension_submit_action(self, turn_context: TurnContext, action):
        return await self._cases.submit_task(turn_context, self._actor(turn_context), action)

    # --- installation and membership ------------------------------------------------------------
    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._first_contact(turn_context)

    async def on_teams_members_added(self, members_added: list[TeamsChannelAccount], team_info: TeamInfo,
                                     turn_context: TurnContext) -> None:
        bot_id = turn_context.activity.recipient.id
        if any(m.id == bot_id for m in members_added):
            await self._first_contact(turn_context)
        elif team_info is not None:
            await self._roles.fetch_roster(turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount],
                                        turn_context: TurnContext) -> None:
        if any(m.id == turn_context.activity.recipient.id for m in members_added):
            await self._first_contact(turn_context)

    async def _remember_conversation(self, turn: TurnContext) -> bool:
        ref = reference_of(turn.activity)
        return await self._conversations.remember(ref) if ref else False

    async def _first_contact(self, turn: TurnContext) -> None:
        """Greet once per conversation, however many install events Teams sends."""
        if not await self._remember_conversation(turn):
            return
        ref = reference_of(turn.activity)
        locale = turn.activity.locale
        if ref.kind is not ConversationKind.PERSONAL:
            await turn.send_activity(card_activity(welcome_card(locale)))
        if ref.kind is ConversationKind.CHANNEL:
            try:
                await self._roles.fetch_roster(turn)
            except Exception:  # the welcome must not fail because the roster is unavailable
                log.exception("roster fetch on install failed")
        if ref.kind is ConversationKind.PERSONAL:
            person = person_of(turn.activity)
            member = await self._members.resolve_actor(person) if person else self._actor(turn)
            hello = greeting(locale, person.name if person else "")
            await turn.send_activity(card_activity(home_card(member, locale, greeting=hello, tab_url=self._tab_url,
                                                             reads_agenda=self._audience.admits(member))))
