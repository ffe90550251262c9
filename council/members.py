"""Council membership: who holds which role, and what each role may do."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from council.errors import NotAllowed


class Role(str, Enum):
    LEADER = "leader"
    VICE_LEADER = "vice_leader"  # nestleder: one council member the leader designates
    SECRETARY = "secretary"
    MEMBER = "member"
    DEPUTY = "deputy"
    NETWORK = "network"


ASSIGNABLE = (Role.LEADER, Role.VICE_LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY, Role.NETWORK)
# the roles that carry a unit: a member's seat, a network member's clinic
UNIT_ROLES = frozenset({Role.MEMBER, Role.NETWORK})


@dataclass(frozen=True)
class Member:
    """A person known from the Teams roster or from an activity, with council roles."""

    aad_object_id: str
    name: str
    teams_user_id: str | None = None
    upn: str | None = None
    tenant_id: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    unit: str | None = None
    deputy_for: str | None = None
    locale: str | None = None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_organiser(self) -> bool:
        """Leader and secretary run the council's machinery (triage, agenda, minutes)."""
        return self.has(Role.LEADER, Role.SECRETARY)

    @property
    def is_leader(self) -> bool:
        return self.has(Role.LEADER)

    @property
    def is_vice_leader(self) -> bool:
        return self.has(Role.VICE_LEADER)

    @property
    def has_member_role(self) -> bool:
        return self.has(Role.MEMBER)

    @property
    def has_deputy_role(self) -> bool:
        return self.has(Role.DEPUTY)

    def with_roles(self, roles: frozenset[Role], unit: str | None, deputy_for: str | None) -> "Member":
        return replace(
            self,
            roles=roles,
            unit=unit if roles & UNIT_ROLES else None,
            deputy_for=deputy_for if Role.DEPUTY in roles else None,
        )

    def snapshot(self) -> dict:
        """Plain data for the audit trail (no free text beyond names)."""
        return {
            "name": self.name,
            "roles": sorted(r.value for r in self.roles),
            "unit": self.unit,
            "deputy_for": self.deputy_for,
        }


def require_organiser(actor: Member) -> None:
    """Leader and secretary only; the check every organiser action makes on the server."""
    if not actor.is_organiser:
        raise NotAllowed("error.organiser_only")


def is_bootstrap_leader(member: Member, leaders: frozenset[str]) -> bool:
    """COUNCIL_LEADERS lists AAD object ids or UPNs (compared case-insensitively)."""
    keys = {member.aad_object_id.lower()}
    if member.upn:
        keys.add(member.upn.lower())
    return bool(keys & {leader.lower() for leader in leaders})
