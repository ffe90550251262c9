"""The submitter's own cases ('Mine saker')."""
from __future__ import annotations

from cards.actions import CASE_ANSWER, CASE_WITHDRAW, CaseRef, execute
from cards.common import card, notice, text, title
from cards.labels import status_label
from cards.texts import t
from cards.texts.format import format_date
from council.cases import UNTRIAGED, Case, CaseStatus


def my_cases_card(cases: list[Case], locale: str | None, message: str | None = None, limit: int = 25) -> dict:
    body = [title(t("cases.mine_title", locale))]
    if message:
        body.append(notice(message))
    if not cases:
        body.append(text(t("cases.mine_empty", locale)))
    for case in cases[:limit]:
        items = [text(f"**{case.reference}** – {case.title}"),
                 text(f"{status_label(case.status, locale)} · {format_date(case.submitted_at.date(), locale)}",
                      isSubtle=True, spacing="None")]
        actions = []
        if case.status is CaseStatus.NEEDS_INFO:
            items.append(text(t("triage.question_asked", locale, question=case.question or "")))
            actions.append({"type": "Action.ShowCard", "title": t("cases.answer", locale), "card": {
                "type": "AdaptiveCard",
                "body": [{"type": "Input.Text", "id": "answer", "label": t("cases.answer_label", locale),
                          "isMultiline": True, "isRequired": True, "maxLength": 2000,
                          "errorMessage": t("cases.answer_required", locale)}],
                "actions": [execute(t("cases.answer_send", locale), CASE_ANSWER, CaseRef(case.id))]}})
        if case.status in UNTRIAGED:
            actions.append(execute(t("cases.withdraw", locale), CASE_WITHDRAW, CaseRef(case.id),
                                   validate=False))
        if actions:
            items.append({"type": "ActionSet", "actions": actions})
        body.append({"type": "Container", "separator": True, "items": items})
    return card(body)
