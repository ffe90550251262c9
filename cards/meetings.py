"""Meeting cards: møteplan, upcoming meetings, oppfølgingsliste; and every meeting card, re-exported.

The agenda, notice and deputy cards live in cards/agenda.py (with the meeting facts all meeting cards
share), the minutes cards in cards/minutes.py; import any of them from here. Everything is
pure: plain domain objects in, Adaptive Card dicts out.
"""
from __future__ import annotations

from datetime import date, time

from cards.actions import (
    AGENDA_SHOW,
    FOLLOWUP_SHOW,
    FOLLOWUP_STATUS,
    MEETING_ADD,
    MEETING_CANCEL,
    MEETING_MOVE,
    MEETING_PLAN,
    MEETING_PLAN_SAVE,
    ActionRef,
    MeetingRef,
    PlanYear,
    execute,
)
from cards.agenda import (
    agenda_card,
    deadline_facts,
    deputy_invitation_card,
    local_date,
    meeting_facts,
    notice_card,
    notice_update_card,
)
from cards.common import card, text, title
from cards.elements import (
    action_set,
    choice_input,
    columns,
    date_input,
    heading_blocks,
    show_card,
    text_input,
    time_input,
)
from cards.minutes import minutes_approved_card, minutes_card, minutes_draft_card
from cards.texts import language, t
from cards.texts.format import EN_MONTHS, NB_MONTHS, format_date
from council.meetings import DeadlineRules, Meeting, MeetingStatus
from council.members import Member
from council.minutes import ActionItem, ActionStatus
from council.planning import ProposedMeeting, plan_warnings

__all__ = ["action_assigned_card", "agenda_card", "deputy_invitation_card", "follow_up_card", "meetings_card",
           "minutes_approved_card", "minutes_card", "minutes_draft_card", "notice_card", "notice_update_card",
           "plan_card", "plan_note", "skip_reason"]

MEETINGS_SHOWN = 15
ACTIONS_SHOWN = 40


# --- Møteplan {year} ----------------------------------------------------------------------------------------------


def plan_note(code: str, locale: str | None) -> str:
    """A planning note code ("moved_past_holiday:Skjærtorsdag") as text ("flyttet forbi Skjærtorsdag")."""
    name, _, argument = code.partition(":")
    if name == "moved_past_blocked" and argument:
        return t("plan.note.moved_past_blocked", locale, date=_iso_date_text(argument, locale))
    if name == "moved_past_soft_day":
        return t("plan.note.moved_past_soft_day", locale, day=argument)
    if name == "moved_past_holiday":
        return t("plan.note.moved_past_holiday", locale, name=argument)
    return t(f"plan.note.{name}", locale)


def skip_reason(code: str, locale: str | None) -> str:
    """Why a month has no proposal (YearPlan.skipped values)."""
    name, _, argument = code.partition(":")
    if name == "no_slot_after_pask":
        return t("plan.skip.no_slot_after_pask", locale, date=_iso_date_text(argument, locale))
    return t(f"plan.skip.{name}", locale)


def _iso_date_text(value: str, locale: str | None) -> str:
    try:
        return format_date(date.fromisoformat(value), locale)
    except ValueError:
        return value


def plan_card(year: int, proposals: list[ProposedMeeting], rules: DeadlineRules, locale: str | None,
              message: str | None = None, error: str | None = None, *,
              skipped: dict[int, str] | None = None) -> dict:
    """The leader's proposal for a year: one editable row per meeting, then 'Opprett møtene'."""
    body = heading_blocks(t("plan.title", locale, year=year), message, error)
    if not proposals:
        body.append(text(t("plan.empty", locale, year=year)))
        return card(body)
    body.append(text(t("plan.intro", locale), isSubtle=True))
    for index, proposal in enumerate(proposals):
        body.append(_plan_row(index, proposal, rules, locale))
    if skipped:
        months = EN_MONTHS if language(locale) == "en" else NB_MONTHS
        listed = ", ".join(f"{months[month - 1]} ({skip_reason(code, locale)})" for month, code in sorted(
            skipped.items()))
        body.append(text(t("plan.skipped", locale, months=listed), size="Small", isSubtle=True))
    body.append(text_input("place", t("meeting.place_or_link", locale), max_length=500))
    return card(body, [execute(t("plan.save", locale), MEETING_PLAN_SAVE,
                               {"year": str(year), "count": str(len(proposals))})])


