"""Archive documents of a meeting: the notice and the minutes as PDF input (cards.pdf), the minutes as Markdown.

Documents are always in bokmål (they go to the archive, Public 360), whatever the reader's Teams language.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cards.agenda import item_kind_label, local_date, time_range
from cards.minutes import action_line, outcome_label
from cards.pdf import PdfItem, PdfMeeting
from cards.texts import t
from cards.texts.format import format_date
from cards.votes import vote_result_lines
from council.agenda import AgendaItem, ItemKind
from council.meetings import DeadlineRules
from council.minutes import ANY_OTHER_DECISION, ActionItem, Attendance, ItemRecord, Outcome

if TYPE_CHECKING:
    from council.services.agenda import AgendaView
    from council.services.minutes import MinutesView

NB = "nb-NO"


def _items(view: AgendaView) -> list[AgendaItem]:
    return sorted(view.items, key=lambda i: i.position)


def _links(view: AgendaView, item: AgendaItem) -> tuple[str, ...]:
    case = view.cases.get(item.case_id) if item.case_id is not None else None
    return tuple(case.links) if case else ()


def _follow_up_lines(actions: list[ActionItem]) -> list[str]:
    return [f"{action_line(a, NB)} ({t(f'action_status.{a.status.value}', NB)})"
            for a in sorted(actions, key=lambda a: a.due)]


def _case_numbers(view: AgendaView) -> tuple[str, ...]:
    return tuple(i.label() for i in _items(view) if i.label())


# --- Innkalling -----------------------------------------------------------------------------------------------------


def notice_document(view: AgendaView, rules: DeadlineRules, tz: ZoneInfo) -> PdfMeeting:
    """The innkalling with saksliste; the creation date is when the notice was published (stable bytes)."""
    meeting = view.meeting
    items = []
    for item in _items(view):
        extra = tuple(_follow_up_lines(view.follow_up)) if item.kind is ItemKind.FOLLOW_UP else ()
        items.append(PdfItem(item.label(), item.title, item_kind_label(item, NB), presenter=item.presenter,
                             minutes=item.minutes, extra=extra, links=_links(view, item)))
    footer = (f"{t('meeting.submission_deadline', NB)}: {format_date(meeting.submission_deadline(rules), NB)}",)
    return PdfMeeting(
        council=t("app.name", NB), organisation=t("doc.organisation", NB), title=t("invite.title", NB),
        date_text=format_date(meeting.date, NB, weekday=True), time_text=time_range(meeting.start, meeting.end, NB),
        place=meeting.place, items=tuple(items), footer_lines=footer, case_numbers=_case_numbers(view),
        created=meeting.notice_published_at.astimezone(tz) if meeting.notice_published_at else None)


# --- Referat --------------------------------------------------------------------------------------------------------


def _attendance(view: MinutesView, names: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    present, absent = [], []
    for member_id, (state, deputy) in view.agenda.attendance.items():
        name = names.get(member_id, member_id)
        if state is Attendance.PRESENT:
            present.append(name)
        elif deputy:
            absent.append(t("minutes.deputy_for", NB, name=name, deputy=names.get(deputy, deputy)))
        else:
            absent.append(name)
    return tuple(sorted(present)), tuple(sorted(absent))


def _status(view: MinutesView, tz: ZoneInfo) -> str:
    meeting = view.agenda.meeting
    if meeting.minutes_locked:
        approved = format_date(local_date(meeting.minutes_approved_at, tz), NB) if meeting.minutes_approved_at \
            else ""
        return t("minutes.status_approved", NB, date=approved).strip()
    return t("minutes.status_draft", NB)


def _record_text(record: ItemRecord | None) -> str:
    if record is None:
        return t("minutes.not_recorded", NB)
    return f"{t(f'minutes.heading.{record.outcome.value}', NB)}: {record.text}"


def _any_other_decision(item: AgendaItem, record: ItemRecord | None) -> bool:
    return item.kind is ItemKind.ANY_OTHER and record is not None and record.outcome is Outcome.DECIDED


def _record_extra(item: AgendaItem, record: ItemRecord | None, actions: list[ActionItem]) -> tuple[str, ...]:
    lines = [t(ANY_OTHER_DECISION, NB)] if _any_other_decision(item, record) else []
    if record is not None and record.dissent:
        lines.append(t("minutes.dissent_line", NB, text=record.dissent))
    if record is not None:
        lines += [t("minutes.protocol_line", NB, text=entry) for entry in record.protocol_entries]
    lines += [action_line(a, NB) for a in actions]
    return tuple(lines)


def _kind(item: AgendaItem, record: ItemRecord | None) -> str:
    parts = [item_kind_label(item, NB), outcome_label(record.outcome, NB) if record else ""]
    return " · ".join(p for p in parts if p)


def minutes_document(view: MinutesView, members_by_id: dict[str, str], rules: DeadlineRules,
                     tz: ZoneInfo) -> PdfMeeting:
    """The referat: attendance, each item's outcome and follow-up, status and the open follow-up list."""
    agenda, meeting = view.agenda, view.agenda.meeting
    present, absent = _attendance(view, members_by_id)
    items = []
    for item in _items(agenda):
        record = view.records.get(item.id) if item.id is not None else None
        actions = [a for a in view.actions if a.item_id == item.id]
        items.append(PdfItem(item.label(), item.title, _kind(item, record), text=_record_text(record),
                             extra=_record_extra(item, record, actions), links=_links(agenda, item)))
    if view.votes:
        items.append(PdfItem("", t("minutes.votes_since", NB), "", extra=tuple(vote_result_lines(view.votes, NB))))
    status = _status(view, tz)
    footer = [status]
    if agenda.follow_up:
        footer += [f"{t('minutes.open_follow_up', NB)}:", *_follow_up_lines(agenda.follow_up)]
    return PdfMeeting(
        council=t("app.name", NB), organisation=t("doc.organisation", NB), title=t("minutes.doc_title", NB),
        date_text=format_date(meeting.date, NB, weekday=True), time_text=time_range(meeting.start, meeting.end, NB),
        place=meeting.place, present=present, absent=absent, items=tuple(items), footer_lines=tuple(footer),
        status=status, case_numbers=_case_numbers(agenda),
        created=meeting.minutes_approved_at.astimezone(tz) if meeting.minutes_locked and meeting.minutes_approved_at
        else None)


