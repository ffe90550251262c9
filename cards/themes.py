"""Theme meeting cards (temamøter i ledernettverket): the list, the planning form with proposed dates, each
member's 1:1 invitation with Kommer / Kommer ikke / Usikker (updated in place with their answer), the reminder,
the attendance list, topic suggestions, the summary form and the summary itself.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cards.actions import (
    THEMES_ATTENDANCE,
    THEMES_CANCEL,
    THEMES_PLAN,
    THEMES_PROPOSE,
    THEMES_RSVP,
    THEMES_SHOW,
    THEMES_SUGGEST,
    THEMES_SUMMARY,
    ThemeRef,
    ThemeRsvp,
    execute,
)
from cards.agenda import time_range
from cards.case_messages import activity
from cards.common import card, notice, privacy_notice, text, title
from cards.elements import (
    action_set,
    choice_input,
    columns,
    date_input,
    heading_blocks,
    shorten,
    text_input,
    time_input,
)
from cards.texts import t
from cards.texts.format import format_date
from council.themes import AttendanceLine, Rsvp, ThemeMeeting, ThemeRules, ThemeStatus, TopicSuggestion

VERBS = (THEMES_SHOW, THEMES_PROPOSE, THEMES_PLAN, THEMES_RSVP, THEMES_ATTENDANCE, THEMES_SUGGEST, THEMES_SUMMARY,
         THEMES_CANCEL)

def answer_label(answer: Rsvp | None, locale: str | None) -> str:
    return t(f"themes.answer.{answer.value}" if answer else "themes.answer.none", locale)


def when_text(theme: ThemeMeeting, locale: str | None) -> str:
    return f"{format_date(theme.date, locale, weekday=True)} {time_range(theme.start, theme.end, locale)}"


def _place_text(place: str, locale: str | None) -> str:
    if place.startswith(("https://", "http://")):
        return f"[{t('themes.teams_link', locale)}]({place})"
    return place or t("themes.place_none", locale)


def _facts(theme: ThemeMeeting, locale: str | None) -> dict:
    return {"type": "FactSet", "facts": [
        {"title": t("themes.when", locale), "value": when_text(theme, locale)},
        {"title": t("themes.where", locale), "value": _place_text(theme.place, locale)}]}


def _id(theme: ThemeMeeting) -> str:
    return str(theme.id)


def rsvp_buttons(theme: ThemeMeeting, locale: str | None) -> list[dict]:
    return [execute(answer_label(a, locale), THEMES_RSVP, ThemeRsvp(theme.id, a.value),
                    validate=False) for a in Rsvp]


# --- the member's 1:1 cards -----------------------------------------------------------------------------------------


def invitation_card(theme: ThemeMeeting, answer: Rsvp | None, locale: str | None = None, *,
                    message: str | None = None) -> dict:
    """The invitation; the bot sends it, updates it with the member's answer, and without buttons once the
    meeting is held or cancelled."""
    body = [title(t("themes.invitation_title", locale, topic=theme.topic)),
            text(t("themes.invitation_intro", locale)), _facts(theme, locale)]
    if message:
        body.append(notice(message))
    actions = []
    if theme.status is ThemeStatus.CANCELLED:
        body.append(notice(t("themes.cancelled_notice", locale), color="Attention"))
    elif theme.status is ThemeStatus.HELD:
        body.append(text(t("themes.held_notice", locale), isSubtle=True))
    else:
        if answer is not None:
            body.append(notice(t("themes.you_answered", locale, answer=answer_label(answer, locale))))
            body.append(text(t("themes.change_answer", locale), isSubtle=True, size="Small"))
        else:
            body.append(text(t("themes.please_answer", locale)))
        actions = rsvp_buttons(theme, locale)
    return card(body, actions)


def reminder_card(theme: ThemeMeeting, locale: str | None = None) -> dict:
    return card([title(t("themes.reminder_title", locale, topic=theme.topic)),
                 text(t("themes.reminder_body", locale)), _facts(theme, locale)], rsvp_buttons(theme, locale))


def summary_card(theme: ThemeMeeting, locale: str | None = None) -> dict:
    return card([title(t("themes.summary_title", locale, topic=theme.topic)),
                 text(format_date(theme.date, locale), isSubtle=True), text(theme.summary),
                 text(t("themes.suggest_next", locale), isSubtle=True, size="Small")],
                [execute(t("themes.suggest_button", locale), THEMES_SUGGEST, validate=False)])


class CardThemeMessages:
    """The ThemeMessages port (council.services.themes), in the recipient's language."""

    def invitation(self, theme: ThemeMeeting, answer: Rsvp | None, locale: str | None) -> dict:
        summary = t("themes.invitation_summary", locale, topic=theme.topic, when=when_text(theme, locale))
        return activity(invitation_card(theme, answer, locale), summary)

    def reminder(self, theme: ThemeMeeting, locale: str | None) -> dict:
        summary = t("themes.reminder_summary", locale, topic=theme.topic, when=when_text(theme, locale))
        return activity(reminder_card(theme, locale), summary)

    def summary(self, theme: ThemeMeeting, locale: str | None) -> dict:
        return activity(summary_card(theme, locale), t("themes.summary_title", locale, topic=theme.topic))


