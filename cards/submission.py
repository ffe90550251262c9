"""'Meld inn sak': the form, the patient-ID warning and the confirmation."""
from __future__ import annotations

from cards.actions import CASE_EDIT, CASE_MINE, CASE_SUBMIT, CASE_WITHDRAW, CaseRef, execute, submit
from cards.common import card, notice, privacy_notice, text, title
from cards.labels import case_type_label, meeting_label, meeting_with_deadline, status_label
from cards.texts import t
from council.cases import Case, CaseType
from council.meetings import DeadlineRules, Meeting
from council.submission import FIRST_AVAILABLE, MAX_DESCRIPTION, MAX_REASON, MAX_TITLE, Draft
from council.topics import DEFAULT_TOPICS, MAX_DEVIATION_REF, TopicsStatus

PII_REFUSED = "submit.error.deviation_ref_pii"


def _button(label: str, verb: str, data: dict, task_module: bool) -> dict:
    return submit(label, verb, data) if task_module else execute(label, verb, data)


def submission_form(units: tuple[str, ...], meetings: list[Meeting], rules: DeadlineRules, locale: str | None,
                    draft: Draft, errors: dict[str, str] | None = None, task_module: bool = False,
                    topics: tuple[str, ...] = DEFAULT_TOPICS) -> dict:
    """Every input labelled with an errorMessage; server errors shown under their field, values kept (except an
    avviksnummer refused as an identity number, which is never echoed back)."""
    errors = errors or {}
    deviation_ref = "" if errors.get("deviation_ref") == PII_REFUSED else draft.deviation_ref
    default_meeting = draft.meeting if draft.meeting != FIRST_AVAILABLE or not meetings else str(meetings[0].id)
    meeting_choices = [{"title": meeting_with_deadline(m, rules, locale), "value": str(m.id)} for m in meetings]
    meeting_choices.append({"title": t("submit.first_available", locale), "value": FIRST_AVAILABLE})
    fields = [
        _input_text("title", t("submit.title", locale), draft.title, required=True, max_length=MAX_TITLE,
                    error=t("submit.error.title_required", locale)),
        _input_text("description", t("submit.description", locale), draft.description, required=True,
                    multiline=True, max_length=MAX_DESCRIPTION, error=t("submit.error.description_required", locale)),
        _choice("unit", t("submit.unit", locale), [{"title": u, "value": u} for u in units], draft.unit,
                t("submit.error.unit_required", locale)),
        _choice("case_type", t("submit.case_type", locale),
                [{"title": case_type_label(c, locale), "value": c.value} for c in CaseType], draft.case_type,
                t("submit.error.type_required", locale)),
        _choice("meeting", t("submit.meeting", locale), meeting_choices, default_meeting,
                t("submit.error.meeting_closed", locale)),
        _input_text("links", t("submit.links", locale), draft.links, multiline=True,
                    placeholder=t("submit.links_hint", locale), error=t("submit.error.links_invalid", locale)),
        {"type": "Input.Toggle", "id": "urgent", "title": t("submit.urgent", locale), "label": t("submit.urgent_label",
         locale), "valueOn": "true", "valueOff": "false", "value": "true" if draft.urgent else "false"},
        _input_text("urgent_reason", t("submit.urgent_reason", locale), draft.urgent_reason, max_length=MAX_REASON,
                    error=t("submit.error.urgent_reason_required", locale)),
        topic_choices("topics", t("submit.topics", locale), topics, draft.chosen_topics,
                      t("submit.error.topics_unknown", locale)),
        _input_text("deviation_ref", t("submit.deviation_ref", locale), deviation_ref,
                    max_length=MAX_DEVIATION_REF, placeholder=t("submit.deviation_ref_hint", locale),
                    error=t("submit.error.deviation_ref_invalid", locale)),
    ]
    body = [title(t("submit.heading", locale)), privacy_notice(locale)]
    if errors:
        body.append(notice(t("submit.fix_errors", locale), color="Attention"))
    for field in fields:
        body.append(field)
        if field["id"] in errors:
            body.append(text(t(errors[field["id"]], locale), color="Attention", size="Small", spacing="None"))
    action = _button(t("submit.send", locale), CASE_SUBMIT, {"submission_key": draft.submission_key}, task_module)
    return card(body, [action])