def _plan_row(index: int, proposal: ProposedMeeting, rules: DeadlineRules, locale: str | None) -> dict:
    meeting = proposal.to_meeting()
    heading = f"**{t('plan.meeting', locale, number=index + 1)}: {format_date(proposal.date, locale, weekday=True)}**"
    pask = (t("plan.pask", locale, date=format_date(proposal.pask_date, locale)) if proposal.pask_date
            else t("plan.no_pask", locale))
    details = "; ".join([pask, *(plan_note(code, locale) for code in proposal.notes)])
    deadlines = t("plan.deadlines", locale, submission=format_date(meeting.submission_deadline(rules), locale),
                  notice=format_date(meeting.notice_date(rules), locale))
    items = [text(heading), text(details, size="Small", isSubtle=True, spacing="None"),
             text(deadlines, size="Small", isSubtle=True, spacing="None")]
    items += [text(t(f'plan.warning.{code}', locale), size="Small", color="Warning", spacing="None")
              for code in plan_warnings(proposal.date)]
    items.append({"type": "ColumnSet", "columns": [
        {"type": "Column", "width": "stretch",
         "items": [date_input(f"date_{index}", t("meeting.date", locale), proposal.date, locale)]},
        {"type": "Column", "width": "stretch",
         "items": [time_input(f"start_{index}", t("meeting.start", locale), proposal.start, locale)]},
        {"type": "Column", "width": "stretch",
         "items": [time_input(f"end_{index}", t("meeting.end", locale), proposal.end, locale)]},
        {"type": "Column", "width": "auto", "verticalContentAlignment": "Bottom", "items": [
            {"type": "Input.Toggle", "id": f"include_{index}", "title": t("plan.include", locale),
             "label": t("plan.include", locale), "value": "true", "valueOn": "true", "valueOff": "false"}]},
    ]})
    return {"type": "Container", "separator": True, "items": items}


# --- Upcoming meetings -------------------------------------------------------------------------------------------


def meetings_card(meetings: list[Meeting], rules: DeadlineRules, locale: str | None, is_organiser: bool,
                  message: str | None = None, error: str | None = None, ics_url: str | None = None, *,
                  plan_year: int | None = None, this_year: int | None = None) -> dict:
    """Upcoming meetings with time, place and the three deadlines; organisers can move, cancel and add.

    `plan_year` is the year the 'Foreslå møteplan' button proposes (default: the year after the last meeting, or
    after `this_year` when none is planned; without either, no button).
    """
    body = heading_blocks(t("meetings.title", locale), message, error)
    if not meetings:
        body.append(text(t("meetings.empty", locale)))
    for meeting in meetings[:MEETINGS_SHOWN]:
        body.append(_meeting_block(meeting, rules, locale, is_organiser))
    if len(meetings) > MEETINGS_SHOWN:
        body.append(text(t("meeting.more", locale, count=len(meetings) - MEETINGS_SHOWN), isSubtle=True))
    actions = []
    if is_organiser:
        actions.append(show_card(t("meetings.add", locale), [
            date_input("date", t("meeting.date", locale), None, locale),
            columns(time_input("start", t("meeting.start", locale), time(9, 0), locale),
                    time_input("end", t("meeting.end", locale), time(11, 0), locale)),
            text_input("place", t("meeting.place_or_link", locale), max_length=500),
        ], execute(t("meetings.add_save", locale), MEETING_ADD)))
        last_year = max(m.date.year for m in meetings) if meetings else this_year
        next_year = plan_year or (last_year + 1 if last_year else None)
        if next_year:
            actions.append(execute(t("plan.propose", locale, year=next_year), MEETING_PLAN, PlanYear(next_year),
                                   validate=False))
    if ics_url:
        actions.append({"type": "Action.OpenUrl", "title": t("meetings.ics", locale), "url": ics_url})
    return card(body, actions)


