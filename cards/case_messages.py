"""What the case service queues, as activities: the submitter's status notices and the triage card."""
from __future__ import annotations

from cards.actions import CASE_ANSWER, CASE_MINE, CaseRef, execute
from cards.common import card, text, title
from cards.labels import case_type_inline, meeting_label
from cards.texts import t
from cards.texts.format import format_date
from cards.triage import triage_card
from council.cases import Case, CaseStatus
from council.meetings import Meeting


def activity(card_json: dict, summary: str) -> dict:
    """A message carrying one card; `summary` is what notifications and previews show."""
    return {"type": "message", "summary": summary, "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": card_json}]}


def notice_text(case: Case, meeting: Meeting | None, locale: str | None) -> str:
    status = case.status
    where = meeting_label(meeting, locale) if meeting else t("submit.first_available_inline", locale)
    if status is CaseStatus.ON_AGENDA:
        kind = case_type_inline(case.final_type or case.requested_type, locale)
        key = "notice.pa_saksliste" if meeting else "notice.pa_saksliste_first"
        return t(key, locale, meeting=where, type=kind)
    if status is CaseStatus.DEFERRED:
        key = "notice.utsatt_reason" if case.reason else "notice.utsatt"
        return t(key, locale, meeting=where, reason=case.reason or "")
    if status in (CaseStatus.ESCALATED, CaseStatus.DLG_DECIDED) and case.escalation:
        e = case.escalation
        return t(f"notice.{status.value}", locale, date=format_date(e.on, locale), reference=e.reference,
                 outcome=e.outcome or "")
    return t(f"notice.{status.value}", locale, reason=case.reason or "", question=case.question or "")


class CardCaseMessages:
    """The CaseMessages port, implemented with cards."""

    def status_notice(self, case: Case, meeting: Meeting | None, locale: str | None) -> dict:
        heading = t("notice.title", locale, reference=case.reference, title=case.title)
        message = notice_text(case, meeting, locale)
        body = [title(heading), text(message)]
        actions = [execute(t("cases.mine_title", locale), CASE_MINE)]
        if case.status is CaseStatus.NEEDS_INFO:
            body.append({"type": "Input.Text", "id": "answer", "label": t("cases.answer_label", locale),
                         "isMultiline": True, "isRequired": True, "maxLength": 2000,
                         "errorMessage": t("cases.answer_required", locale)})
            actions.insert(0, execute(t("cases.answer_send", locale), CASE_ANSWER, CaseRef(case.id)))
        return activity(card(body, actions), f"{case.reference}: {message}")

    def triage_card(self, case: Case, options: dict) -> dict:
        return activity(triage_card(case, options), f"{t('triage.new', None)}: {case.reference}")

    def dlg_outcome_notice(self, case: Case) -> dict:
        message = t("notice.dlg_channel", None, reference=case.reference, title=case.title,
                    outcome=case.escalation.outcome if case.escalation else "")
        return activity(card([text(message)]), message)
