"""The council's composition against the mandate: one seat per unit, its member and deputy, who appointed
them and for which period; vacant seats and periods ending soon are flagged."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from council.errors import InvalidInput
from council.members import Member, Role

ENDING_SOON_DAYS = 60
MAX_APPOINTED_BY = 200


@dataclass(frozen=True)
class SeatTerm:
    """What the member table does not hold: who appointed the seat's member, and the period."""

    unit: str
    appointed_by: str = ""
    starts: date | None = None
    ends: date | None = None


@dataclass(frozen=True)
class Seat:
    unit: str
    member: Member | None
    deputy: Member | None
    term: SeatTerm

    @property
    def vacant(self) -> bool:
        return self.member is None

    def ending_soon(self, today: date) -> bool:
        """The period ends within ENDING_SOON_DAYS (or has ended): time to reappoint."""
        return self.term.ends is not None and self.term.ends <= today + timedelta(days=ENDING_SOON_DAYS)


@dataclass(frozen=True)
class SeatChange:
    """The leader's form for one seat (ids of known people; empty member leaves the seat vacant)."""

    member_id: str | None
    deputy_id: str | None
    appointed_by: str
    starts: date | None
    ends: date | None

    def check(self) -> None:
        if self.deputy_id and not self.member_id:
            raise InvalidInput("seats.deputy_without_member")
        if self.deputy_id and self.deputy_id == self.member_id:
            raise InvalidInput("seats.deputy_is_member")
        if self.starts and self.ends and self.ends < self.starts:
            raise InvalidInput("seats.period_backwards")
        if len(self.appointed_by) > MAX_APPOINTED_BY:
            raise InvalidInput("seats.appointed_by_too_long")


def seats(units: tuple[str, ...], people: list[Member], terms: dict[str, SeatTerm]) -> list[Seat]:
    """One seat per unit in the mandate's order; the member is the MEMBER role holder for that unit."""
    members = {m.unit: m for m in people if m.unit and m.has_member_role}
    deputies = {m.deputy_for: m for m in people if m.deputy_for and m.has_deputy_role}
    result = []
    for unit in units:
        member = members.get(unit)
        deputy = deputies.get(member.aad_object_id) if member else None
        result.append(Seat(unit, member, deputy, terms.get(unit, SeatTerm(unit))))
    return result


@dataclass(frozen=True)
class NetworkUnit:
    """The leadership network in one unit of the mandate (or, with `unit` None, network members not yet placed)."""

    unit: str | None
    people: tuple[Member, ...]

    @property
    def empty(self) -> bool:
        return not self.people


def network_by_unit(units: tuple[str, ...], people: list[Member]) -> list[NetworkUnit]:
    """One group per unit in the mandate's order (empty ones too, to flag them), then those without a unit."""
    network = sorted((m for m in people if m.has(Role.NETWORK)), key=lambda m: (m.name.casefold(), m.aad_object_id))
    groups = [NetworkUnit(unit, tuple(m for m in network if m.unit == unit)) for unit in units]
    unplaced = tuple(m for m in network if m.unit not in units)
    return groups + ([NetworkUnit(None, unplaced)] if unplaced else [])
