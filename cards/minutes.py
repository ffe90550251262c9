"""Minutes (referat): the secretary's form, the draft posted to the channel, and the approval notice."""
from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, NamedTuple

from cards.actions import (
    MINUTES_ACTION,
    MINUTES_APPROVE,
    MINUTES_ATTENDANCE,
    MINUTES_PUBLISH,
    MINUTES_RECORD,
    ItemRef,
    MeetingRef,
    execute,
)
from cards.agenda import item_heading, item_kind_label, local_date, meeting_when
from cards.common import card, notice, text, title
from cards.elements import (
    CARD_BUDGET,
    action_set,
    card_size,
    choice_input,
    date_input,
    heading_blocks,
    people_picker,
    shorten,
    show_card,
    text_input,
    within_budget,
)
from cards.records import approval_card_text, seat_lines
from cards.texts import t
from cards.texts.format import format_date
from cards.votes import vote_result_lines
from council.agenda import AgendaItem, ItemKind
from council.cases import CaseType
from council.meetings import Meeting
from council.members import Member, Role
from council.minutes import ANY_OTHER_DECISION, ActionItem, Attendance, ItemRecord, Outcome
from council.records import GUESTS_MAX, default_chair, default_minute_taker

if TYPE_CHECKING:
    from council.services.minutes import MinutesView

TEXT_LIMITS = (1500, 600, 250, 80)  # characters of recorded text the channel draft shows, richest first


class FormLevel(NamedTuple):
    """How much of the secretary's form fits: Teams refuses cards over 28 KB, and a form per item adds up."""

    limit: int  # characters of recorded text shown on the card (the form holds all of it)
    owners: str  # "all" members, those "present" + leader/secretary, or Teams' people "picker" (no list)
    combined: bool  # one form per item (record + follow-up) instead of two
    recorded_forms: bool  # False: only items without minutes get a form


FORM_LEVELS = (FormLevel(600, "all", False, True), FormLevel(200, "all", False, True),
               FormLevel(200, "present", False, True), FormLevel(80, "picker", False, True),
               FormLevel(80, "picker", True, True))
LAST_RESORT = FormLevel(80, "picker", True, False)  # then recorded items get forms from the bottom up while they fit


def outcome_label(outcome: Outcome, locale: str | None) -> str:
    return t(f"outcome.{outcome.value}", locale)


def default_outcome(item: AgendaItem) -> Outcome:
    """Eventuelt and Drøftingssak are discussed (no decision); Orienteringssak is noted; the rest decided."""
    if item.kind is ItemKind.ANY_OTHER or item.case_type is CaseType.DROFTING:
        return Outcome.DISCUSSED
    if item.case_type is CaseType.ORIENTERING or item.kind is ItemKind.FOLLOW_UP:
        return Outcome.NOTED
    return Outcome.DECIDED


def _items(view: MinutesView) -> list[AgendaItem]:
    return sorted(view.agenda.items, key=lambda i: i.position)


def _actions_for(view: MinutesView, item: AgendaItem) -> list[ActionItem]:
    return [a for a in view.actions if a.item_id == item.id]


def action_line(action: ActionItem, locale: str | None) -> str:
    return t("minutes.action_line", locale, owner=action.owner_name, due=format_date(action.due, locale),
             what=action.what)


def record_blocks(item: AgendaItem, record: ItemRecord | None, actions: Iterable[ActionItem], locale: str | None,
                  limit: int) -> list[dict]:
    """What was recorded for one item: outcome, decision text, dissent, protokolltilførsel, oppfølging."""
    blocks = []
    if record is not None:
        lines = [f"**{outcome_label(record.outcome, locale)}:** {shorten(record.text, limit)}"]
        if record.dissent:
            lines.append(t("minutes.dissent_line", locale, text=shorten(record.dissent, limit)))
        lines += [t("minutes.protocol_line", locale, text=shorten(entry, limit)) for entry in record.protocol_entries]
        blocks.append(text("\n\n".join(lines)))
        if item.kind is ItemKind.ANY_OTHER and record.outcome is Outcome.DECIDED:
            blocks.append(text(t(ANY_OTHER_DECISION, locale), size="Small", color="Warning"))
    actions = list(actions)
    if actions:
        lines = [f"- {action_line(a, locale)}" for a in actions]
        blocks.append(text(f"**{t('minutes.follow_up', locale)}:**\n" + "\n".join(lines), size="Small"))
    return blocks


def _names(ids: Iterable[str], names: dict[str, str]) -> list[str]:
    return sorted(names.get(i, i) for i in ids)