def minutes_markdown(view: MinutesView, members_by_id: dict[str, str], rules: DeadlineRules, tz: ZoneInfo) -> str:
    """The referat as Markdown: a metadata header for the archive, then attendance and each item."""
    agenda, meeting = view.agenda, view.agenda.meeting
    present, absent = _attendance(view, members_by_id)
    doc_title = t("minutes.doc_title", NB)
    date_text = format_date(meeting.date, NB, weekday=True)
    meta = [
        (t("doc.title_field", NB), f"{doc_title} – {date_text}"),
        (t("doc.council_field", NB), t("app.name", NB)),
        (t("doc.organisation_field", NB), t("doc.organisation", NB)),
        (t("doc.date_field", NB), meeting.date.isoformat()),
        (t("doc.case_numbers_field", NB), list(_case_numbers(agenda))),
        (t("doc.status_field", NB), _status(view, tz)),
    ]
    lines = ["---", *(f"{key.lower()}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta), "---", "",
             f"# {doc_title}", "",
             f"**{t('meeting.date', NB)}:** {date_text}  ",
             f"**{t('meeting.time', NB)}:** {time_range(meeting.start, meeting.end, NB)}  "]
    if meeting.place:
        lines.append(f"**{t('meeting.place', NB)}:** {meeting.place}  ")
    nobody = t("minutes.nobody", NB)
    lines += [f"**{t('minutes.present', NB)}:** {', '.join(present) or nobody}  ",
              f"**{t('minutes.absent', NB)}:** {', '.join(absent) or nobody}", ""]
    for item in _items(agenda):
        record = view.records.get(item.id) if item.id is not None else None
        heading = f"{item.label()} – {item.title}" if item.label() else item.title
        lines += [f"## {heading}", ""]
        kind = _kind(item, record)
        if kind:
            lines += [f"*{kind}*", ""]
        if record is None:
            lines += [t("minutes.not_recorded", NB), ""]
        else:
            lines += [f"**{t(f'minutes.heading.{record.outcome.value}', NB)}:** {record.text}", ""]
            if _any_other_decision(item, record):
                lines += [f"*{t(ANY_OTHER_DECISION, NB)}*", ""]
            if record.dissent:
                lines += [f"**{t('minutes.dissent', NB)}:** {record.dissent}", ""]
            if record.protocol_entries:
                lines += [f"**{t('minutes.protocol_heading', NB)}:**",
                          *(f"- {entry}" for entry in record.protocol_entries), ""]
        actions = [a for a in view.actions if a.item_id == item.id]
        if actions:
            lines += [f"**{t('minutes.follow_up', NB)}:**", *(f"- {action_line(a, NB)}" for a in actions), ""]
        links = _links(agenda, item)
        if links:
            lines += [f"**{t('minutes.links', NB)}:**", *(f"- <{link}>" for link in links), ""]
    if view.votes:
        lines += [f"## {t('minutes.votes_since', NB)}", "", *(f"- {line}" for line in
                                                           vote_result_lines(view.votes, NB)), ""]
    if agenda.follow_up:
        lines += [f"## {t('minutes.open_follow_up', NB)}", "", *(f"- {line}" for line in
                                                              _follow_up_lines(agenda.follow_up)), ""]
    return "\n".join(lines).rstrip() + "\n"

