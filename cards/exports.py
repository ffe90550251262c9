"""The case register as CSV for Excel: UTF-8 with BOM (æøå) and semicolons (Norwegian Excel's separator)."""
from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from cards.labels import case_type_label, status_label
from cards.texts import t
from council.cases import Case

COLUMNS = ("case.reference", "submit.title", "submit.description", "submit.unit", "submit.case_type",
           "triage.final_type", "case.status", "case.submitted", "case.submitted_by", "submit.urgent",
           "export.deferrals", "triage.reason", "triage.escalated_on", "triage.escalation_reference",
           "triage.dlg_outcome_text")


def cases_csv(cases: list[Case], tz: ZoneInfo, locale: str | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([t(key, locale) for key in COLUMNS])
    for case in cases:
        escalation = case.escalation
        writer.writerow([_cell(value) for value in [
            case.reference, case.title, case.description, case.unit, case_type_label(case.requested_type, locale),
            case_type_label(case.final_type, locale) if case.final_type else "", status_label(case.status, locale),
            case.submitted_at.astimezone(tz).strftime("%d.%m.%Y"), case.submitted_by_name,
            t("export.yes", locale) if case.urgent else t("export.no", locale), case.deferrals, case.reason or "",
            escalation.on.strftime("%d.%m.%Y") if escalation else "", escalation.reference if escalation else "",
            (escalation.outcome or "") if escalation else "",
        ]])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    """Text that Excel would run as a formula (=, +, -, @) is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