def attendance_text(view: MinutesView, names: dict[str, str] | None, locale: str | None) -> list[str]:
    """Møteleder and Referent, 'Til stede' per seat, 'Forfall' and 'Andre til stede'; counts when names are
    unknown (or no attendance sheet was built)."""
    attendance = view.agenda.attendance
    sheet = view.sheet
    nobody = t("minutes.nobody", locale)
    if names is None or sheet is None:
        present = [m for m, (state, _) in attendance.items() if state is Attendance.PRESENT]
        absent = [m for m, (state, _) in attendance.items() if state is Attendance.ABSENT]
        return [f"**{t('minutes.present', locale)}:** {len(present) or nobody}",
                f"**{t('minutes.absent', locale)}:** {len(absent) or nobody}"]
    lines = [f"**{t('records.chair', locale)}:** {sheet.chair or nobody} · "
             f"**{t('records.minute_taker', locale)}:** {sheet.minute_taker or nobody}"]
    if not sheet.recorded:
        return [*lines, t("records.attendance_not_recorded", locale)]
    lines.append(f"**{t('minutes.present', locale)}:**\n" + "\n".join(f"- {line}" for line in
                                                                      seat_lines(sheet, locale)))
    lines.append(f"**{t('minutes.absent', locale)}:** {', '.join(sheet.absent) or nobody}")
    if sheet.others:
        lines.append(f"**{t('records.others', locale)}:** {', '.join(sheet.others)}")
    return lines


def _person_choices(members: list[Member], present: Collection[str], default: Member | None, current: str | None,
                    locale: str | None) -> list[dict]:
    """Møteleder/Referent candidates: the leader and secretary, whoever is recorded present, and the current
    choice (short lists keep the card under Teams' size limit however big the council is)."""
    first = [{"title": t("records.default_person", locale, name=default.name), "value": ""}] if default else []
    return first + [{"title": m.name, "value": m.aad_object_id} for m in members
                    if m.is_organiser or m.aad_object_id in present or m.aad_object_id == current]


# --- The secretary's form ------------------------------------------------------------------------------------------


def minutes_card(view: MinutesView, members: list[Member], locale: str | None, message: str | None = None,
                 warnings: Iterable[str] = (), error: str | None = None, pdf_url: str | None = None,
                 can_approve: bool = False, *,
                 focus: Collection[int] | None = None, docx_url: str | None = None,
                 archive_url: str | None = None) -> dict:
    """'Referat – {date}': attendance, then per item what is recorded and forms to write it and add follow-up.

    The richest FormLevel that fits in a Teams message is used. `focus` (item ids) limits the forms to those
    items, for when the agenda is too long for every form to fit.
    """
    warnings = tuple(warnings)
    build = lambda level, extra=frozenset(): _minutes_card(  # noqa: E731
        view, members, locale, message, warnings, error, pdf_url, can_approve, level, focus, extra, docx_url,
        archive_url)
    payload = within_budget(build, FORM_LEVELS)
    if card_size(payload) <= CARD_BUDGET:
        return payload
    payload, extra = build(LAST_RESORT), frozenset()
    for item in reversed(_items(view)):  # the last items written are the likeliest to be corrected
        if item.id not in view.records:
            continue
        candidate = build(LAST_RESORT, extra | {item.id})
        if card_size(candidate) > CARD_BUDGET:
            break
        payload, extra = candidate, extra | {item.id}
    return payload


