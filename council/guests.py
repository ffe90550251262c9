"""Guests of the council: people outside it (Avdeling for kompetanse og utdanning, DIPS or Public 360
super-users, …) whom the leader keeps on a list, and who can be invited to an agenda item of an upcoming
meeting. A guest is not a member: they hold no role, so they never get a vote (council/votes.py counts
MEMBER role holders only) and never see the registers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from council.errors import InvalidInput
from council.pii import scan_fields

MAX_NAME = 200
MAX_ORGANISATION = 200
MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Guest:
    id: int | None
    name: str
    organisation: str  # organisation or role: «Avdeling for kompetanse og utdanning», «Superbruker DIPS»
    email: str = ""

    @property
    def label(self) -> str:
        """«Kari Gjest (Superbruker DIPS)»: how the notice and the pages name a guest."""
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def snapshot(self) -> dict:
        """Plain data for the audit trail."""
        return {"name": self.name, "organisation": self.organisation, "email": self.email}


def checked_guest(guest_id: int | None, name: str, organisation: str, email: str) -> Guest:
    """The leader's form, trimmed and checked: name and organisation required, a plausible e-mail if any,
    and no national identity number in any field (the list is shown to the whole council)."""
    name, organisation, email = name.strip(), organisation.strip(), email.strip()
    if not name:
        raise InvalidInput("guests.name_required")
    if not organisation:
        raise InvalidInput("guests.organisation_required")
    if len(name) > MAX_NAME or len(organisation) > MAX_ORGANISATION:
        raise InvalidInput("guests.too_long", limit=MAX_NAME)
    if email and (len(email) > MAX_EMAIL or not _EMAIL.match(email)):
        raise InvalidInput("guests.bad_email")
    if scan_fields({"name": name, "organisation": organisation, "email": email}):
        raise InvalidInput("guests.pii")
    return Guest(guest_id, name, organisation, email)


def guest_line(guests: list[Guest] | tuple[Guest, ...]) -> str:
    """«Kari Gjest (Superbruker DIPS), Per Kurs (Avdeling for kompetanse og utdanning)», sorted by name."""
    return ", ".join(g.label for g in sorted(guests, key=lambda g: (g.name.casefold(), g.id or 0)))
