"""The case register as CSV (semicolons and BOM, for Norwegian Excel) and as an .xlsx workbook (openpyxl)."""
from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from cards.texts import t
from council.registers import CaseRow

HEADINGS = ("tab.cases.number", "tab.cases.title", "tab.case.description", "tab.cases.unit", "tab.cases.type",
            "tab.case.final_type", "tab.cases.status", "tab.cases.submitted", "tab.case.submitted_by",
            "tab.cases.meeting", "tab.case.reason", "tab.case.escalation", "tab.case.dlg_outcome", "tab.cases.topics",
            "tab.case.topics_confirmed", "tab.case.deviation_ref")


def rows(cases: list[CaseRow], tz: ZoneInfo, locale: str) -> list[list[object]]:
    """One list per case, headings first: the CSV and the workbook show exactly the same cells."""
    table: list[list[object]] = [[t(key, locale) for key in HEADINGS]]
    for row in cases:
        case, escalation = row.case, row.case.escalation
        table.append([
            case.reference, case.title, case.description, case.unit, t(f"casetype.{case.requested_type.value}", locale),
            t(f"casetype.{case.final_type.value}", locale) if case.final_type else "",
            t(f"status.{case.status.value}", locale), case.submitted_at.astimezone(tz).date(),
            case.submitted_by_name, row.meeting_date or "", case.reason or "",
            escalation.on if escalation else "", (escalation.outcome or "") if escalation else "",
            "; ".join(case.topics),
            t("export.yes" if case.topics_confirmed else "export.no", locale) if case.topics else "",
            case.deviation_ref or "",
        ])
    return table


def as_csv(table: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in table:
        writer.writerow([_safe(v.strftime("%d.%m.%Y") if hasattr(v, "strftime") else v) for v in line])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def as_xlsx(table: list[list[object]], sheet_title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for line in table:
        sheet.append([_safe(v) for v in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _safe(value: object) -> object:
    """Text Excel would run as a formula (=, +, -, @) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
