"""Hearings (høringer): the register of consultations the council answers (docs/domain.md §3, fields §3.5).

A hearing has two deadlines: the sender's **Høringsfrist** and the council's **Intern frist**, by default a
configurable number of working days before it. Warnings run against the internal one.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from council.errors import Conflict, InvalidInput
from council.planning import WorkingCalendar
from council.submission import _valid_url, parse_links

MAX_TITLE = 300
MAX_SHORT = 200
MAX_DRAFT = 20000
MAX_LINKS = 10


class HearingStatus(str, Enum):
    RECEIVED = "mottatt"  # Mottatt
    IN_PROGRESS = "under_arbeid"  # Under arbeid
    TO_VOTE = "til_avstemning"  # Til avstemning (a vote is open on the response)
    TO_MEETING = "til_behandling"  # Til behandling i møte
    DECIDED = "vedtatt"  # Vedtatt
    SENT = "sendt"  # Sendt
    NO_COMMENTS = "ingen_merknader"  # Ingen merknader
    NOT_ANSWERED = "ikke_besvart"  # Ikke besvart


FINAL = frozenset({HearingStatus.SENT, HearingStatus.NO_COMMENTS, HearingStatus.NOT_ANSWERED})
WORKING = frozenset({HearingStatus.RECEIVED, HearingStatus.IN_PROGRESS, HearingStatus.TO_VOTE,
                     HearingStatus.TO_MEETING})  # nothing decided yet
VOTABLE = frozenset({HearingStatus.RECEIVED, HearingStatus.IN_PROGRESS, HearingStatus.TO_MEETING})

_CLOSE = {HearingStatus.NO_COMMENTS, HearingStatus.NOT_ANSWERED}
TRANSITIONS: dict[HearingStatus, frozenset[HearingStatus]] = {
    HearingStatus.RECEIVED: frozenset({HearingStatus.IN_PROGRESS, HearingStatus.TO_VOTE, HearingStatus.TO_MEETING,
                                       *_CLOSE}),
    HearingStatus.IN_PROGRESS: frozenset({HearingStatus.TO_VOTE, HearingStatus.TO_MEETING, *_CLOSE}),
    HearingStatus.TO_VOTE: frozenset({HearingStatus.IN_PROGRESS, HearingStatus.TO_MEETING, HearingStatus.DECIDED,
                                      *_CLOSE}),
    HearingStatus.TO_MEETING: frozenset({HearingStatus.IN_PROGRESS, HearingStatus.TO_VOTE, HearingStatus.DECIDED,
                                         *_CLOSE}),
    HearingStatus.DECIDED: frozenset({HearingStatus.SENT, HearingStatus.NOT_ANSWERED}),
    HearingStatus.SENT: frozenset(),
    HearingStatus.NO_COMMENTS: frozenset(),
    HearingStatus.NOT_ANSWERED: frozenset(),
}


@dataclass(frozen=True)
class HearingRules:
    """Settings (docs/domain.md §10.3): the internal buffer and when the 'nothing drafted' warning starts."""

    internal_working_days_before: int = 10
    warn_working_days: int = 3

    def __post_init__(self) -> None:
        if self.internal_working_days_before < 0 or self.warn_working_days < 0:
            raise ValueError("hearing day counts must be 0 or more")


@dataclass(frozen=True)
class HearingForm:
    """What the registration form sent (strings and dates); `internal_deadline` None means the default."""

    title: str = ""
    sender: str = ""
    their_reference: str = ""
    case_number: str = ""  # Vår referanse / Saksnummer (P360), e.g. 2026/01234
    journal_number: str = ""  # Journalpostnummer (innkommende), e.g. 26/01234-1
    received: date | None = None
    external_deadline: date | None = None
    internal_deadline: date | None = None
    links: str = ""
    owner: str | None = None  # AAD object id of the Ansvarlig
    draft_text: str = ""
    draft_link: str = ""

    def free_text(self) -> dict[str, str]:
        return {"title": self.title, "sender": self.sender, "their_reference": self.their_reference,
                "links": self.links, "draft_text": self.draft_text, "draft_link": self.draft_link}


@dataclass(frozen=True)
class Hearing:
    id: int | None
    title: str
    sender: str
    received: date
    external_deadline: date  # Høringsfrist
    internal_deadline: date  # Intern frist
    created_by: str
    created_at: datetime
    their_reference: str = ""
    case_number: str = ""
    journal_number: str = ""
    document_links: tuple[str, ...] = ()
    owner: str | None = None
    owner_name: str = ""
    draft_text: str = ""
    draft_link: str = ""
    status: HearingStatus = HearingStatus.RECEIVED
    status_changed_at: datetime | None = None
    meeting_id: int | None = None  # Behandles i møte
    agenda_item_id: int | None = None
    vote_id: int | None = None  # the latest vote on the response
    vote_outcome: str | None = None  # council.votes.Outcome value of that vote, once closed
    decision: str = ""  # Rådets vedtak / konklusjon
    response_reference: str = ""  # Høringssvar (utgående): link or P360 journalpost number
    version: int = 1

    @property
    def has_draft(self) -> bool:
        return bool(self.draft_text.strip() or self.draft_link.strip())

    @property
    def draft(self) -> str:
        """What a vote on the response puts forward: the text, else the link."""
        return self.draft_text.strip() or self.draft_link.strip()

    def snapshot(self) -> dict:
        """For the audit trail: status and ids, never the free text."""
        return {"status": self.status.value, "meeting_id": self.meeting_id, "vote_id": self.vote_id,
                "vote_outcome": self.vote_outcome, "has_draft": self.has_draft, "owner": self.owner,
                "external_deadline": self.external_deadline.isoformat(),
                "internal_deadline": self.internal_deadline.isoformat(), "version": self.version}


def default_internal_deadline(external: date, calendar: WorkingCalendar, rules: HearingRules) -> date:
    """`internal_working_days_before` working days before the Høringsfrist."""
    return calendar.add_working_days(external, -rules.internal_working_days_before)


def validate(form: HearingForm) -> dict[str, str]:
    """Field name -> catalogue key of the error; empty when the form can be stored."""
    errors: dict[str, str] = {}
    if not form.title.strip():
        errors["title"] = "hearings.error.title_required"
    elif len(form.title) > MAX_TITLE:
        errors["title"] = "hearings.error.title_too_long"
    if not form.sender.strip():
        errors["sender"] = "hearings.error.sender_required"
    elif len(form.sender) > MAX_SHORT:
        errors["sender"] = "hearings.error.too_long"
    for name in ("their_reference", "case_number", "journal_number"):
        if len(getattr(form, name)) > MAX_SHORT:
            errors[name] = "hearings.error.too_long"
    if form.received is None:
        errors["received"] = "hearings.error.received_required"
    if form.external_deadline is None:
        errors["external_deadline"] = "hearings.error.deadline_required"
    elif form.received is not None and form.external_deadline < form.received:
        errors["external_deadline"] = "hearings.error.deadline_before_received"
    if (form.internal_deadline is not None and form.external_deadline is not None
            and form.internal_deadline > form.external_deadline):
        errors["internal_deadline"] = "hearings.error.internal_after_external"
    links = parse_links(form.links)
    if len(links) > MAX_LINKS or not all(_valid_url(link) for link in links):
        errors["links"] = "hearings.error.links_invalid"
    errors.update(_draft_errors(form.draft_text, form.draft_link))
    return errors


def _draft_errors(text: str, link: str) -> dict[str, str]:
    errors = {}
    if len(text) > MAX_DRAFT:
        errors["draft_text"] = "hearings.error.draft_too_long"
    if link.strip() and not _valid_url(link.strip()):
        errors["draft_link"] = "hearings.error.links_invalid"
    return errors


def set_draft(hearing: Hearing, text: str, link: str, at: datetime) -> Hearing:
    """Store the draft response; a first draft moves a received hearing to Under arbeid."""
    if hearing.status in FINAL or hearing.status is HearingStatus.DECIDED:
        raise Conflict("hearings.closed", status=hearing.status.value)
    errors = _draft_errors(text, link)
    if errors:
        raise InvalidInput(next(iter(errors.values())), field=next(iter(errors)))
    changes: dict = {"draft_text": text.strip(), "draft_link": link.strip(), "version": hearing.version + 1}
    if hearing.status is HearingStatus.RECEIVED and (text.strip() or link.strip()):
        changes.update(status=HearingStatus.IN_PROGRESS, status_changed_at=at)
    return replace(hearing, **changes)


def move(hearing: Hearing, status: HearingStatus, at: datetime, *, decision: str | None = None,
         response_reference: str | None = None) -> Hearing:
    """Change status along the allowed transitions, or raise naming the rule it breaks."""
    if status is hearing.status:
        return hearing
    if status not in TRANSITIONS[hearing.status]:
        raise Conflict("hearings.transition_not_allowed", status=hearing.status.value, to=status.value)
    changes: dict = {"status": status, "status_changed_at": at, "version": hearing.version + 1}
    if status is HearingStatus.DECIDED and decision is not None:
        changes["decision"] = decision.strip()
    if status is HearingStatus.SENT:
        if not (response_reference or hearing.response_reference).strip():
            raise InvalidInput("hearings.response_reference_required")
        changes["response_reference"] = (response_reference or hearing.response_reference).strip()
    return replace(hearing, **changes)


def warnings(hearing: Hearing, today: date, calendar: WorkingCalendar, rules: HearingRules) -> tuple[str, ...]:
    """Catalogue keys of what the register should flag today (against the internal deadline)."""
    if hearing.status in FINAL:
        return ()
    found: list[str] = []
    if hearing.status in WORKING:
        if today > hearing.internal_deadline:
            found.append("hearings.warn.internal_passed")
        elif (not hearing.has_draft
              and today >= calendar.add_working_days(hearing.internal_deadline, -rules.warn_working_days)):
            found.append("hearings.warn.no_draft")
    if today > hearing.external_deadline:
        found.append("hearings.warn.external_passed")
    return tuple(found)
