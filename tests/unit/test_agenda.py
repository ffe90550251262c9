"""Agenda rules: opening items first, Eventuelt last, moving among movable items, numbering within a year."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from council.agenda import AgendaItem, ItemKind, case_item, default_items, move, numbered, ordered, planned_minutes
from council.cases import Case, CaseType
from council.errors import InvalidInput

TITLES = {ItemKind.APPROVE_NOTICE: "Innkalling", ItemKind.APPROVE_MINUTES: "Referat",
          ItemKind.FOLLOW_UP: "Oppfølging", ItemKind.ANY_OTHER: "Eventuelt"}


def agenda() -> list[AgendaItem]:
    """A meeting's items with ids, the cases and a standing item in the middle."""
    items = [AgendaItem(n + 1, 5, n, i.kind, i.title) for n, i in enumerate(default_items(5, TITLES))]
    return items + [AgendaItem(10, 5, 3, ItemKind.CASE, "A", case_id=1), AgendaItem(11, 5, 4, ItemKind.CASE, "B"),
                    AgendaItem(12, 5, 5, ItemKind.STANDING, "PASK")]


def titles(items: list[AgendaItem]) -> list[str]:
    return [i.title for i in items]


def test_a_new_agenda_has_the_opening_items_and_any_other_business():
    assert [i.kind for i in default_items(5, TITLES)] == [ItemKind.APPROVE_NOTICE, ItemKind.APPROVE_MINUTES,
                                                          ItemKind.FOLLOW_UP, ItemKind.ANY_OTHER]


def test_ordering_keeps_opening_items_first_and_any_other_business_last_whatever_the_positions():
    scrambled = [AgendaItem(i.id, 5, 100 - i.position, i.kind, i.title) for i in agenda()]

    result = ordered(scrambled)

    assert titles(result) == ["Innkalling", "Referat", "Oppfølging", "PASK", "B", "A", "Eventuelt"]
    assert [i.position for i in result] == list(range(7))


def test_moving_an_item_up_and_down_stays_among_the_movable_items():
    up = move(agenda(), 11, -1)
    far = move(agenda(), 10, 10)

    assert titles(up)[3:6] == ["B", "A", "PASK"]
    assert titles(far)[3:] == ["B", "PASK", "A", "Eventuelt"]


def test_a_fixed_item_cannot_be_moved():
    with pytest.raises(InvalidInput):
        move(agenda(), 1, 1)


def test_numbering_gives_the_years_next_numbers_in_agenda_order_and_keeps_given_ones():
    items = [AgendaItem(1, 5, 0, ItemKind.APPROVE_NOTICE, "I", number=4, year=2027),
             AgendaItem(2, 5, 1, ItemKind.CASE, "A"), AgendaItem(3, 5, 2, ItemKind.ANY_OTHER, "E")]

    result = numbered(items, 2027, 9)

    assert [(i.number, i.label()) for i in result] == [(4, "Sak 04/27"), (9, "Sak 09/27"), (10, "Sak 10/27")]


def test_the_label_follows_the_councils_format_and_is_empty_before_numbering():
    item = AgendaItem(1, 5, 0, ItemKind.CASE, "A", number=3, year=2027, number_format="{yyyy}-{nr}")

    assert item.label() == "2027-3"
    assert item.label("Sak {nr}/{yy}") == "Sak 3/27"
    assert AgendaItem(1, 5, 0, ItemKind.CASE, "A").label() == ""


def test_a_case_item_carries_the_final_type_else_the_requested_one():
    case = Case(7, 2026, 1, "Mal", "T", "U", CaseType.DROFTING, "aad", "Emma", datetime(2026, 1, 1, tzinfo=UTC),
                "k")

    assert case_item(5, case, 3).case_type is CaseType.DROFTING
    assert case_item(5, replace(case, final_type=CaseType.BESLUTNING), 3).case_type is CaseType.BESLUTNING


def test_planned_minutes_add_up_what_is_given():
    items = [AgendaItem(1, 5, 0, ItemKind.CASE, "A", minutes=20), AgendaItem(2, 5, 1, ItemKind.CASE, "B")]

    assert planned_minutes(items) == 20
