"""Cases (innmeldinger): what a submitter sends in, and how triage moves it through its statuses."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from council.errors import Conflict, InvalidInput
from council.topics import TopicsStatus


class CaseType(str, Enum):
    ORIENTERING = "orientering"
    DROFTING = "drofting"
    BESLUTNING = "beslutning"
    HORING = "horing"


class CaseStatus(str, Enum):
    SUBMITTED = "innmeldt"
    NEEDS_INFO = "venter_pa_info"
    ON_AGENDA = "pa_saksliste"
    DEFERRED = "utsatt"
    REJECTED = "avvist"
    DUPLICATE = "duplikat"
    ESCALATED = "loftet_til_dlg"
    DLG_DECIDED = "behandlet_i_dlg"
    WITHDRAWN = "trukket"
    DISCUSSED = "drøftet"
    DECIDED = "vedtatt"
    NOTED = "tatt_til_orientering"


UNTRIAGED = frozenset({CaseStatus.SUBMITTED, CaseStatus.NEEDS_INFO})
OPEN = frozenset({CaseStatus.SUBMITTED, CaseStatus.NEEDS_INFO, CaseStatus.DEFERRED})
TRIAGEABLE = OPEN | {CaseStatus.ON_AGENDA}


class Triage(str, Enum):
    """Triage decisions: each moves a case from some statuses to one status."""

    ACCEPT = "accept"
    DEFER = "defer"
    REJECT = "reject"
    DUPLICATE = "duplicate"
    ASK_INFO = "ask_info"
    ESCALATE = "escalate"


TRANSITIONS: dict[Triage, tuple[frozenset[CaseStatus], CaseStatus]] = {
    Triage.ACCEPT: (OPEN, CaseStatus.ON_AGENDA),
    Triage.DEFER: (TRIAGEABLE, CaseStatus.DEFERRED),
    Triage.REJECT: (OPEN, CaseStatus.REJECTED),
    Triage.DUPLICATE: (OPEN, CaseStatus.DUPLICATE),
    Triage.ASK_INFO: (frozenset({CaseStatus.SUBMITTED, CaseStatus.DEFERRED}), CaseStatus.NEEDS_INFO),
    Triage.ESCALATE: (TRIAGEABLE, CaseStatus.ESCALATED),
}


@dataclass(frozen=True)
class CaseFilter:
    """Register filters; None means any."""

    year: int | None = None
    status: CaseStatus | None = None
    unit: str | None = None
    case_type: CaseType | None = None


@dataclass(frozen=True)
class Escalation:
    """Løftet til DLG through the fag- og forskningsdirektør: date, reference, and later DLG's outcome."""

    on: date
    reference: str
    outcome: str | None = None
    outcome_at: datetime | None = None


@dataclass(frozen=True)
class Case:
    id: int | None
    year: int
    number: int
    title: str
    description: str
    unit: str
    requested_type: CaseType
    submitted_by: str
    submitted_by_name: str
    submitted_at: datetime
    submission_key: str
    status: CaseStatus = CaseStatus.SUBMITTED
    status_changed_at: datetime | None = None
    requested_meeting_id: int | None = None
    meeting_id: int | None = None
    final_type: CaseType | None = None
    links: tuple[str, ...] = ()
    urgent: bool = False
    urgent_reason: str | None = None
    deferrals: int = 0
    reason: str | None = None  # rejection or deferral reason
    duplicate_of: int | None = None
    question: str | None = None
    answer: str | None = None
    escalation: Escalation | None = None
    pii_override: bool = False
    deviation_ref: str | None = None  # avviksnummer of a deviation report: a number, never patient data
    topics: tuple[str, ...] = ()  # labels from the mandate's task list, as they were when set
    topics_status: TopicsStatus = TopicsStatus.SUGGESTED
    version: int = 1

    @property
    def reference(self) -> str:
        """'Innmelding 014/26': the year's sequence number and the two-digit year."""
        return f"Innmelding {self.number:03d}/{self.year % 100:02d}"

    def age_days(self, today: date) -> int:
        return (today - self.submitted_at.date()).days

    def flagged(self, today: date, max_age_days: int) -> bool:
        """Waiting too long, or deferred twice: the leader should look at it."""
        return self.status in OPEN and (self.age_days(today) > max_age_days or self.deferrals >= 2)

    def snapshot(self) -> dict:
        """For the audit trail: status and ids, never the free text."""
        return {"status": self.status.value, "meeting_id": self.meeting_id, "deferrals": self.deferrals,
                "final_type": self.final_type.value if self.final_type else None,
                "duplicate_of": self.duplicate_of, "topics": list(self.topics),
                "topics_status": self.topics_status.value, "version": self.version}

    @property
    def topics_confirmed(self) -> bool:
        return self.topics_status is TopicsStatus.CONFIRMED


