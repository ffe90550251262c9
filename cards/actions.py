"""Every card verb, defined once, and the typed payload each carries: cards `pack()` it into a button's data,
the bot `parse()`s it back (as aiogram's CallbackData does), so sender and receiver cannot drift apart."""
from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any, get_type_hints

from council.errors import InvalidInput
from council.members import Role

HELP_SHOW = "help.show"
ROLES_SHOW = "roles.show"
ROLES_ASSIGN = "roles.assign"
ROLES_SYNC = "roles.sync"


def parse_id(raw: object) -> int:
    """Ids arrive as strings or numbers; anything else is a stale or forged button."""
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit():
        raise InvalidInput("error.invalid_input")
    return int(text)


class Payload:
    """The fixed data of a button, as a frozen dataclass. Fields may be `int`, `str`, `bool` or optional
    `int | None` / `str | None`; the card's own inputs travel beside it in the same dict and are ignored here."""

    def pack(self) -> dict[str, str]:
        """Strings only, as Teams echoes them; `None` and `False` are left out."""
        packed = {}
        for field in fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if value is None or value is False:
                continue
            packed[field.name] = "true" if value is True else str(value)
        return packed

    @classmethod
    def parse(cls, data: dict) -> Any:
        """The payload a pressed button carried; a stale or forged one raises InvalidInput."""
        hints = _hints(cls)
        return cls(**{f.name: _convert(data.get(f.name), hints[f.name]) for f in fields(cls)})  # type: ignore


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _convert(raw: object, kind: Any) -> object:
    empty = raw is None or str(raw).strip() == ""
    if kind is bool:
        return str(raw).strip().lower() in ("true", "1")
    if kind is int:
        return parse_id(raw)
    if kind == int | None:
        return None if empty else parse_id(raw)
    if kind == str | None:
        return None if empty else str(raw)
    return "" if raw is None else str(raw)


@dataclass(frozen=True)
class NoData(Payload):
    """A button that carries nothing (the card's inputs, if any, are read by the handler)."""



def execute(title: str, verb: str, data: dict | Payload | None = None, *, validate: bool = True) -> dict:
    """An Action.Execute button; `validate=False` sends without the card's inputs (Cancel-like)."""
    if isinstance(data, Payload):
        data = data.pack()
    action = {"type": "Action.Execute", "title": title, "verb": verb, "data": data or {}}
    if not validate:
        action["associatedInputs"] = "none"
    return action


@dataclass(frozen=True)
class AssignRoles:
    person: str
    roles: frozenset[Role]
    unit: str | None
    deputy_for: str | None

    @classmethod
    def parse(cls, data: dict) -> "AssignRoles":
        """Inputs arrive as strings; a multi-select ChoiceSet joins its values with commas."""
        person = str(data.get("person") or "").strip()
        if not person:
            raise InvalidInput("roles.person_required")
        raw_roles = [r for r in str(data.get("roles") or "").split(",") if r.strip()]
        try:
            roles = frozenset(Role(r.strip()) for r in raw_roles)
        except ValueError:
            raise InvalidInput("error.invalid_input") from None
        return cls(person, roles, _opt(data.get("unit")), _opt(data.get("deputy_for")))


