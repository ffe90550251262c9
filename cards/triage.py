"""The triage card (leader and secretary) and the case queue (sakskø)."""
from __future__ import annotations

from datetime import date

from cards.actions import CASE_DLG_OUTCOME, CASE_TRIAGE, CASE_VIEW, CaseRef, CaseTriage, execute
from cards.common import card, notice, text, title
from cards.labels import case_type_inline, case_type_label, meeting_label, status_label
from cards.submission import topic_choices, topics_fact
from cards.texts import t
from cards.texts.format import format_date
from council.cases import TRANSITIONS, TRIAGEABLE, Case, CaseStatus, CaseType, Triage
from council.submission import FIRST_AVAILABLE

DESCRIPTION_SHOWN = 1500  # keep cards well under Teams' size limit; the full text is in the register


def case_facts(case: Case, locale: str | None, today: date) -> list[dict]:
    facts = [
        {"title": t("case.reference", locale), "value": case.reference},
        {"title": t("case.status", locale), "value": status_label(case.status, locale)},
        {"title": t("case.submitted_by", locale), "value": case.submitted_by_name},
        {"title": t("submit.unit", locale), "value": case.unit},
        {"title": t("submit.case_type", locale), "value": case_type_label(case.requested_type, locale)},
        {"title": t("case.submitted", locale),
         "value": t("case.age", locale, date=format_date(case.submitted_at.date(), locale),
                    days=case.age_days(today))},
    ]
    if case.urgent:
        facts.append({"title": t("submit.urgent", locale), "value": case.urgent_reason or ""})
    if (fact := topics_fact(case, locale)) is not None:
        facts.append(fact)
    if case.deviation_ref:
        facts.append({"title": t("submit.deviation_ref", locale), "value": case.deviation_ref})
    return facts


def triage_card(case: Case, options: dict, locale: str | None = None, message: str | None = None) -> dict:
    today, meetings = options["today"], options["meetings"]
    body = [title(f"{case.reference} – {case.title}")]
    if message:
        body.append(notice(message))
    body.append({"type": "FactSet", "facts": case_facts(case, locale, today)})
    description = case.description if len(case.description) <= DESCRIPTION_SHOWN else \
        case.description[:DESCRIPTION_SHOWN] + " …"
    body.append(text(description))
    if case.links:
        body.append(text("\n".join(f"- [{link}]({link})" for link in case.links)))
    body += _state_details(case, options, locale)
    actions = _triage_actions(case, meetings, options["others"], locale) if case.status in TRIAGEABLE else []
    if actions:  # every decision below carries the topics, so the leader confirms or changes them with it
        body.append(topic_choices("topics", t("triage.topics", locale), options.get("topics", ()), case.topics,
                                  t("cases.topic_unknown", locale)))
    if case.status is CaseStatus.ESCALATED:
        actions.append(_show(t("triage.dlg_outcome", locale), [
            _text_input("outcome", t("triage.dlg_outcome_text", locale), required=True, multiline=True,
                        error=t("cases.outcome_required", locale))],
            execute(t("triage.save", locale), CASE_DLG_OUTCOME, CaseRef(case.id))))
    return card(body, actions)


def _state_details(case: Case, options: dict, locale: str | None) -> list[dict]:
    details = []
    if case.question:
        details.append(text(t("triage.question_asked", locale, question=case.question), isSubtle=True))
    if case.answer:
        details.append(text(t("triage.answer_given", locale, answer=case.answer), weight="Bolder"))
    if case.reason and case.status in (CaseStatus.REJECTED, CaseStatus.DEFERRED):
        details.append(text(t("triage.reason_given", locale, reason=case.reason), isSubtle=True))
    if case.status is CaseStatus.ON_AGENDA:
        meeting = next((m for m in options["meetings"] if m.id == case.meeting_id), None)
        where = meeting_label(meeting, locale) if meeting else t("submit.first_available_inline", locale)
        details.append(text(t("triage.on_agenda", locale, meeting=where,
                              type=case_type_inline(case.final_type or case.requested_type, locale))))
    if case.escalation:
        details.append(text(t("triage.escalated", locale, date=format_date(case.escalation.on, locale),
                              reference=case.escalation.reference)))
        if case.escalation.outcome:
            details.append(text(t("triage.dlg_decided", locale, outcome=case.escalation.outcome)))
    return details


