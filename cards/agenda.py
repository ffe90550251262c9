"""The agenda (saksliste) for the leader and secretary, the channel notice (innkalling) and its updates.

The first section holds the meeting labels and facts every meeting card uses (cards/meetings.py and
cards/minutes.py import them from here, so there is no import cycle); generic blocks are in cards/elements.py.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cards.actions import (
    AGENDA_ADD_STANDING,
    AGENDA_MOVE,
    AGENDA_SET,
    AGENDA_TO_MEETING,
    ATTENDANCE_ABSENT,
    ATTENDANCE_PRESENT,
    NOTICE_PUBLISH,
    ItemMove,
    ItemRef,
    MeetingRef,
    execute,
)
from cards.case_papers import paper_blocks, paper_button
from cards.common import card, text, title
from cards.elements import action_set, choice_input, heading_blocks, shorten, show_card, text_input, within_budget
from cards.labels import case_type_label
from cards.texts import t
from cards.texts.format import format_date, format_time
from council.agenda import AgendaItem, ItemKind
from council.guests import guest_line
from council.meetings import DeadlineRules, Meeting, MeetingStatus

if TYPE_CHECKING:
    from council.services.agenda import AgendaView

OSLO = ZoneInfo("Europe/Oslo")
FOLLOW_UP_SHOWN = 10
# cards with many items shed detail to stay under the budget (links shown per case, meetings offered by
# "Flytt til møte"), richest first
AGENDA_LEVELS = ((5, 4), (2, 4), (0, 4), (0, 2), (0, 0))
NOTICE_LEVELS = (5, 2, 0)
LINK_TEXT = 70
STANDING_KEYS = {ItemKind.APPROVE_NOTICE: "agenda.standing.approve_notice",
                 ItemKind.APPROVE_MINUTES: "agenda.standing.approve_minutes",
                 ItemKind.FOLLOW_UP: "agenda.standing.follow_up",
                 ItemKind.ANY_OTHER: "agenda.standing.any_other"}


# --- Meeting labels and facts shared by the meeting cards ---------------------------------------------------


def time_range(start: time, end: time, locale: str | None) -> str:
    """'kl. 09.00–11.00' (one "kl.", en dash) or '09:00–11:00'."""
    return f"{format_time(start, locale)}–{format_time(end, locale).removeprefix('kl. ')}"


def meeting_when(meeting: Meeting, locale: str | None) -> str:
    """'tirsdag 15. desember 2026, kl. 09.00–11.00'."""
    return f"{format_date(meeting.date, locale, weekday=True)}, {time_range(meeting.start, meeting.end, locale)}"


def local_date(moment: datetime, tz: ZoneInfo | None = None) -> date:
    """An instant's date in council time (a naive value counts as UTC, as stored)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(tz or OSLO).date()


def deadline_facts(meeting: Meeting, rules: DeadlineRules, locale: str | None) -> list[dict]:
    return [{"title": t("meeting.submission_deadline", locale),
             "value": format_date(meeting.submission_deadline(rules), locale)},
            {"title": t("meeting.notice_date", locale), "value": format_date(meeting.notice_date(rules), locale)},
            {"title": t("meeting.minutes_due", locale), "value": format_date(meeting.minutes_due(rules), locale)}]


def meeting_facts(meeting: Meeting, locale: str | None, place_label: str = "meeting.place") -> list[dict]:
    return [{"title": t("meeting.date", locale), "value": format_date(meeting.date, locale, weekday=True)},
            {"title": t("meeting.time", locale), "value": time_range(meeting.start, meeting.end, locale)},
            {"title": t(place_label, locale), "value": meeting.place or t("meeting.place_unknown", locale)}]


def item_heading(item: AgendaItem, locale: str | None, provisional: bool = True) -> str:
    """'Sak 12/26 – Tittel', or the title with '(nr. settes når innkallingen sendes)' before numbering."""
    label = item.label()
    if label:
        return t("meeting.item_heading", locale, label=label, title=item.title)
    return f"{item.title} {t('agenda.provisional', locale)}" if provisional else item.title


def item_kind_label(item: AgendaItem, locale: str | None) -> str:
    """The case type for cases, 'Fast sak' for added standing items, nothing for the fixed items."""
    if item.case_type is not None:
        return case_type_label(item.case_type, locale)
    if item.kind is ItemKind.STANDING:
        return t("agenda.kind.standing", locale)
    return ""


