"""Who may read the council's agendas and notices (case titles can be sensitive): AGENDA_AUDIENCE."""
from __future__ import annotations

from dataclasses import dataclass

from council.members import Member, Role

GROUPS = {"council": (Role.LEADER, Role.SECRETARY, Role.MEMBER), "deputies": (Role.DEPUTY,),
          "network": (Role.NETWORK,), "everyone": ()}
DEFAULT_AUDIENCE = "council,deputies,network"


@dataclass(frozen=True)
class Audience:
    groups: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> "Audience":
        """Comma-separated groups from GROUPS; ValueError names what is wrong."""
        groups = frozenset(g.strip().lower() for g in (text or DEFAULT_AUDIENCE).split(",") if g.strip())
        unknown = groups - set(GROUPS)
        if unknown or not groups:
            raise ValueError(f"unknown group(s) {', '.join(sorted(unknown)) or '(none given)'}; "
                             f"choose from {', '.join(GROUPS)}")
        return cls(groups)

    def admits(self, member: Member | None) -> bool:
        """The leader and the secretary always; everyone else by their roles (or all, with 'everyone')."""
        if member is None:
            return False
        if "everyone" in self.groups or member.is_organiser:
            return True
        return member.has(*(role for group in self.groups for role in GROUPS[group]))
