"""Benefits (gevinster) of the council's decisions and, for decisions about uniform practice (felles praksis),
the implementation status per unit (the council's seats).

Leader and secretary describe the expected benefit, its owner and whether it was realised; each member (or the
deputy in their place) reports their own unit's implementation, and leader and secretary may report any unit."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TypeVar

from council.errors import InvalidInput, NotAllowed
from council.members import Member, Role
from council.pii import scan_fields

MAX_EXPECTED = 1000
MAX_NOTE = 500
COUNCIL_ROLES = (Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY)
E = TypeVar("E", bound=Enum)


class BenefitCategory(str, Enum):
    TIME_SAVED = "tid_spart"
    QUALITY = "kvalitet"
    PATIENT_SAFETY = "pasientsikkerhet"
    ECONOMY = "okonomi"


class Realised(str, Enum):
    """The «realisert?» follow-up of an expected benefit."""

    NOT_ASSESSED = "ikke_vurdert"
    YES = "ja"
    PARTLY = "delvis"
    NO = "nei"


class ImplementationStatus(str, Enum):
    NOT_STARTED = "ikke_startet"
    IN_PROGRESS = "pagar"
    DONE = "innfort"


@dataclass(frozen=True)
class Benefit:
    """What leader and secretary record for one decision (the agenda item whose outcome is «vedtatt»)."""

    item_id: int
    expected: str = ""
    category: BenefitCategory | None = None
    owner: str | None = None  # AAD object id of a council person
    owner_name: str = ""
    realised: Realised = Realised.NOT_ASSESSED
    realised_note: str = ""
    assessed_on: date | None = None
    uniform_practice: bool = False  # felles praksis: implementation is followed per unit

    @property
    def described(self) -> bool:
        return bool(self.expected or self.category)

    def snapshot(self) -> dict:
        """For the audit trail: the fields that matter, with the free text's length instead of the text."""
        return {"category": self.category.value if self.category else None, "owner": self.owner,
                "realised": self.realised.value, "assessed_on": self.assessed_on.isoformat() if self.assessed_on
                else None, "uniform_practice": self.uniform_practice, "expected_chars": len(self.expected),
                "note_chars": len(self.realised_note)}


@dataclass(frozen=True)
class Implementation:
    """One unit's status for a felles-praksis decision; `on` is the date it was introduced (innført), otherwise
    the date it is planned for (optional)."""

    item_id: int
    unit: str
    status: ImplementationStatus = ImplementationStatus.NOT_STARTED
    on: date | None = None

    def snapshot(self) -> dict:
        return {"unit": self.unit, "status": self.status.value, "on": self.on.isoformat() if self.on else None}


@dataclass(frozen=True)
class BenefitForm:
    """The benefit form as typed (the tab's form or a card); `check` turns it into a Benefit or says what is
    wrong."""

    expected: str = ""
    category: str = ""
    owner: str = ""
    realised: str = Realised.NOT_ASSESSED.value
    realised_note: str = ""
    assessed_on: date | None = None
    uniform_practice: bool = False

    def check(self, item_id: int, today: date, people: Mapping[str, Member]) -> Benefit:
        expected, note = self.expected.strip(), self.realised_note.strip()
        category = _enum(BenefitCategory, self.category, "benefits.bad_category")
        realised = _enum(Realised, self.realised, "benefits.bad_realised") or Realised.NOT_ASSESSED
        if len(expected) > MAX_EXPECTED:
            raise InvalidInput("benefits.expected_too_long", limit=MAX_EXPECTED)
        if len(note) > MAX_NOTE:
            raise InvalidInput("benefits.note_too_long", limit=MAX_NOTE)
        if expected and category is None:
            raise InvalidInput("benefits.category_required")
        if realised is not Realised.NOT_ASSESSED and not (expected or category):
            raise InvalidInput("benefits.assess_nothing")
        if self.assessed_on is not None and self.assessed_on > today:
            raise InvalidInput("benefits.assessed_in_future")
        if scan_fields({"expected": expected, "note": note}):
            raise InvalidInput("benefits.pii")
        owner = people.get(self.owner) if self.owner else None
        if self.owner and (owner is None or not owner.has(*COUNCIL_ROLES)):
            raise InvalidInput("benefits.owner_unknown")
        assessed_on = None
        if realised is not Realised.NOT_ASSESSED:
            assessed_on = self.assessed_on or today
        return Benefit(item_id, expected, category, owner.aad_object_id if owner else None,
                       owner.name if owner else "", realised, note if realised is not Realised.NOT_ASSESSED else "",
                       assessed_on, self.uniform_practice)


def implementation(item_id: int, unit: str, status: str, on: date | None, today: date) -> Implementation:
    """A unit's new status: «innført» is dated (today when no date is given) and never in the future."""
    chosen = _enum(ImplementationStatus, status, "benefits.bad_status")
    if chosen is None:
        raise InvalidInput("benefits.bad_status")
    if chosen is ImplementationStatus.DONE:
        on = on or today
        if on > today:
            raise InvalidInput("benefits.done_in_future")
    return Implementation(item_id, unit, chosen, on)


def may_edit_benefit(actor: Member) -> bool:
    return actor.is_organiser


def require_council(actor: Member) -> None:
    if not actor.has(*COUNCIL_ROLES):
        raise NotAllowed("benefits.council_only")


def own_units(actor: Member, people: Mapping[str, Member], units: tuple[str, ...]) -> tuple[str, ...]:
    """The units whose implementation this person reports: every unit for leader and secretary; the member's
    own unit; a deputy's principal's unit."""
    if actor.is_organiser:
        return units
    found: list[str] = []
    if actor.has(Role.MEMBER) and actor.unit in units:
        found.append(actor.unit)
    principal = people.get(actor.deputy_for) if actor.has(Role.DEPUTY) and actor.deputy_for else None
    if principal is not None and principal.has(Role.MEMBER) and principal.unit in units \
            and principal.unit not in found:
        found.append(principal.unit)
    return tuple(found)


def require_unit(actor: Member, unit: str, people: Mapping[str, Member], units: tuple[str, ...]) -> None:
    require_council(actor)
    if unit not in units:
        raise InvalidInput("benefits.unknown_unit")
    if unit not in own_units(actor, people, units):
        raise NotAllowed("benefits.own_unit_only")


def _enum(kind: type[E], raw: str, key: str) -> E | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise InvalidInput(key) from None