# --- lists and the organiser's tools --------------------------------------------------------------------------------


def themes_card(upcoming: Sequence[tuple[ThemeMeeting, Rsvp | None]], locale: str | None, *, organiser: bool,
                network: bool, year: int, message: str | None = None, error: str | None = None) -> dict:
    """Upcoming theme meetings. Network members answer from here too; organisers get attendance, summary, cancel
    and the planning form."""
    body = heading_blocks(t("themes.list_title", locale), message, error)
    if not upcoming:
        body.append(text(t("themes.none", locale), isSubtle=True))
    for theme, answer in upcoming:
        body += [text(f"**{theme.topic}**", spacing="Medium"), _facts(theme, locale)]
        if network:
            body.append(text(t("themes.you_answered", locale, answer=answer_label(answer, locale)), size="Small"))
        tools = rsvp_buttons(theme, locale) if network else []
        if organiser:
            data = ThemeRef(theme.id).pack()
            tools += [execute(t("themes.attendance_button", locale), THEMES_ATTENDANCE, data, validate=False),
                      execute(t("themes.summary_button", locale), THEMES_SUMMARY, data, validate=False),
                      execute(t("themes.cancel_button", locale), THEMES_CANCEL, data, validate=False)]
        if tools:
            body.append(action_set(tools))
    actions = [execute(t("themes.suggest_button", locale), THEMES_SUGGEST, validate=False)]
    if organiser:
        actions.insert(0, execute(t("themes.propose_button", locale, year=year), THEMES_PROPOSE,
                                  {"year": str(year)}, validate=False))
        if year:
            actions.insert(1, execute(t("themes.propose_button", locale, year=year + 1), THEMES_PROPOSE,
                                      {"year": str(year + 1)}, validate=False))
    return card(body, actions)


def theme_plan_card(year: int, proposed: Sequence[date], locale: str | None, rules: ThemeRules = ThemeRules(), *,
                    suggestions: Sequence[TopicSuggestion] = (), planned_this_year: int = 0,
                    error: str | None = None, values: dict | None = None) -> dict:
    """The planning form: the proposed dates (quiet weeks) to choose from, or another date; topic, time, place."""
    values = values or {}
    body = heading_blocks(t("themes.plan_title", locale, year=year), None, error)
    body.append(text(t("themes.plan_intro", locale, min=rules.min_per_year, max=rules.max_per_year,
                       count=planned_this_year)))
    if planned_this_year >= rules.max_per_year:
        body.append(notice(t("themes.warning.above_max", locale, max=rules.max_per_year), color="Warning"))
    if proposed:
        body.append(choice_input("date", t("themes.proposed_dates", locale),
                                 [{"title": format_date(d, locale, weekday=True), "value": d.isoformat()}
                                  for d in proposed], str(values.get("date") or proposed[0].isoformat())))
    else:
        body.append(notice(t("themes.no_quiet_weeks", locale), color="Warning"))
    body.append(date_input("other_date", t("themes.other_date", locale), None, locale, required=not proposed))
    body += [text_input("topic", t("themes.topic", locale), str(values.get("topic") or ""), required=True,
                        max_length=rules.topic_max, error=t("themes.topic_required", locale)),
             columns(time_input("start", t("themes.start", locale), rules.start, locale),
                     time_input("end", t("themes.end", locale), rules.end, locale)),
             text_input("place", t("themes.place", locale), str(values.get("place") or ""),
                        max_length=rules.place_max, placeholder=t("themes.place_hint", locale))]
    if suggestions:
        body.append(choice_input("suggestions", t("themes.use_suggestions", locale),
                                 [{"title": shorten(s.text, 80), "value": str(s.id)} for s in suggestions],
                                 multi=True, style="expanded"))
    body.append(privacy_notice(locale))
    return card(body, [execute(t("themes.plan_button", locale), THEMES_PLAN, {"year": str(year)}),
                       execute(t("themes.back", locale), THEMES_SHOW, validate=False)])