def _minutes_card(view: MinutesView, members: list[Member], locale: str | None, message: str | None,
                  warnings: tuple[str, ...], error: str | None, pdf_url: str | None,
                  can_approve: bool, level: FormLevel, focus: Collection[int] | None,
                  also_recorded: frozenset[int] = frozenset(), docx_url: str | None = None,
                  archive_url: str | None = None) -> dict:
    meeting = view.agenda.meeting
    body = heading_blocks(t("minutes.title", locale, date=format_date(meeting.date, locale, weekday=True)),
                          message, error)
    body += [notice(t(key, locale), color="Attention") for key in warnings]
    names = {m.aad_object_id: m.name for m in members}
    locked = meeting.minutes_locked
    if locked:
        approved = approval_card_text(meeting, locale) or t("minutes.approved_on", locale, date="").strip()
        body.append(notice(approved))
        if "minutes.pdf" in view.digests:
            body.append(text(t("records.sha256", locale, digest=view.digests["minutes.pdf"]), size="Small",
                             isSubtle=True))
    body.append(text(meeting_when(meeting, locale), isSubtle=True))
    body.append(text("\n\n".join(attendance_text(view, names, locale))))
    if not locked and meeting.id is not None:
        present = [m for m, (state, _) in view.agenda.attendance.items() if state is Attendance.PRESENT]
        body.append(choice_input("present", t("minutes.present_label", locale),
                                 [{"title": m.name, "value": m.aad_object_id} for m in members],
                                 ",".join(p for p in present if p in names), multi=True, style="filtered"))
        body.append(choice_input("chair", t("records.chair_label", locale), _person_choices(
            members, present, default_chair(members, present), meeting.chair, locale), meeting.chair or ""))
        body.append(choice_input("minute_taker", t("records.minute_taker_label", locale), _person_choices(
            members, present, default_minute_taker(members), meeting.minute_taker, locale), meeting.minute_taker or ""))
        body.append(text_input("guests", t("records.guests_label", locale), meeting.guests, multiline=True,
                               max_length=GUESTS_MAX))
        body.append(action_set([execute(t("minutes.attendance_save", locale), MINUTES_ATTENDANCE,
                                        MeetingRef(meeting.id))]))
    owners = None if level.owners == "picker" else [{"title": m.name, "value": m.aad_object_id}
                                                    for m in _owners(view, members, level.owners)]
    if not locked and not level.recorded_forms and set(view.records) - also_recorded:
        body.append(text(t("minutes.too_long", locale), size="Small", color="Warning"))
    for item in _items(view):
        record = view.records.get(item.id) if item.id is not None else None
        kind = item_kind_label(item, locale)
        heading = f"**{item_heading(item, locale, provisional=not meeting.notice_published)}**"
        block = [text(f"{heading} · {kind}" if kind else heading)]
        if item.kind is ItemKind.ANY_OTHER and not locked:
            block.append(text(t("minutes.any_other_rule", locale), size="Small", color="Warning"))
        if record is None:
            block.append(text(t("minutes.not_recorded", locale), isSubtle=True, size="Small"))
        block += record_blocks(item, record, _actions_for(view, item), locale, level.limit)
        with_form = (focus is None or item.id in focus) and (record is None or level.recorded_forms
                                                             or item.id in also_recorded)
        if not locked and item.id is not None and with_form:
            block.append(action_set(_item_forms(item, record, owners, locale, level.combined)))
        body.append({"type": "Container", "separator": True, "items": block})
    actions = []
    if not locked and meeting.id is not None:
        data = MeetingRef(meeting.id).pack()
        actions.append(execute(t("minutes.publish", locale), MINUTES_PUBLISH, data, validate=False))
        if can_approve:
            actions.append(execute(t("minutes.approve", locale), MINUTES_APPROVE, data, validate=False))
    actions += _download_actions(locale, pdf_url, docx_url)
    if locked and archive_url:
        actions.append({"type": "Action.OpenUrl", "title": t("records.archive", locale), "url": archive_url})
    return card(body, actions)


def _owners(view: MinutesView, members: list[Member], mode: str) -> list[Member]:
    """Everyone, or (for a big council) those present, the leader and the secretary."""
    if mode == "all":
        return members
    attendance = view.agenda.attendance
    present = {m for m, (state, _) in attendance.items() if state is Attendance.PRESENT}
    if not present:  # attendance not recorded yet: the members themselves, not every deputy
        return [m for m in members if m.has(Role.LEADER, Role.SECRETARY, Role.MEMBER)] or members
    chosen = [m for m in members if m.aad_object_id in present or m.is_organiser]
    return chosen or members


def _item_forms(item: AgendaItem, record: ItemRecord | None, owners: list[dict] | None, locale: str | None,
                combined: bool = False) -> list[dict]:
    """'Skriv referat' and 'Legg til oppfølgingspunkt' (or both in one form, `combined`, with nothing required
    so either button can be used; the services check what each needs). `owners` None: the people picker."""
    iid = str(item.id)
    outcome = record.outcome if record else default_outcome(item)
    value = record.text if record else (t("minutes.noted_default", locale) if outcome is Outcome.NOTED
                                        and item.kind is ItemKind.CASE else "")
    rule = []  # the Eventuelt rule is shown on the item itself, visible without opening the form
    if item.case_type is CaseType.DROFTING:
        rule = [text(t("minutes.discussion_rule", locale), size="Small", isSubtle=True)]
    required = not combined
    record_inputs = [
        *rule,
        choice_input(f"outcome_{iid}", t("minutes.outcome", locale),
                     [{"title": outcome_label(o, locale), "value": o.value} for o in Outcome], outcome.value,
                     required=True, style="expanded"),
        text_input(f"discussion_{iid}", t(_discussion_label(item), locale), record.discussion if record else "",
                   multiline=True, max_length=None),
        text_input(f"text_{iid}", t("minutes.text", locale), value, required=required, multiline=True,
                   max_length=4000, error=t("minutes.text_required", locale)),
        text_input(f"dissent_{iid}", t("minutes.dissent", locale), record.dissent if record else "",
                   multiline=True, max_length=None),
        text_input(f"protocol_{iid}", t("minutes.protocol", locale),
                   "\n".join(record.protocol_entries) if record else "", multiline=True, max_length=None)]
    if item.case_id is not None and item.case_type is CaseType.BESLUTNING:
        label = t("minutes.dlg_toggle", locale)
        record_inputs.append({"type": "Input.Toggle", "id": f"dlg_{iid}", "title": label, "label": label,
                              "valueOn": "true",
                              "valueOff": "false", "value": "false"})
    save = execute(t("minutes.save", locale), MINUTES_RECORD, ItemRef(item.id))
    if item.kind is ItemKind.APPROVE_NOTICE:
        return [show_card(t("minutes.write", locale), record_inputs, save)]
    owner_label, owner_error = t("minutes.action_owner", locale), t("minutes.action_owner_required", locale)
    action_inputs = [
        text_input(f"what_{iid}", t("minutes.action_what", locale), required=required, max_length=500,
                   error=t("minutes.action_what_required", locale)),
        choice_input(f"owner_{iid}", owner_label, owners, required=required, error=owner_error, style="filtered")
        if owners is not None else people_picker(f"owner_{iid}", owner_label, required=required, error=owner_error),
        date_input(f"due_{iid}", t("minutes.action_due", locale), None, locale, required=required)]
    add = execute(t("minutes.action_save_long", locale), MINUTES_ACTION, ItemRef(item.id))
    if combined:
        form = show_card(t("minutes.write", locale), [
            *record_inputs, text(t("minutes.add_action", locale), weight="Bolder", separator=True), *action_inputs],
            save)
        form["card"]["actions"].append(add)
        return [form]
    add["title"] = t("minutes.action_save", locale)
    return [show_card(t("minutes.write", locale), record_inputs, save),
            show_card(t("minutes.add_action", locale), action_inputs, add)]