def _meeting_block(meeting: Meeting, rules: DeadlineRules, locale: str | None, is_organiser: bool) -> dict:
    cancelled = meeting.status is MeetingStatus.CANCELLED
    heading = format_date(meeting.date, locale, weekday=True)
    if cancelled:
        heading = f"~~{heading}~~ – {t('meeting.cancelled', locale)}"
    items = [text(f"**{heading}**")]
    if cancelled:
        return {"type": "Container", "separator": True, "items": items}
    items.append({"type": "FactSet", "facts": meeting_facts(meeting, locale)[1:] + deadline_facts(
        meeting, rules, locale)})
    if meeting.notice_published_at is not None:
        items.append(text(t("meetings.notice_sent", locale, date=format_date(local_date(
            meeting.notice_published_at), locale)), size="Small", isSubtle=True))
    if is_organiser and meeting.id is not None:
        mid = meeting.id
        items.append(action_set([
            show_card(t("meetings.move", locale), [
                date_input(f"date_{mid}", t("meeting.date", locale), meeting.date, locale),
                columns(time_input(f"start_{mid}", t("meeting.start", locale), meeting.start, locale),
                        time_input(f"end_{mid}", t("meeting.end", locale), meeting.end, locale)),
                text_input(f"place_{mid}", t("meeting.place_or_link", locale), meeting.place, max_length=500),
            ], execute(t("meetings.move_save", locale), MEETING_MOVE, MeetingRef(mid))),
            execute(t("meetings.agenda", locale), AGENDA_SHOW, MeetingRef(mid), validate=False),
            execute(t("meetings.cancel", locale), MEETING_CANCEL, MeetingRef(mid), validate=False),
        ]))
    return {"type": "Container", "separator": True, "items": items}


# --- Oppfølgingsliste ----------------------------------------------------------------------------------------------


def action_status_label(status: ActionStatus, locale: str | None) -> str:
    return t(f"action_status.{status.value}", locale)


def follow_up_card(actions: list[ActionItem], today: date, locale: str | None, actor: Member,
                   message: str | None = None) -> dict:
    """Open action items, soonest due first; the owner (or leader/secretary) can change the status."""
    body = heading_blocks(t("followup.title", locale), message, None)
    if not actions:
        body.append(text(t("followup.empty", locale)))
    ordered = sorted(actions, key=lambda a: (a.due, a.id or 0))
    for action in ordered[:ACTIONS_SHOWN]:
        body.append(_action_block(action, today, locale, actor))
    if len(ordered) > ACTIONS_SHOWN:
        body.append(text(t("meeting.more", locale, count=len(ordered) - ACTIONS_SHOWN), isSubtle=True))
    return card(body)


def _action_block(action: ActionItem, today: date, locale: str | None, actor: Member) -> dict:
    due = format_date(action.due, locale)
    overdue = action.overdue(today)
    if overdue:
        due = f"{due} – {t('followup.overdue', locale)}"
    items = [text(f"**{action.what}**"),
             text(f"{t('followup.owner', locale)}: {action.owner_name} · {t('followup.status', locale)}: "
                  f"{action_status_label(action.status, locale)}", isSubtle=True, spacing="None"),
             text(f"{t('followup.due', locale)}: {due}", spacing="None",
                  **({"color": "Attention", "weight": "Bolder"} if overdue else {"isSubtle": True}))]
    if action.id is not None and (actor.aad_object_id == action.owner or actor.is_organiser):
        choices = [{"title": action_status_label(s, locale), "value": s.value} for s in ActionStatus]
        items.append(action_set([show_card(t("followup.change", locale), [
            choice_input(f"status_{action.id}", t("followup.new_status", locale), choices, action.status.value,
                         required=True, style="expanded")],
            execute(t("followup.save", locale), FOLLOWUP_STATUS, ActionRef(action.id)))]))
    return {"type": "Container", "separator": True, "items": items}


def action_assigned_card(action: ActionItem, locale: str | None) -> dict:
    """Personal message to the owner of a new action item."""
    return card([
        title(t("followup.assigned_title", locale)),
        text(t("followup.assigned_body", locale), isSubtle=True),
        text(f"**{action.what}**"),
        {"type": "FactSet", "facts": [
            {"title": t("followup.owner", locale), "value": action.owner_name},
            {"title": t("followup.due", locale), "value": format_date(action.due, locale)},
            {"title": t("followup.status", locale), "value": action_status_label(action.status, locale)}]},
    ], [execute(t("followup.title", locale), FOLLOWUP_SHOW, validate=False)])
