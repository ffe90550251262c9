"""Exports: the case register and a vote's result as CSV for Excel (UTF-8 with BOM for æøå, semicolons as
Norwegian Excel expects), and the vote result as an archive PDF (cards.pdf)."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cards.labels import case_type_label, status_label
from cards.pdf import PdfItem, PdfMeeting, record_pdf
from cards.texts import t
from cards.texts.format import format_date, format_time
from cards.votes import NB, OSLO, choice_label, deadline_text, outcome_label, turnout_line, voter_line
from council.cases import Case
from council.votes import MAX_COMMENT

if TYPE_CHECKING:
    from council.services.votes import VoteExport

COLUMNS = ("case.reference", "submit.title", "submit.description", "submit.unit", "submit.case_type",
           "triage.final_type", "case.status", "case.submitted", "case.submitted_by", "submit.urgent",
           "export.deferrals", "triage.reason", "triage.escalated_on", "triage.escalation_reference",
           "triage.dlg_outcome_text", "case.topics", "tab.case.topics_confirmed", "submit.deviation_ref")

_EARLIEST = datetime.min.replace(tzinfo=UTC)  # sorts ballots without a time first


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
            (escalation.outcome or "") if escalation else "", "; ".join(case.topics),
            (t("export.yes", locale) if case.topics_confirmed else t("export.no", locale)) if case.topics else "",
            case.deviation_ref or "",
        ]])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    """Text that Excel would run as a formula (=, +, -, @) is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# --- the result as CSV and as PDF input --------------------------------------------------------------------------


def _stamp(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M") if moment else ""


def vote_result_csv(export: VoteExport, tz: ZoneInfo = OSLO, locale: str | None = None) -> bytes:
    """For Excel: UTF-8 with BOM, ';'. A named vote lists each voter and every change; a secret vote only counts
    (and the anonymous remarks)."""
    vote, counted = export.vote, export.tally
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def row(*cells: object) -> None:
        writer.writerow([_cell(value) for value in cells])

    row(t("votes.csv.question", locale), vote.question)
    row(t("votes.csv.proposal", locale), vote.proposal)
    row(t("votes.mode", locale), t("votes.mode.secret" if vote.secret else "votes.mode.named", locale))
    row(t("votes.csv.quorum", locale), t(f"votes.quorum.{vote.quorum.value}", locale))
    row(t("votes.csv.majority", locale), t(f"votes.majority.{vote.majority.value}", locale))
    row(t("votes.deadline", locale), _stamp(vote.deadline, tz))
    row(t("votes.csv.closed", locale), _stamp(vote.closed_at, tz))
    row(t("votes.csv.entitled", locale), counted.entitled)
    row(t("votes.csv.voted", locale), counted.voted)
    row(t("votes.result_label", locale), outcome_label(export.outcome, locale))
    row()
    row(t("votes.csv.choice", locale), t("votes.csv.count", locale))
    for choice in vote.options:
        row(choice_label(choice, locale), counted.count(choice))
    if vote.secret:
        if counted.comments:
            row()
            row(t("votes.csv.remarks_anonymous", locale))
            row(t("votes.csv.choice", locale), t("votes.csv.comment", locale))
            for choice, remark in counted.comments:
                row(choice_label(choice, locale), remark)
    else:
        row()
        row(t("votes.csv.name", locale), t("votes.csv.choice", locale), t("votes.csv.comment", locale),
            t("votes.csv.time", locale))
        for line in export.ballots:
            row(line.name, choice_label(line.choice, locale) if line.choice else t("votes.csv.not_voted", locale),
                line.comment, _stamp(line.cast_at, tz))
        row()
        row(t("votes.csv.history", locale))
        row(t("votes.csv.time", locale), t("votes.csv.name", locale), t("votes.csv.choice", locale),
            t("votes.csv.comment", locale))
        for line in sorted(export.history, key=lambda h: (h.cast_at is None, h.cast_at or _EARLIEST, h.name)):
            row(_stamp(line.cast_at, tz), line.name, choice_label(line.choice, locale) if line.choice else "",
                line.comment)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def vote_result_document(export: VoteExport, tz: ZoneInfo = OSLO) -> PdfMeeting:
    """The result as cards.pdf input (bokmål, for the archive); render with `vote_result_pdf`."""
    vote, counted = export.vote, export.tally
    closed = (vote.closed_at or vote.deadline).astimezone(tz)
    counts = tuple(f"{choice_label(c, NB)}: {counted.count(c)}" for c in vote.options)
    items = [
        PdfItem("", t("votes.proposal", NB), t("votes.mode.secret" if vote.secret else "votes.mode.named", NB),
                text=vote.proposal),
        PdfItem("", t("votes.doc.counts", NB), turnout_line(counted, NB), extra=counts),
        PdfItem("", t("votes.result_label", NB), t(f"votes.quorum.{vote.quorum.value}", NB) + " · "
                + t(f"votes.majority.{vote.majority.value}", NB), text=outcome_label(export.outcome, NB)),
    ]
    if vote.secret:
        if counted.comments:
            items.append(PdfItem("", t("votes.csv.remarks_anonymous", NB), "",
                                 extra=tuple(f"{choice_label(c, NB)}: {remark}" for c, remark in counted.comments)))
    else:
        items.append(PdfItem("", t("votes.who_voted_what", NB), "",
                             extra=tuple(voter_line(line, NB, MAX_COMMENT) for line in export.ballots)))
        if export.history:
            history = sorted(export.history, key=lambda h: (h.cast_at is None, h.cast_at or _EARLIEST, h.name))
            items.append(PdfItem("", t("votes.csv.history", NB), "", extra=tuple(
                f"{_stamp(h.cast_at, tz)} {voter_line(h, NB, MAX_COMMENT)}" for h in history)))
    return PdfMeeting(
        council=t("app.name", NB), organisation=t("doc.organisation", NB),
        title=t("votes.doc.title", NB, question=vote.question), date_text=format_date(closed.date(), NB, weekday=True),
        time_text=format_time(closed, NB), place="", items=tuple(items), status=outcome_label(export.outcome, NB),
        footer_lines=(t("votes.deadline_line", NB, deadline=deadline_text(vote.deadline, NB, tz)),),
        created=closed)


def vote_result_pdf(export: VoteExport, tz: ZoneInfo = OSLO) -> bytes:
    """The result document as an archive PDF in the minutes' layout (document kind 'Resultat av avstemning' in
    the metadata, 'Avstemningen' above its parts)."""
    return record_pdf(vote_result_document(export, tz), t("votes.doc.kind", NB), t("votes.doc.heading", NB))