def _triage_actions(case: Case, meetings, others, locale: str | None) -> list[dict]:
    meeting_choices = [{"title": meeting_label(m, locale), "value": str(m.id)} for m in meetings]
    meeting_choices.append({"title": t("submit.first_available", locale), "value": FIRST_AVAILABLE})
    data = lambda decision: CaseTriage(case.id, case.version, decision.value, with_topics=True)  # noqa: E731
    save = lambda decision: execute(t("triage.save", locale), CASE_TRIAGE, data(decision))  # noqa: E731
    type_choices = [{"title": case_type_label(c, locale), "value": c.value} for c in CaseType]
    allowed = {decision for decision, (sources, _) in TRANSITIONS.items() if case.status in sources}
    if not others:
        allowed.discard(Triage.DUPLICATE)
    return [action for decision, action in zip(Triage, [
        _show(t("triage.accept", locale), [
            _choice_input("meeting_id", t("submit.meeting", locale), meeting_choices,
                          str(case.requested_meeting_id or FIRST_AVAILABLE)),
            _choice_input("final_type", t("triage.final_type", locale), type_choices, case.requested_type.value),
        ], save(Triage.ACCEPT)),
        _show(t("triage.defer", locale), [
            _choice_input("meeting_id", t("triage.defer_to", locale), meeting_choices, FIRST_AVAILABLE),
            _text_input("reason", t("triage.reason_optional", locale)),
        ], save(Triage.DEFER)),
        _show(t("triage.reject", locale), [
            _text_input("reason", t("triage.reason", locale), required=True, multiline=True,
                        error=t("cases.reason_required", locale))], save(Triage.REJECT)),
        _show(t("triage.duplicate", locale), [
            _choice_input("duplicate_of", t("triage.duplicate_of", locale),
                          [{"title": f"{o.reference} – {o.title}", "value": str(o.id)} for o in others], "",
                          required=True, error=t("cases.duplicate_needs_case", locale))], save(Triage.DUPLICATE)),
        _show(t("triage.ask_info", locale), [
            _text_input("question", t("triage.question", locale), required=True, multiline=True,
                        error=t("cases.question_required", locale))], save(Triage.ASK_INFO)),
        _show(t("triage.escalate", locale), [
            {"type": "Input.Date", "id": "escalated_on", "label": t("triage.escalated_on", locale)},
            _text_input("reference", t("triage.escalation_reference", locale), required=True,
                        error=t("cases.escalation_needs_reference", locale))], save(Triage.ESCALATE)),
    ], strict=True) if decision in allowed]


def _show(label: str, inputs: list[dict], action: dict) -> dict:
    return {"type": "Action.ShowCard", "title": label,
            "card": {"type": "AdaptiveCard", "body": inputs, "actions": [action]}}


def _text_input(input_id: str, label: str, *, required: bool = False, multiline: bool = False,
                error: str | None = None) -> dict:
    return {"type": "Input.Text", "id": input_id, "label": label, "isRequired": required,
            "isMultiline": multiline, "errorMessage": error or label, "maxLength": 2000}


def _choice_input(input_id: str, label: str, choices: list[dict], value: str, *, required: bool = False,
                  error: str | None = None) -> dict:
    return {"type": "Input.ChoiceSet", "id": input_id, "label": label, "choices": choices, "value": value,
            "style": "compact", "isRequired": required, "errorMessage": error or label}


def queue_card(cases: list[Case], today: date, flag_days: int, locale: str | None, limit: int = 30) -> dict:
    """Open cases oldest first, with their age; long-waiting or twice-deferred cases flagged."""
    body = [title(t("queue.title", locale))]
    if not cases:
        body.append(text(t("queue.empty", locale)))
    for case in cases[:limit]:
        flag = f"[{t('queue.flag', locale)}] " if case.flagged(today, flag_days) else ""
        line = t("queue.line", locale, unit=case.unit, days=case.age_days(today),
                 status=status_label(case.status, locale))
        if case.deferrals:
            key = "queue.deferred_once" if case.deferrals == 1 else "queue.deferred_times"
            line += " · " + t(key, locale, count=case.deferrals)
        body.append({"type": "Container", "separator": True, "items": [
            text(f"{flag}**{case.reference}** – {case.title}"), text(line, isSubtle=True, spacing="None"),
            {"type": "ActionSet", "actions": [execute(t("queue.open", locale), CASE_VIEW,
                                                      CaseRef(case.id))]}]})
    if len(cases) > limit:
        body.append(text(t("queue.more", locale, count=len(cases) - limit), isSubtle=True))
    body.append(text(t("queue.flag_rule", locale, days=flag_days), size="Small", isSubtle=True))
    return card(body)
