"""Topics from the mandate's task list: the default list, suggestion from a case's text, and the avviksnummer."""
from __future__ import annotations

import pytest

from council.topics import (
    DEFAULT_TOPICS,
    MAX_DEVIATION_REF,
    deviation_ref_error,
    parse_topics,
    split_choices,
    suggest,
    unknown_topics,
)
from tests.unit.test_pii import make_id


def test_the_default_list_is_the_mandates_task_list_in_bokmal():
    assert DEFAULT_TOPICS == (
        "Henvisninger og ventetider", "Fristbrudd", "Kontakter/timebøker", "Registreringspraksis og kodeverk",
        "NPR-validering", "Avvik", "Videre henvisning / Helfo", "DIPS", "Public 360",
        "Styrende dokumenter og opplæring", "Kompetanse og utdanning", "Praksisplasser",
        "Innovasjon / ny teknologi", "Oppgavedeling/sentralisering")
    assert all("," not in topic for topic in DEFAULT_TOPICS)


@pytest.mark.parametrize(("text", "expected"), [
    ("Mange fristbrudd i poliklinikken", ("Fristbrudd",)),
    ("Behandlingsfristen ble oversittet", ("Fristbrudd",)),
    ("Feil i NPR-rapporteringen", ("NPR-validering",)),
    ("Ulik bruk av timebøker i DIPS Arena", ("Kontakter/timebøker", "DIPS")),
    ("Refusjon fra HELFO ved viderehenvisning", ("Videre henvisning / Helfo",)),
    ("Vi trenger en felles rutine og opplæring", ("Styrende dokumenter og opplæring",)),
    ("Ny prosedyre for skanning", ("Styrende dokumenter og opplæring",)),
    ("Lange ventetider for nye henvisninger", ("Henvisninger og ventetider",)),
    ("Avviksmelding i Synergi om feil brev", ("Avvik",)),
    ("Sentralisering av skrivetjenesten", ("Oppgavedeling/sentralisering",)),
    ("Arkivering av brev i Public 360", ("Public 360",)),
    ("Studenter i praksisplass på poliklinikken", ("Praksisplasser",)),
    ("Kompetanseplan og kurs for helsesekretærer", ("Kompetanse og utdanning",)),
    ("Talegjenkjenning og robotisering", ("Innovasjon / ny teknologi",)),
    ("Diagnosekoder etter ICD-10 og kodeverk", ("Registreringspraksis og kodeverk",)),
])
def test_topics_are_suggested_from_stems_in_the_text(text, expected):
    assert suggest(text, DEFAULT_TOPICS) == expected


def test_suggestion_ignores_case_and_handles_norwegian_letters():
    assert suggest("OPPLÆRING I TIMEBØKENE", DEFAULT_TOPICS) == ("Kontakter/timebøker",
                                                                 "Styrende dokumenter og opplæring")


def test_words_that_only_look_like_a_stem_suggest_nothing():
    assert suggest("Vi vil avvikle ordningen før høringsfristen", DEFAULT_TOPICS) == ()
    assert suggest("Ta kontakt med sekretariatet", DEFAULT_TOPICS) == ()


def test_videre_henvisning_is_not_also_taken_for_henvisninger_and_ventetider():
    assert suggest("Videre henvisning til privat aktør", DEFAULT_TOPICS) == ("Videre henvisning / Helfo",)


def test_at_most_three_topics_are_suggested_the_most_mentioned_in_the_lists_order():
    text = "Fristbrudd, fristbrudd og frister. DIPS og DIPS. NPR. Opplæring. Public 360."
    assert suggest(text, DEFAULT_TOPICS) == ("Fristbrudd", "NPR-validering", "DIPS")
    assert suggest(text, DEFAULT_TOPICS, limit=1) == ("Fristbrudd",)


def test_only_configured_topics_are_suggested_and_a_topic_without_stems_matches_its_label():
    configured = ("Fristbrudd", "Pasientreiser")
    assert suggest("Pasientreiser og fristbrudd", configured) == configured
    assert suggest("Timebøker i DIPS", configured) == ()


def test_a_configured_list_is_split_on_semicolons_and_may_not_hold_commas():
    assert parse_topics(" A ;B;;A ") == ("A", "B")
    with pytest.raises(ValueError):
        parse_topics("A, B")
    with pytest.raises(ValueError):
        parse_topics(" ; ")


def test_a_multi_select_value_becomes_labels_in_order():
    assert split_choices("DIPS,Fristbrudd, DIPS,") == ("DIPS", "Fristbrudd")
    assert split_choices("") == ()
    assert unknown_topics(("DIPS", "Ukjent"), DEFAULT_TOPICS) == ["Ukjent"]


@pytest.mark.parametrize("value", ["", "  ", "123456", "2026-1234", "26/1234", "1" * MAX_DEVIATION_REF])
def test_a_deviation_number_of_digits_and_separators_is_accepted(value):
    assert deviation_ref_error(value) is None


@pytest.mark.parametrize("value", ["abc", "12 34", "12--34", "-1234", "1234/", "1" * (MAX_DEVIATION_REF + 1),
                                   "Synergi 1234", "1234\n5678"])
def test_a_deviation_number_with_anything_but_digits_and_separators_is_refused(value):
    assert deviation_ref_error(value) == "submit.error.deviation_ref_invalid"


@pytest.mark.parametrize("shape", [lambda n: n, lambda n: f"{n[:6]}-{n[6:]}", lambda n: f"{n[:6]}/{n[6:]}",
                                   lambda n: f"{n[:2]}-{n[2:]}"])
def test_a_national_id_number_as_deviation_number_is_refused_however_it_is_split(shape):
    number = make_id("010190")
    assert deviation_ref_error(shape(number)) == "submit.error.deviation_ref_pii"
    assert deviation_ref_error(make_id("410190")) == "submit.error.deviation_ref_pii"  # a D-nummer


def test_eleven_digits_that_are_no_identity_number_are_a_fine_deviation_number():
    assert deviation_ref_error("12345678901") is None