def _discussion_label(item: AgendaItem) -> str:
    """Eventuelt: one matter per line (lettered a, b, c in the referat); otherwise the discussion."""
    return "records.any_other_points" if item.kind is ItemKind.ANY_OTHER else "records.discussion_label"


def _download_actions(locale: str | None, pdf_url: str | None, docx_url: str | None = None) -> list[dict]:
    """Word and PDF: Markdown stays an archive/API format, secretaries are offered the document formats."""
    actions = [{"type": "Action.OpenUrl", "title": t("records.minutes_docx", locale), "url": docx_url}] if docx_url \
        else []
    if pdf_url:
        actions.append({"type": "Action.OpenUrl", "title": t("minutes.pdf", locale), "url": pdf_url})
    return actions


# --- Channel posts -------------------------------------------------------------------------------------------------


def minutes_draft_card(view: MinutesView, locale: str | None = None, pdf_url: str | None = None,
                       *, names: dict[str, str] | None = None) -> dict:
    """'Utkast til referat – {date}' for the channel; `names` (AAD id → name) lists attendance by name."""
    return within_budget(lambda limit: _draft_card(view, locale, pdf_url, names, limit), TEXT_LIMITS)


def _draft_card(view: MinutesView, locale: str | None, pdf_url: str | None,
                names: dict[str, str] | None, limit: int) -> dict:
    meeting = view.agenda.meeting
    body = [title(t("minutes.draft_title", locale, date=format_date(meeting.date, locale, weekday=True))),
            text(t("minutes.draft_intro", locale), isSubtle=True, size="Small"),
            text(meeting_when(meeting, locale), isSubtle=True),
            text("\n\n".join(attendance_text(view, names, locale)))]
    shortened = False
    for item in _items(view):
        record = view.records.get(item.id) if item.id is not None else None
        if record is None:
            continue
        shortened = shortened or any(len(s) > limit for s in (record.text, record.dissent, *record.protocol_entries))
        block = [text(f"**{item_heading(item, locale, provisional=False)}**")]
        kind = item_kind_label(item, locale)
        if kind:
            block.append(text(kind, isSubtle=True, spacing="None", size="Small"))
        block += record_blocks(item, record, _actions_for(view, item), locale, limit)
        body.append({"type": "Container", "separator": True, "items": block})
    if view.votes:
        body.append({"type": "Container", "separator": True, "items": [
            text(f"**{t('minutes.votes_since', locale)}**"),
            text("\n".join(f"- {line}" for line in vote_result_lines(view.votes, locale)))]})
    if shortened:
        body.append(text(t("minutes.full_text", locale), size="Small", isSubtle=True))
    return card(body, _download_actions(locale, pdf_url))


def minutes_approved_card(meeting: Meeting, locale: str | None = None, pdf_url: str | None = None) -> dict:
    body = [title(t("minutes.approved_title", locale)),
            text(t("minutes.approved_body", locale, date=format_date(meeting.date, locale, weekday=True)))]
    if meeting.minutes_approved_at is not None:
        body.append(text(t("minutes.approved_on", locale, date=format_date(local_date(meeting.minutes_approved_at),
                                                                             locale)), isSubtle=True, size="Small"))
    return card(body, _download_actions(locale, pdf_url))
