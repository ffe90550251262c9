"""Hearing cards (høringer): the register with deadlines and warnings, and the registration form
(docs/domain.md §3.5)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from cards.actions import (
    HEARING_AGENDA,
    HEARING_FORM,
    HEARING_LIST,
    HEARING_SAVE,
    HEARING_STATUS,
    VOTE_FORM,
    HearingList,
    HearingRef,
    MaybeHearing,
    execute,
)
from cards.common import card, notice, privacy_notice, text
from cards.elements import (
    action_set,
    choice_input,
    date_input,
    heading_blocks,
    shorten,
    show_card,
    text_input,
    within_budget,
)
from cards.hearing_letter import letter_button
from cards.texts import t
from cards.texts.format import format_date
from council.hearings import MAX_DRAFT, MAX_SHORT, MAX_TITLE, TRANSITIONS, VOTABLE, Hearing, HearingRules, HearingStatus
from council.meetings import Meeting, MeetingStatus
from council.members import Member
from council.services.hearings_letter import LETTER_STATUSES

if TYPE_CHECKING:
    from council.services.hearings import HearingLine

# (hearings shown, links shown per hearing, meetings offered), richest first; Teams refuses cards over 28 KB
REGISTER_LEVELS = ((25, 3, 6), (15, 2, 4), (10, 1, 3), (6, 0, 2), (3, 0, 1))
LINK_TEXT = 70
FORM_LEVELS = (True, False)  # the draft in the form, or (too long for a card) kept as it is
# The form's input ids; HearingForm.case_number arrives as "our_reference".
FIELD_INPUTS = {"case_number": "our_reference"}


def status_label(status: HearingStatus, locale: str | None) -> str:
    return t(f"hearings.status.{status.value}", locale)


def _local_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None


# --- the register ---------------------------------------------------------------------------------------------------


def hearings_card(lines: Sequence[HearingLine], locale: str | None, is_organiser: bool, message: str | None = None,
                  error: str | None = None, meetings: Sequence[Meeting] = (), *,
                  include_closed: bool = False) -> dict:
    """'Høringer': nearest Intern frist first (as the service sorts), each with its status, deadlines, owner and
    warnings; for leader and secretary the tools to move it along."""
    targets = sorted((m for m in meetings if m.id is not None and m.status is MeetingStatus.PLANNED
                      and not m.minutes_locked), key=lambda m: m.date)
    return within_budget(lambda level: _hearings_card(lines, locale, is_organiser, message, error, targets,
                                                      include_closed, *level), REGISTER_LEVELS)


def _hearings_card(lines: Sequence[HearingLine], locale: str | None, is_organiser: bool, message: str | None,
                   error: str | None, targets: list[Meeting], include_closed: bool, shown: int, links_shown: int,
                   meetings_shown: int) -> dict:
    body = heading_blocks(t("hearings.title", locale), message, error)
    if not lines:
        body.append(text(t("hearings.empty", locale)))
    for line in lines[:shown]:
        body.append(_hearing_block(line, locale, is_organiser, targets[:meetings_shown], links_shown))
    if len(lines) > shown:
        body.append(text(t("hearings.more", locale, count=len(lines) - shown), isSubtle=True))
    actions = []
    if is_organiser:
        actions.append(execute(t("hearings.new", locale), HEARING_FORM, validate=False))
    if not include_closed:
        actions.append(execute(t("hearings.show_closed", locale), HEARING_LIST, HearingList(include_closed=True),
                               validate=False))
    return card(body, actions)


def deadline_line(hearing: Hearing, locale: str | None) -> str:
    parts = [f"{t('hearings.field.external_deadline', locale)}: {format_date(hearing.external_deadline, locale)}",
             f"{t('hearings.field.internal_deadline', locale)}: {format_date(hearing.internal_deadline, locale)}"]
    owner = hearing.owner_name or (t("hearings.no_owner", locale) if not hearing.owner else hearing.owner)
    parts.append(f"{t('hearings.field.owner', locale)}: {owner}")
    return " · ".join(parts)


def _hearing_block(line: HearingLine, locale: str | None, is_organiser: bool, targets: list[Meeting],
                   links_shown: int) -> dict:
    hearing = line.hearing
    items = [text(f"**{hearing.title}**"),
             text(" · ".join(part for part in (status_label(hearing.status, locale), hearing.sender,
                                                 hearing.case_number) if part), isSubtle=True, spacing="None"),
             text(deadline_line(hearing, locale), size="Small", spacing="None")]
    if line.meeting is not None:
        items.append(text(t("hearings.in_meeting", locale, date=format_date(line.meeting.date, locale,
                                                                            weekday=True)),
                          size="Small", spacing="None"))
    if hearing.vote_outcome:
        items.append(text(t("hearings.vote_result", locale, outcome=t(f"votes.outcome.{hearing.vote_outcome}",
                                                                      locale)), size="Small", spacing="None"))
    if hearing.status is HearingStatus.TO_VOTE:
        items.append(text(t("hearings.vote_running", locale), size="Small", spacing="None"))
    for key in line.warnings:
        items.append(text(t(key, locale), color="Attention", weight="Bolder", size="Small", spacing="None"))
    links = [f"- [{shorten(link, LINK_TEXT)}]({link})" for link in hearing.document_links[:links_shown]]
    if hearing.draft_link and links_shown:
        links.append(f"- [{t('hearings.field.draft_link', locale)}]({hearing.draft_link})")
    if links:
        items.append(text("\n".join(links), size="Small", spacing="None"))
    if is_organiser and hearing.id is not None:
        buttons = _organiser_buttons(hearing, locale, targets)
        if buttons:
            items.append(action_set(buttons))
    return {"type": "Container", "separator": True, "items": items}


def _organiser_buttons(hearing: Hearing, locale: str | None, targets: list[Meeting]) -> list[dict]:
    hid = str(hearing.id)
    data = HearingRef(hearing.id, hearing.version).pack()
    buttons = []
    allowed = [s for s in HearingStatus if s in TRANSITIONS[hearing.status] and s is not HearingStatus.TO_VOTE]
    if allowed:
        inputs = [choice_input(f"status_{hid}", t("hearings.new_status", locale),
                               [{"title": status_label(s, locale), "value": s.value} for s in allowed],
                               required=True, error=t("hearings.status_required", locale))]
        if HearingStatus.DECIDED in allowed:
            inputs.append(text_input(f"decision_{hid}", t("hearings.decision_label", locale), multiline=True,
                                     max_length=MAX_DRAFT))
        if HearingStatus.SENT in allowed:
            inputs.append(text_input(f"response_{hid}", t("hearings.response_label", locale),
                                     hearing.response_reference, max_length=500))
        buttons.append(show_card(t("hearings.change_status", locale), inputs,
                                 execute(t("hearings.save_status", locale), HEARING_STATUS, data)))
    movable = hearing.status is HearingStatus.TO_MEETING or HearingStatus.TO_MEETING in TRANSITIONS[hearing.status]
    if movable and targets:
        choices = [{"title": format_date(m.date, locale, weekday=True), "value": str(m.id)} for m in targets]
        current = str(hearing.meeting_id) if hearing.meeting_id in {m.id for m in targets} else ""
        buttons.append(show_card(t("hearings.to_agenda", locale), [
            choice_input(f"meeting_{hid}", t("hearings.meeting_label", locale), choices, current, required=True,
                         error=t("hearings.meeting_required", locale))],
            execute(t("hearings.to_agenda_save", locale), HEARING_AGENDA, data)))
    if hearing.status in VOTABLE:
        buttons.append(execute(t("hearings.open_vote", locale), VOTE_FORM, MaybeHearing(hearing.id), validate=False))
    if hearing.status in LETTER_STATUSES and hearing.decision.strip():
        buttons.append(letter_button(hearing.id, locale))
    if hearing.status not in (HearingStatus.SENT, HearingStatus.NO_COMMENTS, HearingStatus.NOT_ANSWERED):
        buttons.append(execute(t("hearings.edit", locale), HEARING_FORM, MaybeHearing(hearing.id), validate=False))
    return buttons


# --- registering and editing ----------------------------------------------------------------------------------------


def hearing_form_card(members: Sequence[Member], locale: str | None, values: dict | None = None,
                      errors: dict[str, str] | None = None, hearing: Hearing | None = None, *,
                      internal_days: int = HearingRules().internal_working_days_before,
                      pii_fields: Sequence[str] | None = None, message: str | None = None) -> dict:
    """'Registrer høring' (or edit one): every field of the hearing record, errors under their field.

    `values` are the inputs as sent (strings) to fill the form again; else the hearing's own values. `errors`
    maps HearingForm field names to catalogue keys (FormErrors.errors). A draft too long to fit a card is left
    out of the form: the action then carries {"keep_draft": "true"} and the stored draft must be kept (the
    form sends no draft_text). After an error, pass the sent data as `values` (with hearing_id, version and
    keep_draft they are carried on, even without `hearing`)."""
    return within_budget(lambda with_draft: _hearing_form(members, locale, values, errors or {}, hearing,
                                                          internal_days, pii_fields, message, with_draft),
                         FORM_LEVELS)


def _form_values(hearing: Hearing | None) -> dict:
    if hearing is None:
        return {}
    return {"title": hearing.title, "sender": hearing.sender, "their_reference": hearing.their_reference,
            "our_reference": hearing.case_number, "journal_number": hearing.journal_number,
            "received": hearing.received.isoformat(), "external_deadline": hearing.external_deadline.isoformat(),
            "internal_deadline": hearing.internal_deadline.isoformat(), "links": "\n".join(hearing.document_links),
            "owner": hearing.owner or "", "draft_text": hearing.draft_text, "draft_link": hearing.draft_link}


def _hearing_form(members: Sequence[Member], locale: str | None, values: dict | None, errors: dict[str, str],
                  hearing: Hearing | None, internal_days: int, pii_fields: Sequence[str] | None,
                  message: str | None, with_draft: bool) -> dict:
    filled = {**_form_values(hearing), **(values or {})}
    value = lambda key: str(filled.get(key) or "")  # noqa: E731
    label = lambda key: t(f"hearings.field.{key}", locale)  # noqa: E731
    heading = t("hearings.edit_title", locale) if hearing is not None else t("hearings.form_title", locale)
    body = heading_blocks(heading, message, None)
    body.append(privacy_notice(locale))
    if errors:
        body.append(notice(t("hearings.fix_errors", locale), color="Attention"))
    if pii_fields:
        names = ", ".join(f"«{label(FIELD_INPUTS.get(name, name))}»" for name in pii_fields)
        body.append(text(t("pii.body", locale, fields=names), color="Attention"))
    owners = sorted(members, key=lambda m: (m.name, m.aad_object_id))
    fields = [
        text_input("title", label("title"), value("title"), required=True, max_length=MAX_TITLE,
                   error=t("hearings.error.title_required", locale)),
        text_input("sender", label("sender"), value("sender"), required=True, max_length=MAX_SHORT,
                   placeholder=t("hearings.sender_hint", locale), error=t("hearings.error.sender_required", locale)),
        text_input("their_reference", label("their_reference"), value("their_reference"), max_length=MAX_SHORT),
        text_input("our_reference", label("our_reference"), value("our_reference"), max_length=MAX_SHORT,
                   placeholder=t("hearings.our_reference_hint", locale)),
        text_input("journal_number", label("journal_number"), value("journal_number"), max_length=MAX_SHORT,
                   placeholder=t("hearings.journal_number_hint", locale)),
        _date("received", label("received"), value("received"), True, t("hearings.error.received_required", locale)),
        _date("external_deadline", label("external_deadline"), value("external_deadline"), True,
              t("hearings.error.deadline_required", locale)),
        _date("internal_deadline", label("internal_deadline"), value("internal_deadline"), False, ""),
        text_input("links", label("links"), value("links"), multiline=True, max_length=5000,
                   placeholder=t("hearings.links_hint", locale), error=t("hearings.error.links_invalid", locale)),
        choice_input("owner", label("owner"),
                     [{"title": m.name, "value": m.aad_object_id} for m in owners], value("owner"),
                     style="filtered"),
    ]
    draft = value("draft_text")
    sent = values or {}
    keep = bool(draft and not with_draft) or (sent.get("keep_draft") == "true" and "draft_text" not in sent)
    if not keep:
        fields.append(text_input("draft_text", label("draft_text"), draft, multiline=True, max_length=MAX_DRAFT))
    fields.append(text_input("draft_link", label("draft_link"), value("draft_link"), max_length=2000,
                             error=t("hearings.error.links_invalid", locale)))
    for field in fields:
        body.append(field)
        key = next((name for name, input_id in FIELD_INPUTS.items() if input_id == field["id"]), field["id"])
        if field["id"] == "internal_deadline":
            body.append(text(t("hearings.internal_rule", locale, n=internal_days), size="Small", isSubtle=True,
                             spacing="None"))
        if field["id"] == "draft_link" and keep:
            body.append(text(t("hearings.draft_kept", locale), size="Small", color="Warning", spacing="None"))
        if key in errors:
            body.append(text(t(errors[key], locale), color="Attention", size="Small", spacing="None"))
    data: dict = {}
    if hearing is not None and hearing.id is not None:
        data = HearingRef(hearing.id, hearing.version).pack()
    elif str(sent.get("hearing_id") or "").isdigit() and str(sent.get("version") or "").isdigit():
        data = {"hearing_id": str(sent["hearing_id"]), "version": str(sent["version"])}  # an edit sent again
    if keep:
        data["keep_draft"] = "true"
    actions = [execute(t("hearings.save", locale), HEARING_SAVE, data)]
    if pii_fields:
        actions.append(execute(t("pii.send_anyway", locale), HEARING_SAVE, {**data, "pii_confirmed": "true"}))
    return card(body, actions)


def _date(input_id: str, label: str, value: str, required: bool, error: str) -> dict:
    element = date_input(input_id, label, _local_date(value), None, required=required)
    if required:
        element["errorMessage"] = error
    return element
