"""Council records: who sat in which seat, who chaired and took the minutes, how the referat was approved,
and the frozen documents stored at approval.

A referat is a record: once approved, its documents are kept exactly as they were rendered then (bytes and a
SHA-256), and every later download returns those bytes. Attendance is per seat: each member (one per unit)
is shown as present, replaced by a deputy («vara for …») or absent («Forfall»); everyone else who was there
is listed under «Andre til stede»; network members and deputies who did not attend are not listed.
"""
from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from council.agenda import AgendaItem
from council.cases import Case, CaseType
from council.errors import InvalidInput
from council.members import Member, Role
from council.minutes import Attendance, ItemRecord

GUESTS_MAX = 1000  # characters of «Andre til stede» free text


class ApprovalRoute(str, Enum):
    MEETING = "moete"  # approved under «Godkjenning av referat fra forrige møte» at the next meeting
    CIRCULATION = "sirkulasjon"  # approved by the leader by circulation


@dataclass(frozen=True)
class Seat:
    """One line of «Til stede»: the seat (unit, or the leader), its holder and who actually sat in it."""

    seat: str  # the unit ("Klinikk for kirurgi"); "" for the leader's seat
    holder: str  # the member's name
    attended_by: str = ""  # who sat in the seat; "" = Forfall
    deputy: bool = False  # attended_by is the holder's deputy

    @property
    def absent(self) -> bool:
        return not self.attended_by


@dataclass(frozen=True)
class AttendanceSheet:
    chair: str  # Møteleder (name)
    minute_taker: str  # Referent (name)
    leader: Seat | None
    seats: tuple[Seat, ...]
    others: tuple[str, ...]  # Andre til stede: secretary, guests, observers
    recorded: bool  # False: nobody's attendance is recorded yet

    @property
    def absent(self) -> tuple[str, ...]:
        """Forfall: every seat holder who did not attend in person (a deputy may have taken the seat)."""
        seats = ((self.leader,) if self.leader else ()) + self.seats
        return tuple(s.holder for s in seats if s.attended_by != s.holder)


def default_chair(members: list[Member], present: Collection[str] = ()) -> Member | None:
    """The leader; when the attendance shows the leader absent and the nestleder present, the nestleder (the
    one offered first as møteleder). Without attendance, the leader."""
    leader = next((m for m in _sorted(members) if m.has(Role.LEADER)), None)
    if present and (leader is None or leader.aad_object_id not in present):
        vice = next((m for m in _sorted(members) if m.has(Role.VICE_LEADER) and m.aad_object_id in present), None)
        if vice is not None:
            return vice
    return leader


def default_minute_taker(members: list[Member]) -> Member | None:
    return next((m for m in _sorted(members) if m.has(Role.SECRETARY)), None)


def _sorted(members: list[Member]) -> list[Member]:
    return sorted(members, key=lambda m: (m.name.casefold(), m.aad_object_id))


def split_guests(text: str) -> tuple[str, ...]:
    """Free text «Andre til stede»: one person per line or comma, blanks dropped."""
    parts = (p.strip() for line in text.splitlines() for p in line.split(","))
    return tuple(p for p in parts if p)


def attendance_sheet(members: list[Member], attendance: dict[str, tuple[Attendance, str | None]],
                     chair_id: str | None = None, minute_taker_id: str | None = None,
                     guests: str = "") -> AttendanceSheet:
    """Seats from the member list, filled from the recorded attendance.

    The leader has a seat of their own; each member a seat named by their unit. A member who did not attend
    but whose deputy did shows as «<deputy> (vara for <member>)». Anyone else present (the secretary, network
    members, a deputy whose member came too) and the free-text guests are «Andre til stede».
    """
    by_id = {m.aad_object_id: m for m in members}
    present = {m for m, (state, _) in attendance.items() if state is Attendance.PRESENT}
    seated: set[str] = set()

    def seat(member: Member, label: str) -> Seat:
        seated.add(member.aad_object_id)
        if member.aad_object_id in present:
            return Seat(label, member.name, member.name)
        invited = attendance.get(member.aad_object_id, (None, None))[1]
        deputies = [invited] if invited else []
        deputies += [m.aad_object_id for m in _sorted(members) if m.has(Role.DEPUTY)
                     and m.deputy_for == member.aad_object_id]
        came = next((d for d in deputies if d in present and d not in seated), None)
        if came is None:
            return Seat(label, member.name)
        seated.add(came)
        return Seat(label, member.name, by_id[came].name if came in by_id else came, deputy=True)

    leader = default_chair(members)
    leader_seat = seat(leader, "") if leader else None
    seats = tuple(seat(m, m.unit or "") for m in sorted(
        (m for m in members if m.has(Role.MEMBER) and m.aad_object_id not in seated),
        key=lambda m: ((m.unit or "").casefold(), m.name.casefold())))
    others = [by_id[p].name for p in present - seated if p in by_id]
    chair = by_id.get(chair_id or "") or default_chair(members, present)
    taker = by_id.get(minute_taker_id or "") or default_minute_taker(members)
    return AttendanceSheet(chair=chair.name if chair else "", minute_taker=taker.name if taker else "",
                           leader=leader_seat, seats=seats,
                           others=tuple(sorted(others, key=str.casefold)) + split_guests(guests),
                           recorded=bool(attendance))


@dataclass(frozen=True)
class FrozenDocument:
    """A document as rendered at approval; downloads return `body` unchanged."""

    kind: str  # "minutes.pdf", "minutes.md", "minutes.docx"
    body: bytes
    sha256: str
    stored_at: datetime


def freeze(kind: str, body: bytes, at: datetime) -> FrozenDocument:
    return FrozenDocument(kind, body, hashlib.sha256(body).hexdigest(), at)


# --- Saksframlegg ---------------------------------------------------------------------------------------------------

PAPER_MAX = 4000  # characters of background and of the proposed decision


@dataclass(frozen=True)
class CasePaper:
    """Saksframlegg for one agenda item: a short background and, for decision and hearing items, the
    «Forslag til vedtak». Until edited, the background is the submitted case's description."""

    item_id: int
    background: str = ""
    proposed_decision: str = ""


def needs_proposal(item: AgendaItem) -> bool:
    """Beslutningssaker and Høringssaker carry a «Forslag til vedtak»."""
    return item.case_type in (CaseType.BESLUTNING, CaseType.HORING)


def paper_for(item: AgendaItem, case: Case | None, stored: CasePaper | None) -> CasePaper:
    """The stored saksframlegg; an empty background falls back to the case's description."""
    described = case.description.strip() if case else ""
    if stored is None:
        return CasePaper(item.id or 0, described)
    return CasePaper(stored.item_id, stored.background or described, stored.proposed_decision)


def check_paper(background: str, proposed_decision: str) -> None:
    if len(background) > PAPER_MAX or len(proposed_decision) > PAPER_MAX:
        raise InvalidInput("records.paper_too_long")


def submission_label(case: Case) -> str:
    """«Innmelding 014/26»: the case's submission number, printed under its sak."""
    return f"Innmelding {case.number:03d}/{case.year % 100:02d}"


def any_other_points(record: ItemRecord) -> tuple[str, ...]:
    """Eventuelt matters, one per line (the discussion field, else the text), to be lettered a, b, c."""
    source = record.discussion.strip() or record.text.strip()
    return tuple(line.strip().lstrip("-•").strip() for line in source.splitlines() if line.strip().lstrip("-•"))


def letter(index: int) -> str:
    """a, b, …, z, aa, ab, … for Eventuelt items."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
