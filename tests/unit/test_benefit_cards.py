"""The «Innføring» card: the viewer's unit status per open decision, a unit choice for leader and secretary, and
a size that stays within Teams' limit with the most decisions it is given."""
from __future__ import annotations

from datetime import date

from cards.benefits import implementation_card
from cards.elements import CARD_BUDGET, card_size
from council.benefits import Benefit, Implementation, ImplementationStatus
from council.registers import DecisionRow
from council.services.benefits import OPEN_LIMIT, OpenDecision, UnitLine
from council.settings import DEFAULT_UNITS
from tests.cards_walk import inputs

FORMAT = "Sak {nr:02d}/{yy}"


def _open(item_id: int, title: str, mine: list[UnitLine]) -> OpenDecision:
    row = DecisionRow(1, date(2026, 10, 26), 3, 2026, title, "Alle bruker malen.", None, item_id=item_id,
                      benefit=Benefit(item_id, uniform_practice=True), implemented=2)
    return OpenDecision(row, mine)


def test_a_member_sees_their_units_status_and_sets_it_without_choosing_a_unit():
    unit = DEFAULT_UNITS[1]
    line = UnitLine(unit, Implementation(7, unit, ImplementationStatus.IN_PROGRESS, date(2027, 1, 15)), True)
    card = implementation_card([_open(7, "Felles mal for innkallingsbrev", [line])], (unit,), len(DEFAULT_UNITS),
                               FORMAT, "nb-NO")

    text = str(card)
    assert "Sak 03/26 · 26. oktober 2026 · 2 av 9 innført" in text
    assert f"{unit}: Pågår (15. januar 2027)" in text
    fields = {i["id"]: i for i in inputs(card)}
    assert set(fields) == {"status_7", "on_7"} and fields["status_7"]["value"] == "pagar"
    assert fields["on_7"]["value"] == "2027-01-15" and "isRequired" not in fields["on_7"]


def test_someone_without_a_unit_is_told_so_and_gets_no_form():
    card = implementation_card([], (), len(DEFAULT_UNITS), FORMAT, "nb-NO")

    assert "ingen enhet i rådet" in str(card) and inputs(card) == []


def test_the_fullest_card_for_a_leader_stays_within_the_size_limit():
    title = "Felles rutine for registrering av fristbrudd og henvisninger i alle klinikker og divisjoner " * 3
    decisions = [_open(1_000_000 + n, title, [UnitLine(u, None, True) for u in DEFAULT_UNITS])
                 for n in range(OPEN_LIMIT)]

    card = implementation_card(decisions, DEFAULT_UNITS, len(DEFAULT_UNITS), FORMAT, "nb-NO", all_units=True)

    assert card_size(card) <= CARD_BUDGET
    assert len([i for i in inputs(card) if i["id"].startswith("unit_")]) == OPEN_LIMIT