def _items(view: AgendaView) -> list[AgendaItem]:
    return sorted(view.items, key=lambda i: i.position)


def _meeting_length(meeting: Meeting) -> int:
    return (meeting.end.hour * 60 + meeting.end.minute) - (meeting.start.hour * 60 + meeting.start.minute)


def _meta(item: AgendaItem, locale: str | None, view: AgendaView | None = None) -> str:
    """Under the sak: its Innmelding reference (when it came in as a case), type, presenter and time."""
    case = view.cases.get(item.case_id) if view is not None and item.case_id is not None else None
    parts = [case.reference if case is not None else "", item_kind_label(item, locale)]
    if item.presenter:
        parts.append(t("agenda.presenter", locale, name=item.presenter))
    if item.minutes:
        parts.append(t("agenda.minutes", locale, minutes=item.minutes))
    return " · ".join(p for p in parts if p)


def _links(view: AgendaView, item: AgendaItem, shown: int, locale: str | None) -> list[dict]:
    case = view.cases.get(item.case_id) if item.case_id is not None else None
    if case is None or not case.links:
        return []
    lines = [f"- [{shorten(link, LINK_TEXT)}]({link})" for link in case.links[:shown]]
    if len(case.links) > shown:
        lines.append(t("agenda.links_more", locale, count=len(case.links) - shown))
    return [text("\n".join(lines), size="Small", spacing="None")]


def follow_up_lines(view: AgendaView, locale: str | None) -> list[dict]:
    """The open action items from earlier meetings, under the Oppfølgingsliste item."""
    if not view.follow_up:
        return [text(t("agenda.follow_up_empty", locale), size="Small", isSubtle=True, spacing="None")]
    actions = sorted(view.follow_up, key=lambda a: a.due)
    lines = [f"- {t('agenda.follow_up_line', locale, what=shorten(a.what, 200), owner=a.owner_name, due=format_date(a.due, locale))}"  # noqa: E501
             for a in actions[:FOLLOW_UP_SHOWN]]
    if len(actions) > FOLLOW_UP_SHOWN:
        lines.append(t("meeting.more", locale, count=len(actions) - FOLLOW_UP_SHOWN))
    return [text("\n".join(lines), size="Small", spacing="None")]


# --- Saksliste (leader and secretary) ------------------------------------------------------------------------------


def agenda_card(view: AgendaView, other_meetings: list[Meeting], rules: DeadlineRules, locale: str | None,
                editable: bool, message: str | None = None, error: str | None = None,
                pdf_url: str | None = None, docx_url: str | None = None) -> dict:
    """'Saksliste – {date}': the items in order; for leader and secretary (`editable`) the tools to arrange them."""
    return within_budget(lambda level: _agenda_card(view, other_meetings, rules, locale, editable, message, error,
                                                    pdf_url, *level, docx_url=docx_url), AGENDA_LEVELS)


