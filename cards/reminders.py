"""Reminder messages (the ReminderMessages port), the leader's weekly digest and the reminder settings card."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from cards.actions import ATTENDANCE_ABSENT, ATTENDANCE_PRESENT, OUTBOX_UNDELIVERED, REMINDERS_SAVE, MeetingRef, execute
from cards.case_messages import activity
from cards.common import card, notice, text, title
from cards.labels import meeting_label
from cards.texts import language, t
from cards.texts.format import EN_WEEKDAYS, NB_WEEKDAYS, format_date, format_time
from cards.undelivered import undelivered_line
from council.cases import Case
from council.meetings import Meeting
from council.minutes import ActionItem
from council.reminders import UNITS, Digest, ReminderSettings, Rule, Unit


def _message(body: str, heading: str | None = None) -> dict:
    blocks = [title(heading), text(body)] if heading else [text(body)]
    return activity(card(blocks), body)


class CardReminderMessages:
    """The ReminderMessages port, implemented with cards. Channel posts are bokmål; 1:1s follow the locale."""

    def __init__(self, tz: ZoneInfo = ZoneInfo("Europe/Oslo")) -> None:
        self._tz = tz

    def submission_deadline(self, meeting: Meeting, deadline: date) -> dict:
        return _message(t("reminders.submission_deadline", None, meeting=meeting_label(meeting, None),
                           deadline=format_date(deadline, None)))

    def notice_published(self, meeting: Meeting) -> dict:
        return _message(t("reminders.notice_published", None, meeting=meeting_label(meeting, None)))

    def meeting_tomorrow(self, meeting: Meeting) -> dict:
        return _message(t("reminders.meeting_tomorrow", None, meeting=meeting_label(meeting, None),
                           time=format_time(meeting.start, None)))

    def meeting_tomorrow_personal(self, meeting: Meeting, locale: str | None) -> dict:
        body = t("reminders.meeting_tomorrow_personal", locale, meeting=meeting_label(meeting, locale),
                  time=format_time(meeting.start, locale))
        data = MeetingRef(meeting.id).pack()
        actions = [execute(t("invite.present", locale), ATTENDANCE_PRESENT, data, validate=False),
                   execute(t("invite.absent", locale), ATTENDANCE_ABSENT, data, validate=False)]
        return activity(card([text(body)], actions), body)

    def minutes_awaiting_approval(self, meeting: Meeting) -> dict:
        return _message(t("reminders.minutes_awaiting_approval", None, meeting=meeting_label(meeting, None)))

    def action_due(self, action: ActionItem, overdue: bool, locale: str | None) -> dict:
        key = "reminders.action_overdue" if overdue else "reminders.action_due"
        return _message(t(key, locale, what=action.what, due=format_date(action.due, locale)))

    def case_waiting(self, case: Case, age_days: int, locale: str | None) -> dict:
        return _message(t("reminders.case_waiting", locale, reference=case.reference, title=case.title,
                           days=age_days))

    def digest(self, digest: Digest, locale: str | None) -> dict:
        heading = t("reminders.digest_title", locale, week=digest.today.isocalendar().week)
        body = [title(heading)]
        if digest.open_cases:
            body.append(text(t("reminders.digest_queue", locale, count=digest.open_cases,
                                oldest=digest.oldest_days, average=digest.average_days)))
        else:
            body.append(text(t("reminders.digest_queue_empty", locale)))
        body.append(text(t("reminders.digest_deadlines", locale), weight="Bolder"))
        lines = [_deadline_line(d, locale) for d in digest.deadlines]
        body.append(text("\n".join(f"- {line}" for line in lines) if lines
                         else t("reminders.digest_no_deadlines", locale)))
        body.append(text(t("reminders.digest_overdue", locale), weight="Bolder"))
        overdue = [t("reminders.overdue_line", locale, date=format_date(a.due, locale), what=a.what,
                      owner=a.owner_name) for a in digest.overdue]
        body.append(text("\n".join(f"- {line}" for line in overdue) if overdue
                         else t("reminders.digest_no_overdue", locale)))
        actions = []
        if digest.undelivered_total:  # only when there is something to decide
            body.append(text(t("reminders.digest_undelivered", locale, count=digest.undelivered_total),
                             weight="Bolder", color="Warning"))
            lines = [undelivered_line(item, self._tz, locale) for item in digest.undelivered]
            body.append(text("\n".join(f"- {line}" for line in lines)))
            actions.append(execute(t("reminders.digest_undelivered_open", locale), OUTBOX_UNDELIVERED))
        return activity(card(body, actions), heading)


def _deadline_line(deadline, locale: str | None) -> str:
    on = format_date(deadline.on, locale, weekday=True)
    if deadline.action is not None:
        return t("reminders.deadline.action", locale, date=on, what=deadline.action.what,
                  owner=deadline.action.owner_name)
    meeting = meeting_label(deadline.meeting, locale) if deadline.meeting else ""
    return t(f"reminders.deadline.{deadline.kind}", locale, date=on, meeting=meeting)


def reminder_settings_card(settings: ReminderSettings, locale: str | None, message: str | None = None,
                           error: str | None = None) -> dict:
    """One toggle, one number and (except vote closing) a time of day per rule; saved with REMINDERS_SAVE. A
    `message` is a success (green), an `error` a refusal (red)."""
    body = [title(t("reminders.settings_title", locale)), text(t("reminders.settings_intro", locale))]
    if message:
        body.append(notice(message))
    if error:
        body.append(notice(error, color="Attention"))
    for rule in Rule:
        s = settings[rule]
        label = t(f"reminders.rule.{rule.value}", locale)
        body.append({"type": "Input.Toggle", "id": f"enabled_{rule.value}", "title": label, "label": label,
                     "valueOn": "true", "valueOff": "false", "value": "true" if s.enabled else "false"})
        columns = [{"type": "Column", "width": "stretch", "items": [_offset_input(rule, s.offset, locale)]}]
        if rule is not Rule.VOTE_CLOSING:
            columns.append({"type": "Column", "width": "stretch", "items": [
                {"type": "Input.Time", "id": f"at_{rule.value}", "value": s.at.strftime("%H:%M"),
                 "label": t("reminders.at_label", locale), "isRequired": True}]})
        body.append({"type": "ColumnSet", "columns": columns})
    return card(body, [execute(t("reminders.save", locale), REMINDERS_SAVE)])


def _offset_input(rule: Rule, offset: int, locale: str | None) -> dict:
    """A number, or for the weekly digest a choice of weekday (mandag … fredag; the value stays 0–4)."""
    label = t(f"reminders.unit.{UNITS[rule].value}", locale)
    if UNITS[rule] is Unit.WEEKDAY:
        names = EN_WEEKDAYS if language(locale) == "en" else NB_WEEKDAYS
        return {"type": "Input.ChoiceSet", "id": f"offset_{rule.value}", "value": str(offset), "label": label,
                "isRequired": True, "choices": [{"title": names[d], "value": str(d)} for d in range(5)]}
    return {"type": "Input.Number", "id": f"offset_{rule.value}", "value": offset, "label": label, "min": 0,
            "isRequired": True}


def settings_changes(data: dict) -> dict:
    """The card's inputs as ReminderService.update_settings changes ({rule: {enabled, offset, at}})."""
    changes: dict[str, dict] = {}
    for rule in Rule:
        change = {}
        for field in ("enabled", "offset", "at"):
            value = data.get(f"{field}_{rule.value}")
            if value is not None and str(value).strip() != "":
                change[field] = str(value).strip()
        if change:
            changes[rule.value] = change
    return changes