def attendance_card(theme: ThemeMeeting, lines: Sequence[AttendanceLine], locale: str | None) -> dict:
    """Organisers: who comes, who does not, who is unsure, who has not answered (with counts)."""
    body = [title(t("themes.attendance_title", locale, topic=theme.topic)), _facts(theme, locale)]
    for answer in (Rsvp.KOMMER, Rsvp.KOMMER_IKKE, Rsvp.USIKKER, None):
        names = [line.name for line in lines if line.answer is answer]
        body.append(text(f"**{answer_label(answer, locale)}** ({len(names)})", spacing="Medium"))
        body.append(text(", ".join(names) if names else "–", isSubtle=not names))
    return card(body, [execute(t("themes.refresh", locale), THEMES_ATTENDANCE, ThemeRef(theme.id),
                               validate=False),
                       execute(t("themes.back", locale), THEMES_SHOW, validate=False)])


def suggestions_card(suggestions: Sequence[TopicSuggestion], locale: str | None, *, message: str | None = None,
                     error: str | None = None, pii_fields: Sequence[str] = (), text_value: str = "") -> dict:
    """The form to suggest a topic for the next theme meeting, and the open suggestions so far."""
    body = heading_blocks(t("themes.suggest_title", locale), message, error)
    data: dict = {}
    if pii_fields:
        body.append(notice(t("themes.pii_warning", locale), color="Warning"))
        data["pii_confirmed"] = "1"
    body += [text_input("text", t("themes.suggestion", locale), text_value, required=True, multiline=True,
                        max_length=ThemeRules().text_max, error=t("themes.suggestion_required", locale)),
             privacy_notice(locale)]
    if suggestions:
        body.append(text(t("themes.suggestions_so_far", locale), weight="Bolder", spacing="Medium"))
        body += [text(f"• {shorten(s.text, 300)}" + (f" – {s.member_name}" if s.member_name else ""), size="Small")
                 for s in suggestions]
    send = t("themes.suggest_send_anyway" if pii_fields else "themes.suggest_send", locale)
    return card(body, [execute(send, THEMES_SUGGEST, data),
                       execute(t("themes.back", locale), THEMES_SHOW, validate=False)])


def summary_form_card(theme: ThemeMeeting, locale: str | None, *, error: str | None = None,
                      pii_fields: Sequence[str] = (), value: str = "") -> dict:
    body = heading_blocks(t("themes.summary_form_title", locale, topic=theme.topic), None, error)
    body.append(_facts(theme, locale))
    data = {"theme_id": _id(theme), "send": "1"}
    if pii_fields:
        body.append(notice(t("themes.pii_warning", locale), color="Warning"))
        data["pii_confirmed"] = "1"
    body += [text_input("summary", t("themes.summary_label", locale), value, required=True, multiline=True,
                        max_length=ThemeRules().text_max * 4, error=t("themes.summary_required", locale)),
             privacy_notice(locale)]
    return card(body, [execute(t("themes.summary_send", locale), THEMES_SUMMARY, data),
                       execute(t("themes.back", locale), THEMES_SHOW, validate=False)])