def _agenda_card(view: AgendaView, other_meetings: list[Meeting], rules: DeadlineRules, locale: str | None,
                 editable: bool, message: str | None, error: str | None, pdf_url: str | None, links_shown: int,
                 targets_shown: int, docx_url: str | None = None) -> dict:
    meeting = view.meeting
    body = heading_blocks(t("agenda.title", locale, date=format_date(meeting.date, locale, weekday=True)),
                          message, error)
    body.append({"type": "FactSet", "facts": meeting_facts(meeting, locale)[1:]})
    if meeting.notice_published_at is not None:
        body.append(text(t("agenda.published", locale, date=format_date(local_date(meeting.notice_published_at),
                                                                          locale)), size="Small", isSubtle=True))
    else:
        body.append(text(t("agenda.not_published", locale, date=format_date(meeting.notice_date(rules), locale)),
                         size="Small", isSubtle=True))
    length = _meeting_length(meeting)
    if view.over_length:
        body.append(text(t("agenda.over_length", locale, minutes=view.planned_minutes, length=length),
                         color="Attention", weight="Bolder"))
    elif view.planned_minutes:
        body.append(text(t("agenda.planned", locale, minutes=view.planned_minutes, length=length), size="Small",
                         isSubtle=True))
    items = _items(view)
    if not items:
        body.append(text(t("agenda.empty", locale)))
    movable = [i for i in items if i.movable]
    targets = sorted((m for m in other_meetings if m.id is not None and m.id != meeting.id
                      and m.status is MeetingStatus.PLANNED), key=lambda m: m.date)[:targets_shown]
    for item in items:
        block = [text(f"**{item_heading(item, locale, provisional=not meeting.notice_published)}**")]
        meta = _meta(item, locale, view)
        if meta:
            block.append(text(meta, isSubtle=True, spacing="None"))
        invited = view.guests.get(item.id, []) if item.id is not None else []
        if invited:
            block.append(text(t("agenda.guests", locale, names=guest_line(invited)), size="Small", spacing="None"))
        block += paper_blocks(view, item, locale, 300 if links_shown else 0)
        block += _links(view, item, links_shown, locale)
        if item.kind is ItemKind.FOLLOW_UP:
            block += follow_up_lines(view, locale)
        if editable and item.id is not None:
            buttons = _item_buttons(item, movable, targets, locale)
            paper = paper_button(view, item, locale)
            buttons += [paper] if paper else []
            if buttons:
                block.append(action_set(buttons))
        body.append({"type": "Container", "separator": True, "items": block})
    actions = []
    if editable and meeting.id is not None:
        actions.append(show_card(t("agenda.add_standing", locale), [
            text_input("standing_title", t("agenda.standing_title", locale), required=True, max_length=300,
                       error=t("agenda.title_required", locale))],
            execute(t("agenda.add", locale), AGENDA_ADD_STANDING, MeetingRef(meeting.id))))
        if not meeting.notice_published:
            actions.append(execute(t("agenda.publish", locale), NOTICE_PUBLISH, MeetingRef(meeting.id),
                                   validate=False))
    if docx_url:
        actions.append({"type": "Action.OpenUrl", "title": t("records.notice_docx", locale), "url": docx_url})
    if pdf_url:
        actions.append({"type": "Action.OpenUrl", "title": t("agenda.pdf", locale), "url": pdf_url})
    return card(body, actions)


def _item_buttons(item: AgendaItem, movable: list[AgendaItem], targets: list[Meeting],
                  locale: str | None) -> list[dict]:
    iid = str(item.id)
    buttons = []
    if item.movable:
        index = movable.index(item)
        if index > 0:
            buttons.append(execute(t("agenda.up", locale), AGENDA_MOVE, ItemMove(item.id, "-1"),
                                   validate=False))
        if index < len(movable) - 1:
            buttons.append(execute(t("agenda.down", locale), AGENDA_MOVE, ItemMove(item.id, "1"),
                                   validate=False))
    minutes = {"type": "Input.Number", "id": f"minutes_{iid}", "label": t("agenda.minutes_label", locale),
               "min": 0, "max": 480, "errorMessage": t("agenda.minutes_invalid", locale)}
    if item.minutes is not None:
        minutes["value"] = item.minutes
    buttons.append(show_card(t("agenda.set", locale), [
        text_input(f"presenter_{iid}", t("agenda.presenter_label", locale), item.presenter, max_length=200),
        minutes], execute(t("agenda.save", locale), AGENDA_SET, ItemRef(item.id))))
    if item.movable and targets:
        choices = [{"title": format_date(m.date, locale, weekday=True), "value": str(m.id)} for m in targets]
        buttons.append(show_card(t("agenda.to_meeting", locale), [
            choice_input(f"target_{iid}", t("agenda.target", locale), choices, required=True,
                         error=t("agenda.target_required", locale))],
            execute(t("agenda.move_save", locale), AGENDA_TO_MEETING, ItemRef(item.id))))
    return buttons


# --- Innkalling (the channel notice) -------------------------------------------------------------------------------


def _notice_facts(view: AgendaView, rules: DeadlineRules, locale: str | None) -> list[dict]:
    """Date, time and place; not the submission deadline, which has passed when the notice goes out."""
    return meeting_facts(view.meeting, locale, place_label="invite.place")


def _attendance_buttons(meeting: Meeting, locale: str | None) -> list[dict]:
    data = MeetingRef(meeting.id).pack()
    return [execute(t("invite.absent", locale), ATTENDANCE_ABSENT, data, validate=False),
            execute(t("invite.present", locale), ATTENDANCE_PRESENT, data, validate=False)]


def _place_link(meeting: Meeting) -> str | None:
    place = meeting.place.strip()
    return place if place.startswith(("https://", "http://")) else None


def notice_card(view: AgendaView, rules: DeadlineRules, locale: str | None = None,
                pdf_url: str | None = None) -> dict:
    """'Innkalling til møte i Kontorfaglig råd': facts, the numbered saksliste, Meld forfall / Jeg kommer."""
    return within_budget(lambda links_shown: _notice_card(view, rules, locale, pdf_url, links_shown), NOTICE_LEVELS)


