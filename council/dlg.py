"""DLG feedback: a case fremmet for DLG comes back to the next meeting under a standing item."""
from __future__ import annotations

from datetime import date

from council.cases import Case

DLG_FEEDBACK_TITLE = "Tilbakemeldinger fra DLG"


def feedback_line(case: Case) -> str:
    """One line for the standing item's saksframlegg: the case and DLG's outcome."""
    outcome = case.escalation.outcome if case.escalation else ""
    return f"{case.reference} «{case.title}»: {outcome}"



def decision_reference(label: str, day: date) -> str:
    """The escalation's reference when a sak is fremmet from the minutes: its number ("Sak 03/27"), or the
    meeting's date while the agenda is not numbered yet."""
    return label or f"Møtet {day:%d.%m.%Y}"
