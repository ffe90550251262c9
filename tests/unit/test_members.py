"""Council members: bootstrap leaders, role changes and what each role may do."""
from __future__ import annotations

import pytest

from council.members import Member, Role, is_bootstrap_leader

KARI_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"


def person(*roles: Role, **fields) -> Member:
    defaults = {"aad_object_id": KARI_ID, "name": "Kari Nordmann", "upn": "kari.leder@siv-demo.no"}
    return Member(**{**defaults, **fields}, roles=frozenset(roles))


# --- is_bootstrap_leader ----------------------------------------------------------------------------------------


def test_bootstrap_leader_is_recognised_by_aad_object_id_in_any_case():
    member = person(aad_object_id=KARI_ID.upper(), upn=None)

    assert is_bootstrap_leader(member, frozenset({KARI_ID})) is True


def test_bootstrap_leader_is_recognised_by_upn_in_any_case():
    member = person(upn="Kari.Leder@SIV-demo.NO")

    assert is_bootstrap_leader(member, frozenset({"kari.leder@siv-demo.no"})) is True


def test_someone_not_listed_is_not_a_bootstrap_leader():
    member = person(aad_object_id="other-id", upn="ola.hansen@siv-demo.no")

    assert is_bootstrap_leader(member, frozenset({KARI_ID, "kari.leder@siv-demo.no"})) is False
    assert is_bootstrap_leader(member, frozenset()) is False


def test_member_without_upn_is_matched_on_id_only():
    member = person(upn=None)

    assert is_bootstrap_leader(member, frozenset({"kari.leder@siv-demo.no"})) is False


def test_bootstrap_leader_list_given_in_mixed_case_still_matches():
    assert is_bootstrap_leader(person(), frozenset({"Kari.Leder@SIV-demo.no"})) is True


# --- with_roles -------------------------------------------------------------------------------------------------


def test_with_roles_keeps_unit_and_principal_for_member_and_deputy():
    updated = person().with_roles(frozenset({Role.MEMBER, Role.DEPUTY}), "Medisinsk klinikk", "ola-id")

    assert updated.roles == frozenset({Role.MEMBER, Role.DEPUTY})
    assert updated.unit == "Medisinsk klinikk"
    assert updated.deputy_for == "ola-id"


def test_with_roles_drops_unit_when_member_role_is_removed():
    member = person(Role.MEMBER, unit="Medisinsk klinikk")

    updated = member.with_roles(frozenset({Role.SECRETARY}), "Medisinsk klinikk", None)

    assert updated.unit is None
    assert updated.roles == frozenset({Role.SECRETARY})


def test_with_roles_drops_deputy_for_when_deputy_role_is_removed():
    member = person(Role.DEPUTY, deputy_for="ola-id")

    updated = member.with_roles(frozenset({Role.NETWORK}), None, "ola-id")

    assert updated.deputy_for is None
    assert updated.roles == frozenset({Role.NETWORK})


def test_with_roles_returns_a_new_member_and_keeps_identity():
    member = person(Role.MEMBER, unit="E-helse", locale="nb-NO", teams_user_id="29:abc")

    updated = member.with_roles(frozenset(), None, None)

    assert member.roles == frozenset({Role.MEMBER}) and member.unit == "E-helse"
    assert (updated.aad_object_id, updated.name, updated.upn, updated.locale, updated.teams_user_id) == (
        member.aad_object_id, member.name, member.upn, member.locale, member.teams_user_id)
    assert updated.roles == frozenset()


# --- permissions ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("roles", "organiser"), [
    ({Role.LEADER}, True),
    ({Role.SECRETARY}, True),
    ({Role.MEMBER, Role.SECRETARY}, True),
    ({Role.MEMBER}, False),
    ({Role.DEPUTY}, False),
    ({Role.NETWORK}, False),
    (set(), False),
])
def test_only_leader_and_secretary_are_organisers(roles, organiser):
    assert person(*roles).is_organiser is organiser


def test_only_the_leader_role_makes_a_leader():
    assert person(Role.LEADER).is_leader is True
    assert person(Role.SECRETARY, Role.MEMBER, Role.DEPUTY, Role.NETWORK).is_leader is False


def test_has_is_true_when_any_given_role_is_held():
    member = person(Role.MEMBER)

    assert member.has(Role.LEADER, Role.MEMBER) is True
    assert member.has(Role.LEADER, Role.DEPUTY) is False
    assert member.has() is False


def test_snapshot_holds_sorted_role_values_and_no_contact_details():
    member = person(Role.MEMBER, Role.DEPUTY, unit="E-helse", deputy_for="ola-id")

    assert member.snapshot() == {"name": "Kari Nordmann", "roles": ["deputy", "member"], "unit": "E-helse",
                                 "deputy_for": "ola-id"}
