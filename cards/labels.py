"""Display names of case types and statuses, and short meeting labels."""
from __future__ import annotations

from cards.texts import t
from cards.texts.format import format_date
from council.cases import CaseStatus, CaseType
from council.meetings import DeadlineRules, Meeting


def case_type_label(case_type: CaseType, locale: str | None) -> str:
    return t(f"casetype.{case_type.value}", locale)


def case_type_inline(case_type: CaseType, locale: str | None) -> str:
    """The case type mid-sentence ("… som drøftingssak (ingen vedtak)."): a common noun, so no capital."""
    label = case_type_label(case_type, locale)
    return label[:1].lower() + label[1:]


def status_label(status: CaseStatus, locale: str | None) -> str:
    return t(f"status.{status.value}", locale)


def meeting_label(meeting: Meeting, locale: str | None) -> str:
    return format_date(meeting.date, locale, weekday=True)


def meeting_with_deadline(meeting: Meeting, rules: DeadlineRules, locale: str | None) -> str:
    return t("submit.meeting_choice", locale, meeting=meeting_label(meeting, locale),
             deadline=format_date(meeting.submission_deadline(rules), locale))
