"""A small council for the tab's tests, made through the same services the bot uses."""
from __future__ import annotations

from datetime import date, time

from council.cases import Triage
from council.members import Role
from council.services.cases import TriageRequest
from council.services.members import PersonInfo
from council.submission import Draft
from tests.e2e.teams import EMMA, EVERYONE, INGRID, KARI, LISE, OLA, SIGRID, TENANT

SURGERY, MEDICINE = "Klinikk for kirurgi", "Medisinsk klinikk"


async def seed_members(c) -> dict:
    """Kari leads (bootstrap), Sigrid is secretary, Ola and Ingrid are members, Lise is Ola's deputy, Emma has no
    role."""
    await c.members.record_roster([PersonInfo(u.aad, u.name, upn=u.upn, tenant_id=TENANT) for u in EVERYONE])
    kari = await c.members.resolve_actor(PersonInfo(KARI.aad, KARI.name, upn=KARI.upn, tenant_id=TENANT))
    await c.members.assign_roles(kari, SIGRID.aad, frozenset({Role.SECRETARY}))
    await c.members.assign_roles(kari, OLA.aad, frozenset({Role.MEMBER}), unit=SURGERY)
    await c.members.assign_roles(kari, INGRID.aad, frozenset({Role.MEMBER}), unit=MEDICINE)
    await c.members.assign_roles(kari, LISE.aad, frozenset({Role.DEPUTY}), deputy_for=OLA.aad)
    return {m.aad_object_id: m for m in await c.members.members()}


async def seed_cases(c, people: dict, count: int) -> list:
    """`count` cases from Emma, alternating units and types; every third put on the first meeting's agenda."""
    kari = people[KARI.aad]
    meeting = await c.meetings.add_meeting(kari, date(2027, 1, 14), time(9), time(11), "Møterom Tønsberg")
    cases = []
    for n in range(count):
        draft = Draft(title=f"Sak om {'fristbrudd' if n % 2 else 'henvisninger'} nr {n}",
                      description=f"Beskrivelse {n} av registreringspraksis", unit=(SURGERY, MEDICINE)[n % 2],
                      case_type=("beslutning", "orientering")[n % 2], submission_key=f"seed-{n}")
        submitted = await c.cases.submit(people[EMMA.aad], draft)
        case = submitted.case
        if n % 3 == 0:
            accept = TriageRequest(Triage.ACCEPT, meeting_id=meeting.id)
            case = await c.cases.triage(kari, case.id, case.version, accept)
        cases.append(case)
    return cases