def triage(case: Case, decision: Triage, at: datetime, *, meeting_id: int | None = None,
           final_type: CaseType | None = None, reason: str | None = None, duplicate_of: int | None = None,
           question: str | None = None, escalation: Escalation | None = None) -> Case:
    """Apply a triage decision, or raise naming the rule it breaks."""
    allowed_from, to = TRANSITIONS[decision]
    if case.status not in allowed_from:
        raise Conflict("cases.already_handled", status=case.status.value)
    changes: dict = {"status": to, "status_changed_at": at, "version": case.version + 1}
    if decision is Triage.ACCEPT:
        changes.update(meeting_id=meeting_id, final_type=final_type or case.requested_type, reason=None)
    elif decision is Triage.DEFER:
        changes.update(meeting_id=meeting_id, deferrals=case.deferrals + 1, reason=reason)
    elif decision is Triage.REJECT:
        if not (reason or "").strip():
            raise InvalidInput("cases.reason_required")
        changes.update(reason=(reason or "").strip())
    elif decision is Triage.DUPLICATE:
        if duplicate_of is None or duplicate_of == case.id:
            raise InvalidInput("cases.duplicate_needs_case")
        changes.update(duplicate_of=duplicate_of)
    elif decision is Triage.ASK_INFO:
        if not (question or "").strip():
            raise InvalidInput("cases.question_required")
        changes.update(question=(question or "").strip(), answer=None)
    elif decision is Triage.ESCALATE:
        if escalation is None or not escalation.reference.strip():
            raise InvalidInput("cases.escalation_needs_reference")
        changes.update(escalation=escalation)
    return replace(case, **changes)


def set_topics(case: Case, topics: tuple[str, ...], allowed: tuple[str, ...]) -> Case:
    """The leader confirms (or changes) the topics at triage. Labels the case already carries stay allowed
    after the configured list changed; any other unknown label is a stale or forged card."""
    if any(topic not in allowed and topic not in case.topics for topic in topics):
        raise InvalidInput("cases.topic_unknown")
    return replace(case, topics=topics, topics_status=TopicsStatus.CONFIRMED)


def conclude(case: Case, status: CaseStatus, at: datetime) -> Case:
    """The meeting dealt with the case: discussed, decided or noted (the submitter is told)."""
    if case.status not in (CaseStatus.ON_AGENDA, CaseStatus.DISCUSSED, CaseStatus.DECIDED, CaseStatus.NOTED):
        raise Conflict("cases.not_on_agenda")
    if case.status is status:
        return case
    return replace(case, status=status, status_changed_at=at, version=case.version + 1)


def answer_question(case: Case, answer: str, at: datetime) -> Case:
    """The submitter's answer sends the case back to the queue."""
    if case.status is not CaseStatus.NEEDS_INFO:
        raise Conflict("cases.no_question")
    if not answer.strip():
        raise InvalidInput("cases.answer_required")
    return replace(case, status=CaseStatus.SUBMITTED, answer=answer.strip(), status_changed_at=at,
                   version=case.version + 1)


def withdraw(case: Case, at: datetime) -> Case:
    """A submitter may withdraw until the case is triaged."""
    if case.status not in UNTRIAGED:
        raise Conflict("cases.cannot_withdraw")
    return replace(case, status=CaseStatus.WITHDRAWN, status_changed_at=at, version=case.version + 1)


def record_dlg_outcome(case: Case, outcome: str, at: datetime) -> Case:
    if case.status is not CaseStatus.ESCALATED or case.escalation is None:
        raise Conflict("cases.not_escalated")
    if not outcome.strip():
        raise InvalidInput("cases.outcome_required")
    escalation = replace(case.escalation, outcome=outcome.strip(), outcome_at=at)
    return replace(case, status=CaseStatus.DLG_DECIDED, escalation=escalation, status_changed_at=at,
                   version=case.version + 1)


def escalate_decision(case: Case, escalation: Escalation, at: datetime) -> Case:
    """A decided sak is fremmet for DLG from the minutes; DLG's outcome is then recorded as after triage."""
    if case.status not in (CaseStatus.DECIDED, CaseStatus.ESCALATED):
        raise Conflict("cases.not_decided")
    if case.status is CaseStatus.ESCALATED and case.escalation == escalation:
        return case
    return replace(case, status=CaseStatus.ESCALATED, escalation=escalation, status_changed_at=at,
                   version=case.version + 1)
