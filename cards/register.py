"""The case register (saksregister): filters, the matching cases and a CSV download link."""
from __future__ import annotations

from cards.actions import CASE_REGISTER, CASE_VIEW, execute
from cards.common import card, text, title
from cards.labels import case_type_label, status_label
from cards.texts import t
from council.cases import Case, CaseFilter, CaseStatus, CaseType

SHOWN = 40


def register_card(cases: list[Case], filters: CaseFilter, years: list[int], units: tuple[str, ...],
                  csv_url: str, locale: str | None) -> dict:
    any_choice = {"title": t("register.any", locale), "value": ""}
    body = [title(t("register.title", locale)), {"type": "ColumnSet", "columns": [
        _column(_choice("year", t("register.year", locale), [any_choice] + [
            {"title": str(y), "value": str(y)} for y in years], str(filters.year or ""))),
        _column(_choice("status", t("case.status", locale), [any_choice] + [
            {"title": status_label(s, locale), "value": s.value} for s in CaseStatus],
            filters.status.value if filters.status else "")),
    ]}, {"type": "ColumnSet", "columns": [
        _column(_choice("unit", t("submit.unit", locale), [any_choice] + [
            {"title": u, "value": u} for u in units], filters.unit or "")),
        _column(_choice("case_type", t("submit.case_type", locale), [any_choice] + [
            {"title": case_type_label(c, locale), "value": c.value} for c in CaseType],
            filters.case_type.value if filters.case_type else "")),
    ]}, text(t("register.count", locale, count=len(cases)), weight="Bolder", spacing="Medium")]
    for case in cases[:SHOWN]:
        body.append({"type": "Container", "separator": True, "selectAction": execute(
            t("queue.open", locale), CASE_VIEW, {"case_id": str(case.id)}), "items": [
            text(f"**{case.reference}** – {case.title}"),
            text(f"{status_label(case.status, locale)} · {case.unit} · {case_type_label(case.requested_type, locale)}",
                 isSubtle=True, spacing="None")]})
    if len(cases) > SHOWN:
        body.append(text(t("register.more", locale, count=len(cases) - SHOWN), isSubtle=True))
    return card(body, [execute(t("register.filter", locale), CASE_REGISTER),
                       {"type": "Action.OpenUrl", "title": t("register.download", locale), "url": csv_url}])


def _column(item: dict) -> dict:
    return {"type": "Column", "width": "stretch", "items": [item]}


def _choice(input_id: str, label: str, choices: list[dict], value: str) -> dict:
    return {"type": "Input.ChoiceSet", "id": input_id, "label": label, "choices": choices, "value": value,
            "style": "compact"}
