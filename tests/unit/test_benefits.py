"""The decision register's benefit rules: the form's checks, who reports which unit, and «innført» dates."""
from __future__ import annotations

from datetime import date

import pytest

from cards.texts import t
from council.benefits import (
    Benefit,
    BenefitCategory,
    BenefitForm,
    Implementation,
    ImplementationStatus,
    Realised,
    implementation,
    own_units,
    require_unit,
)
from council.errors import InvalidInput, NotAllowed
from council.members import Member, Role

TODAY = date(2026, 11, 26)
UNITS = ("Medisinsk klinikk", "Klinikk for kirurgi", "E-helse")
LEADER = Member("aad-kari", "Kari", roles=frozenset({Role.LEADER}))
SECRETARY = Member("aad-sigrid", "Sigrid", roles=frozenset({Role.SECRETARY}))
OLA = Member("aad-ola", "Ola", roles=frozenset({Role.MEMBER}), unit=UNITS[1])
LISE = Member("aad-lise", "Lise", roles=frozenset({Role.DEPUTY}), deputy_for="aad-ola")
NILS = Member("aad-nils", "Nils", roles=frozenset({Role.NETWORK}))
EMMA = Member("aad-emma", "Emma")
PEOPLE = {m.aad_object_id: m for m in (LEADER, SECRETARY, OLA, LISE, NILS, EMMA)}


def test_a_complete_benefit_is_stored_with_the_owner_name_and_the_assessment_date_defaulting_to_today():
    form = BenefitForm(expected=" Færre fristbrudd ", category="pasientsikkerhet", owner="aad-ola", realised="delvis",
                       realised_note="Halvparten av klinikkene", uniform_practice=True)

    benefit = form.check(7, TODAY, PEOPLE)

    assert benefit == Benefit(7, "Færre fristbrudd", BenefitCategory.PATIENT_SAFETY, "aad-ola", "Ola",
                              Realised.PARTLY, "Halvparten av klinikkene", TODAY, True)


def test_an_unassessed_benefit_keeps_neither_a_note_nor_a_date():
    benefit = BenefitForm(expected="Tid spart i ekspedisjonen", category="tid_spart", realised="ikke_vurdert",
                          realised_note="glemt", assessed_on=TODAY).check(1, TODAY, PEOPLE)

    assert (benefit.realised_note, benefit.assessed_on) == ("", None)


def test_an_empty_form_only_sets_the_uniform_practice_flag():
    benefit = BenefitForm(uniform_practice=True).check(1, TODAY, PEOPLE)

    assert benefit == Benefit(1, uniform_practice=True) and not benefit.described


@pytest.mark.parametrize(("form", "key"), [
    (BenefitForm(expected="x" * 1001, category="kvalitet"), "benefits.expected_too_long"),
    (BenefitForm(expected="Bedre kvalitet", category="kvalitet", realised="ja", realised_note="x" * 501),
     "benefits.note_too_long"),
    (BenefitForm(expected="Bedre kvalitet"), "benefits.category_required"),
    (BenefitForm(category="gull"), "benefits.bad_category"),
    (BenefitForm(category="kvalitet", realised="kanskje"), "benefits.bad_realised"),
    (BenefitForm(realised="ja"), "benefits.assess_nothing"),
    (BenefitForm(category="kvalitet", realised="ja", assessed_on=date(2026, 11, 27)), "benefits.assessed_in_future"),
    (BenefitForm(expected="Gjelder pasient 01010012356", category="kvalitet"), "benefits.pii"),
    (BenefitForm(category="okonomi", realised="nei", realised_note="Se 010100 12356"), "benefits.pii"),
    (BenefitForm(category="okonomi", owner="aad-nils"), "benefits.owner_unknown"),
    (BenefitForm(category="okonomi", owner="aad-nobody"), "benefits.owner_unknown"),
])
def test_a_bad_benefit_form_is_refused_with_a_norwegian_reason(form, key):
    with pytest.raises(InvalidInput) as refused:
        form.check(1, TODAY, PEOPLE)

    assert refused.value.key == key
    assert t(key, "nb-NO", **refused.value.params) != key


def test_innfort_without_a_date_is_dated_today_and_never_in_the_future():
    assert implementation(1, UNITS[0], "innfort", None, TODAY) == Implementation(1, UNITS[0],
                                                                                 ImplementationStatus.DONE, TODAY)
    with pytest.raises(InvalidInput, match="benefits.done_in_future"):
        implementation(1, UNITS[0], "innfort", date(2026, 11, 27), TODAY)


def test_a_planned_date_may_lie_ahead_while_in_progress():
    assert implementation(1, UNITS[0], "pagar", date(2027, 3, 1), TODAY).on == date(2027, 3, 1)
    with pytest.raises(InvalidInput, match="benefits.bad_status"):
        implementation(1, UNITS[0], "ferdig", None, TODAY)
    with pytest.raises(InvalidInput, match="benefits.bad_status"):
        implementation(1, UNITS[0], "", None, TODAY)


def test_members_report_their_own_unit_deputies_their_principals_and_organisers_every_unit():
    assert own_units(OLA, PEOPLE, UNITS) == (UNITS[1],)
    assert own_units(LISE, PEOPLE, UNITS) == (UNITS[1],)
    assert own_units(LEADER, PEOPLE, UNITS) == UNITS == own_units(SECRETARY, PEOPLE, UNITS)
    assert own_units(NILS, PEOPLE, UNITS) == () == own_units(EMMA, PEOPLE, UNITS)


def test_a_member_may_not_set_another_units_status_and_nobody_outside_the_council_any():
    require_unit(OLA, UNITS[1], PEOPLE, UNITS)
    require_unit(LEADER, UNITS[0], PEOPLE, UNITS)
    with pytest.raises(NotAllowed, match="benefits.own_unit_only"):
        require_unit(OLA, UNITS[0], PEOPLE, UNITS)
    with pytest.raises(NotAllowed, match="benefits.own_unit_only"):
        require_unit(LISE, UNITS[2], PEOPLE, UNITS)
    with pytest.raises(NotAllowed, match="benefits.council_only"):
        require_unit(EMMA, UNITS[1], PEOPLE, UNITS)
    with pytest.raises(InvalidInput, match="benefits.unknown_unit"):
        require_unit(LEADER, "Fantasiklinikken", PEOPLE, UNITS)