def _notice_card(view: AgendaView, rules: DeadlineRules, locale: str | None, pdf_url: str | None,
                 links_shown: int) -> dict:
    body = [title(t("invite.title", locale)), {"type": "FactSet", "facts": _notice_facts(view, rules, locale)},
            text(t("invite.agenda", locale), weight="Bolder", spacing="Medium")]
    for item in _items(view):
        block = [text(f"**{item_heading(item, locale, provisional=False)}**")]
        meta = _meta(item, locale, view)
        if meta:
            block.append(text(meta, isSubtle=True, spacing="None", size="Small"))
        block += paper_blocks(view, item, locale, 200 if links_shown else 0)
        block += _links(view, item, links_shown, locale)
        body.append({"type": "Container", "spacing": "Small", "items": block})
    body.append(text(t("invite.absence_hint", locale), size="Small", isSubtle=True, spacing="Medium"))
    actions = _attendance_buttons(view.meeting, locale)
    link = _place_link(view.meeting)
    if link:
        actions.append({"type": "Action.OpenUrl", "title": t("invite.join", locale), "url": link})
    if pdf_url:
        actions.append({"type": "Action.OpenUrl", "title": t("invite.pdf", locale), "url": pdf_url})
    return card(body, actions)


def change_lines(view: AgendaView, changes: list[tuple[str, str]], locale: str | None) -> list[str]:
    """Each change in plain words; a new start and end become one 'Ny tid' line."""
    lines: list[str] = []
    time_done = False
    for kind, detail in changes:
        if kind == "date":
            try:
                value = format_date(date.fromisoformat(detail), locale, weekday=True)
            except ValueError:
                value = detail
            lines.append(t("invite.change.date", locale, value=value))
        elif kind in ("start", "end"):
            if not time_done:
                lines.append(t("invite.change.time", locale,
                               value=time_range(view.meeting.start, view.meeting.end, locale)))
                time_done = True
        elif kind == "place":
            lines.append(t("invite.change.place", locale, value=detail or t("meeting.place_unknown", locale)))
        elif kind in ("added", "removed"):
            lines.append(t(f"invite.change.{kind}", locale, value=detail))
        elif kind == "reordered":
            lines.append(t("invite.change.reordered", locale))
    return lines


def notice_update_card(view: AgendaView, changes: list[tuple[str, str]], locale: str | None = None,
                       rules: DeadlineRules | None = None, pdf_url: str | None = None) -> dict:
    """'Oppdatert innkalling – {date}': what changed since the members were told, then the facts."""
    lines = change_lines(view, changes, locale)
    body = [title(t("invite.update_title", locale, date=format_date(view.meeting.date, locale, weekday=True))),
            text(t("invite.update_intro", locale) if lines else t("invite.no_changes", locale))]
    if lines:
        body.append(text("\n".join(f"- {line}" for line in lines), weight="Bolder"))
    facts = _notice_facts(view, rules, locale) if rules else meeting_facts(view.meeting, locale, "invite.place")
    body.append({"type": "FactSet", "spacing": "Medium", "facts": facts})
    actions = _attendance_buttons(view.meeting, locale)
    if pdf_url:
        actions.append({"type": "Action.OpenUrl", "title": t("invite.pdf", locale), "url": pdf_url})
    return card(body, actions)


def deputy_invitation_card(view: AgendaView, member_name: str, locale: str | None,
                           pdf_url: str | None = None) -> dict:
    """Personal message to the deputy of a member who sent apologies (forfall)."""
    meeting = view.meeting
    body = [title(t("deputy.title", locale)),
            text(t("deputy.body", locale, member=member_name, date=format_date(meeting.date, locale, weekday=True),
                   time=time_range(meeting.start, meeting.end, locale))),
            {"type": "FactSet", "facts": meeting_facts(meeting, locale, place_label="invite.place")},
            text(t("invite.agenda", locale), weight="Bolder", spacing="Medium"),
            text("\n".join(f"- {item_heading(i, locale, provisional=False)}" for i in _items(view)))]
    actions = list(reversed(_attendance_buttons(meeting, locale)))
    if pdf_url:
        actions.append({"type": "Action.OpenUrl", "title": t("invite.pdf", locale), "url": pdf_url})
    return card(body, actions)