def _opt(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None

CASE_FORM = "case.form"
CASE_SUBMIT = "case.submit"
CASE_EDIT = "case.edit"
CASE_TRIAGE = "case.triage"
CASE_VIEW = "case.view"
CASE_ANSWER = "case.answer"
CASE_WITHDRAW = "case.withdraw"
CASE_DLG_OUTCOME = "case.dlg_outcome"
CASE_MINE = "case.mine"
CASE_QUEUE = "case.queue"
CASE_REGISTER = "case.register"


def submit(title: str, verb: str, data: dict | Payload | None = None) -> dict:
    """Action.Submit for task modules (the message extension), where Action.Execute does not apply."""
    if isinstance(data, Payload):
        data = data.pack()
    return {"type": "Action.Submit", "title": title, "data": {"verb": verb, **(data or {})}}



# Meetings (issue: meeting plan, agenda, notice, attendance, minutes, follow-up)
MEETING_PLAN = "meeting.plan"  # {year}
MEETING_PLAN_SAVE = "meeting.plan_save"  # {year, count}; inputs date_<i>, start_<i>, end_<i>, include_<i>, place
MEETING_LIST = "meeting.list"
MEETING_ADD = "meeting.add"  # inputs date, start, end, place
MEETING_MOVE = "meeting.move"  # {meeting_id}; inputs date_<id>, start_<id>, end_<id>, place_<id>
MEETING_CANCEL = "meeting.cancel"  # {meeting_id}
AGENDA_SHOW = "agenda.show"  # {meeting_id}
AGENDA_MOVE = "agenda.move"  # {item_id, steps: "-1" | "1"}
AGENDA_SET = "agenda.set"  # {item_id}; inputs presenter_<id>, minutes_<id>
# agenda.paper also sends proposal_<id> for Beslutningssaker and Høringssaker
AGENDA_PAPER = "agenda.paper"  # {item_id}; inputs background_<id>
AGENDA_PAPER_SHOW = "agenda.paper_show"  # {item_id}
AGENDA_TO_MEETING = "agenda.to_meeting"  # {item_id}; input target_<id>
AGENDA_ADD_STANDING = "agenda.add_standing"  # {meeting_id}; input standing_title
NOTICE_PUBLISH = "notice.publish"  # {meeting_id}
ATTENDANCE_ABSENT = "attendance.absent"  # {meeting_id}
ATTENDANCE_PRESENT = "attendance.present"  # {meeting_id}
MINUTES_SHOW = "minutes.show"  # {meeting_id}
MINUTES_RECORD = "minutes.record"  # {item_id}; inputs outcome_<id>, discussion_<id>, text_<id>, dissent_<id>, protocol_<id>  # noqa: E501
MINUTES_ACTION = "minutes.action"  # {item_id}; inputs what_<id>, owner_<id>, due_<id>
MINUTES_ATTENDANCE = "minutes.attendance"  # {meeting_id}; inputs present (joined AAD ids), chair, minute_taker, guests
MINUTES_PUBLISH = "minutes.publish"  # {meeting_id}
MINUTES_APPROVE = "minutes.approve"  # {meeting_id}
FOLLOWUP_SHOW = "followup.show"
FOLLOWUP_STATUS = "followup.status"  # {action_id}; input status_<id>
PASK_SYNC = "pask.sync"



# Hearings and votes
HEARING_LIST = "hearing.list"  # {include_closed?: "true"}
HEARING_FORM = "hearing.form"  # {hearing_id?} (edit an existing registration)
HEARING_SAVE = "hearing.save"  # {hearing_id?, version?, pii_confirmed?, keep_draft?}; inputs title, sender,
# their_reference, our_reference (Vår referanse / saksnummer), journal_number, received (date),
# external_deadline (date), internal_deadline (date, optional: empty = the default working days before), links,
# owner (AAD id ChoiceSet), draft_text, draft_link
HEARING_LETTER = "hearing.letter"  # {hearing_id}
HEARING_SENT = "hearing.sent"  # {hearing_id, version}; inputs journal_<id>
HEARING_STATUS = "hearing.status"  # {hearing_id, version}; inputs status_<id>, decision_<id>?, response_<id>?
HEARING_AGENDA = "hearing.agenda"  # {hearing_id, version}; input meeting_<id>
VOTE_FORM = "vote.form"  # {hearing_id?}
VOTE_OPEN = "vote.open"  # {hearing_id?, pii_confirmed?}; inputs question, proposal, deadline_date, deadline_time,
# secret ("true"/"false"), live_tally ("true"/"false"), quorum (council.votes.Quorum), majority (Majority)
VOTE_CAST = "vote.cast"  # {vote_id, choice (council.votes.Choice value)}; input comment_<vote_id> (Enig med merknader)
VOTE_REFRESH = "vote.refresh"  # {vote_id}; the card's refresh action (answer with the user-specific view)
VOTE_CLOSE = "vote.close"  # {vote_id}
VOTE_EXTEND = "vote.extend"  # {vote_id}; inputs extend_date, extend_time
VOTE_CANCEL = "vote.cancel"  # {vote_id}; input cancel_reason
VOTE_EXPORT = "vote.export"  # {vote_id}

# Theme meetings for the leadership network
THEMES_SHOW = "themes.show"  # the list (organisers: with tools)
THEMES_PROPOSE = "themes.propose"  # {year?, count?} or inputs year, count: the planning form
THEMES_PLAN = "themes.plan"  # inputs topic, date, other_date, start, end, place
THEMES_RSVP = "themes.rsvp"  # {theme_id, answer}
THEMES_ATTENDANCE = "themes.attendance"  # {theme_id}
THEMES_SUGGEST = "themes.suggest"  # input text; {pii_confirmed?}; without text: the form and the list
THEMES_SUMMARY = "themes.summary"  # {theme_id}; with input summary (and {send: "1"}): post it
THEMES_CANCEL = "themes.cancel"  # {theme_id}

# Reminder settings (leader)
REMINDERS_SHOW = "reminders.show"
REMINDERS_SAVE = "reminders.save"  # inputs enabled_<rule> ("true"/"false"), offset_<rule>, at_<rule> ("HH:MM")

# Messages that may not have been delivered (leader)
OUTBOX_UNDELIVERED = "outbox.undelivered"  # the list
OUTBOX_RESEND = "outbox.resend"  # {message_id, confirmed?: "true"}; without confirmed: the confirmation card
OUTBOX_DISMISS = "outbox.dismiss"  # {message_id}: «Marker som håndtert»

# Implementation of felles-praksis decisions per unit (the decision register's benefits)
IMPLEMENTATION_SHOW = "implementation.show"  # the open decisions with the viewer's units' statuses
IMPLEMENTATION_SET = "implementation.set"  # {item_id}; inputs status_<id>, on_<id> (date), unit_<id> (several units)

# --- the payloads ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRef(Payload):
    case_id: int


@dataclass(frozen=True)
class CaseSubmit(Payload):
    pii_confirmed: bool = False


@dataclass(frozen=True)
class CaseTriage(Payload):
    case_id: int
    version: int | None = None
    decision: str = ""
    with_topics: bool = False  # the card showed the topics input: an empty one means «no topics»


@dataclass(frozen=True)
class MeetingRef(Payload):
    meeting_id: int


@dataclass(frozen=True)
class MaybeMeeting(Payload):
    """A meeting, or none: then the card a person expects (the next meeting's agenda, the latest minutes)."""
    meeting_id: int | None = None


@dataclass(frozen=True)
class PlanYear(Payload):
    year: int


@dataclass(frozen=True)
class PlanSave(Payload):
    year: int
    count: int


@dataclass(frozen=True)
class ItemRef(Payload):
    item_id: int


@dataclass(frozen=True)
class ItemMove(Payload):
    item_id: int
    steps: str = "1"

    @property
    def offset(self) -> int:
        return -1 if self.steps == "-1" else 1


@dataclass(frozen=True)
class ActionRef(Payload):
    action_id: int


@dataclass(frozen=True)
class HearingList(Payload):
    include_closed: bool = False


@dataclass(frozen=True)
class MaybeHearing(Payload):
    hearing_id: int | None = None


@dataclass(frozen=True)
class HearingSave(Payload):
    hearing_id: int | None = None
    version: int | None = None
    pii_confirmed: bool = False
    keep_draft: bool = False


@dataclass(frozen=True)
class HearingRef(Payload):
    hearing_id: int
    version: int


@dataclass(frozen=True)
class HearingId(Payload):
    hearing_id: int


@dataclass(frozen=True)
class VoteOpen(Payload):
    hearing_id: int | None = None
    pii_confirmed: bool = False


@dataclass(frozen=True)
class VoteRef(Payload):
    vote_id: int


@dataclass(frozen=True)
class VoteCast(Payload):
    vote_id: int
    choice: str = ""


@dataclass(frozen=True)
class ThemeRef(Payload):
    theme_id: int


@dataclass(frozen=True)
class ThemesPropose(Payload):
    year: int | None = None
    count: int | None = None


@dataclass(frozen=True)
class ThemesPlan(Payload):
    year: int | None = None


@dataclass(frozen=True)
class ThemeRsvp(Payload):
    theme_id: int
    answer: str = ""


@dataclass(frozen=True)
class ThemesSuggest(Payload):
    pii_confirmed: bool = False


@dataclass(frozen=True)
class ThemeSummary(Payload):
    theme_id: int
    send: bool = False
    pii_confirmed: bool = False


@dataclass(frozen=True)
class OutboxRef(Payload):
    message_id: int


@dataclass(frozen=True)
class OutboxResend(Payload):
    message_id: int
    confirmed: bool = False


@dataclass(frozen=True)
class DecisionRef(Payload):
    item_id: int


# Every verb and the payload its buttons carry: the bot registers exactly one handler per verb (a test checks).
PAYLOADS: dict[str, type[Payload]] = {
    HELP_SHOW: NoData, ROLES_SHOW: NoData, ROLES_ASSIGN: NoData, ROLES_SYNC: NoData,
    CASE_FORM: NoData, CASE_SUBMIT: CaseSubmit, CASE_EDIT: NoData, CASE_TRIAGE: CaseTriage, CASE_VIEW: CaseRef,
    CASE_ANSWER: CaseRef, CASE_WITHDRAW: CaseRef, CASE_DLG_OUTCOME: CaseRef, CASE_MINE: NoData, CASE_QUEUE: NoData,
    CASE_REGISTER: NoData,
    MEETING_PLAN: PlanYear, MEETING_PLAN_SAVE: PlanSave, MEETING_LIST: NoData, MEETING_ADD: NoData,
    MEETING_MOVE: MeetingRef, MEETING_CANCEL: MeetingRef, AGENDA_SHOW: MaybeMeeting, AGENDA_MOVE: ItemMove,
    AGENDA_SET: ItemRef, AGENDA_TO_MEETING: ItemRef, AGENDA_ADD_STANDING: MeetingRef, NOTICE_PUBLISH: MeetingRef,
    ATTENDANCE_ABSENT: MeetingRef, ATTENDANCE_PRESENT: MeetingRef, MINUTES_SHOW: MaybeMeeting,
    MINUTES_RECORD: ItemRef, MINUTES_ACTION: ItemRef, MINUTES_ATTENDANCE: MeetingRef, MINUTES_PUBLISH: MeetingRef,
    MINUTES_APPROVE: MeetingRef, FOLLOWUP_SHOW: NoData, FOLLOWUP_STATUS: ActionRef, PASK_SYNC: NoData,
    HEARING_LIST: HearingList, HEARING_FORM: MaybeHearing, HEARING_SAVE: HearingSave, HEARING_STATUS: HearingRef,
    HEARING_AGENDA: HearingRef, VOTE_FORM: MaybeHearing, VOTE_OPEN: VoteOpen, VOTE_CAST: VoteCast,
    VOTE_REFRESH: VoteRef, VOTE_CLOSE: VoteRef, VOTE_EXTEND: VoteRef, VOTE_CANCEL: VoteRef, VOTE_EXPORT: VoteRef,
    THEMES_SHOW: NoData, THEMES_PROPOSE: ThemesPropose, THEMES_PLAN: ThemesPlan, THEMES_RSVP: ThemeRsvp,
    THEMES_ATTENDANCE: ThemeRef, THEMES_SUGGEST: ThemesSuggest, THEMES_SUMMARY: ThemeSummary, THEMES_CANCEL: ThemeRef,
    REMINDERS_SHOW: NoData, REMINDERS_SAVE: NoData,
    AGENDA_PAPER: ItemRef, AGENDA_PAPER_SHOW: ItemRef, HEARING_LETTER: HearingId, HEARING_SENT: HearingRef,
    OUTBOX_UNDELIVERED: NoData, OUTBOX_RESEND: OutboxResend, OUTBOX_DISMISS: OutboxRef,
    IMPLEMENTATION_SHOW: NoData, IMPLEMENTATION_SET: DecisionRef,
}