def _input_text(input_id: str, label: str, value: str, *, required: bool = False, multiline: bool = False,
                max_length: int | None = None, placeholder: str | None = None, error: str | None = None) -> dict:
    element = {"type": "Input.Text", "id": input_id, "label": label, "value": value, "isRequired": required,
               "isMultiline": multiline, "errorMessage": error or label}
    if max_length:
        element["maxLength"] = max_length
    if placeholder:
        element["placeholder"] = placeholder
    return element


def _choice(input_id: str, label: str, choices: list[dict], value: str, error: str) -> dict:
    element = {"type": "Input.ChoiceSet", "id": input_id, "label": label, "choices": choices, "style": "compact",
               "isRequired": True, "errorMessage": error}
    if value:
        element["value"] = value
    return element


def topic_choices(input_id: str, label: str, topics: tuple[str, ...], chosen: tuple[str, ...], error: str) -> dict:
    """An optional multi-select of topics; chosen labels no longer configured stay offered (and chosen)."""
    offered = tuple(dict.fromkeys((*topics, *chosen)))
    element = {"type": "Input.ChoiceSet", "id": input_id, "label": label, "isMultiSelect": True,
               "style": "compact", "choices": [{"title": topic, "value": topic} for topic in offered],
               "errorMessage": error}
    if chosen:
        element["value"] = ",".join(chosen)
    return element


def topics_fact(case: Case, locale: str | None) -> dict | None:
    """«Foreslåtte emner», «Emner» or «Emner (bekreftet)» with the labels; None when the case has none."""
    if not case.topics:
        return None
    key = {TopicsStatus.SUGGESTED: "case.topics_suggested", TopicsStatus.CHOSEN: "case.topics",
           TopicsStatus.CONFIRMED: "case.topics_confirmed"}[case.topics_status]
    return {"title": t(key, locale), "value": ", ".join(case.topics)}


def pii_warning_card(draft: Draft, fields: list[str], locale: str | None, task_module: bool = False) -> dict:
    """Names the fields, never echoes the number; the user edits or confirms it is not an ID number."""
    names = ", ".join(f"«{t(f'submit.{name}', locale)}»" for name in fields)
    body = [title(t("pii.title", locale)), text(t("pii.body", locale, fields=names), color="Attention"),
            privacy_notice(locale)]
    data = draft.as_data()
    return card(body, [
        _button(t("pii.edit", locale), CASE_EDIT, data, task_module),
        _button(t("pii.send_anyway", locale), CASE_SUBMIT, {**data, "pii_confirmed": "true"}, task_module),
    ])


def confirmation_card(case: Case, meeting: Meeting | None, locale: str | None, duplicate: bool = False) -> dict:
    facts = [
        {"title": t("case.reference", locale), "value": case.reference},
        {"title": t("case.status", locale), "value": status_label(case.status, locale)},
        {"title": t("submit.title", locale), "value": case.title},
        {"title": t("submit.meeting", locale),
         "value": meeting_label(meeting, locale) if meeting else t("submit.first_available", locale)},
    ]
    if (fact := topics_fact(case, locale)) is not None:
        facts.append(fact)
    if case.deviation_ref:
        facts.append({"title": t("submit.deviation_ref", locale), "value": case.deviation_ref})
    body = [title(t("submit.thanks", locale)), text(t("submit.thanks_body", locale, reference=case.reference)),
            {"type": "FactSet", "facts": facts}]
    if case.topics and case.topics_status is TopicsStatus.SUGGESTED:
        body.append(text(t("submit.topics_suggested_note", locale), isSubtle=True, size="Small"))
    if duplicate:
        body.insert(1, notice(t("submit.already_received", locale)))
    return card(body, [execute(t("cases.mine_title", locale), CASE_MINE),
                       execute(t("cases.withdraw", locale), CASE_WITHDRAW, CaseRef(case.id))])
