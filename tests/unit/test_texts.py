"""The message catalogue and Norwegian/English date and time formatting."""
from __future__ import annotations

import string
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cards.texts import CATALOGUES, MODULES, en_cases, language, nb, nb_cases, t
from cards.texts.format import format_date, format_datetime, format_time

OSLO = ZoneInfo("Europe/Oslo")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


# --- language ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "lang"), [
    ("nb-NO", "nb"), ("nn-NO", "nb"), ("no", "nb"), ("sv-SE", "nb"), (None, "nb"), ("", "nb"),
    ("en-GB", "en"), ("en-US", "en"), ("EN-us", "en"), ("en", "en"),
])
def test_language_is_english_only_for_english_locales(locale, lang):
    assert language(locale) == lang


# --- t() --------------------------------------------------------------------------------------------------------


def test_t_gives_bokmal_by_default_and_english_for_an_english_locale():
    assert t("app.name") == "Kontorfaglig råd"
    assert t("app.name", "nb-NO") == "Kontorfaglig råd"
    assert t("app.name", "en-US") == "Office Services Council"


def test_t_falls_back_from_english_to_bokmal_for_a_missing_key(monkeypatch):
    monkeypatch.delitem(CATALOGUES["en"], "role.deputy")

    assert t("role.deputy", "en-GB") == "Vara"


def test_t_returns_an_unknown_key_itself():
    assert t("no.such.key") == "no.such.key"
    assert t("no.such.key", "en-US") == "no.such.key"
    assert t("no.such.key", "en-US", name="Ola") == "no.such.key"


def test_t_fills_params():
    assert t("roles.synced", "nb-NO", count=12) == "Hentet 12 personer fra teamet."
    assert t("roles.saved", "en-US", name="Ola Hansen", roles="Member") == "Roles saved for Ola Hansen: Member."


def test_t_without_params_leaves_placeholders_untouched():
    assert t("roles.synced") == "Hentet {count:person|personer} fra teamet."


def test_param_values_are_not_formatted_again():
    assert t("roles.deputy_of", name="{ref}") == "vara for {ref}"


# --- Catalogue consistency --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_catalogues_registered_are_the_language_modules_without_overlaps(lang):
    modules = MODULES[lang]
    assert sum(len(m.TEXTS) for m in modules) == len(CATALOGUES[lang])  # no key defined twice
    assert nb in MODULES["nb"] and nb_cases in MODULES["nb"] and en_cases in MODULES["en"]


def test_every_english_key_exists_in_bokmal():
    assert set(CATALOGUES['en']) <= set(CATALOGUES['nb']), sorted(set(CATALOGUES['en']) - set(CATALOGUES['nb']))


def test_every_bokmal_key_has_an_english_text():
    # No key is deliberately left to the bokmål fallback today; report any that is.
    missing_in_english = sorted(set(CATALOGUES['nb']) - set(CATALOGUES['en']))
    assert missing_in_english == []


@pytest.mark.parametrize("key", sorted(CATALOGUES["nb"]))
def test_both_languages_use_the_same_placeholders(key):
    assert placeholders(CATALOGUES["en"].get(key, CATALOGUES["nb"][key])) == placeholders(CATALOGUES["nb"][key])


@pytest.mark.parametrize("catalogue", [CATALOGUES["nb"], CATALOGUES["en"]], ids=["nb", "en"])
def test_no_text_is_empty(catalogue):
    assert [key for key, value in catalogue.items() if not value.strip()] == []


# --- Dates and times --------------------------------------------------------------------------------------------


def test_format_date_in_bokmal():
    assert format_date(date(2026, 6, 5)) == "5. juni 2026"
    assert format_date(date(2026, 6, 5), "nb-NO") == "5. juni 2026"


def test_format_date_in_english():
    assert format_date(date(2026, 6, 5), "en-US") == "5 June 2026"


def test_format_date_with_weekday():
    assert format_date(date(2026, 6, 5), "nb-NO", weekday=True) == "fredag 5. juni 2026"
    assert format_date(date(2026, 6, 5), "en-GB", weekday=True) == "Friday 5 June 2026"


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 1, 1), "1. januar 2026"),
    (date(2026, 5, 17), "17. mai 2026"),
    (date(2026, 12, 31), "31. desember 2026"),
])
def test_format_date_uses_lower_case_norwegian_month_names(day, expected):
    assert format_date(day) == expected


def test_format_date_weekday_covers_sunday():
    assert format_date(date(2026, 6, 7), weekday=True) == "søndag 7. juni 2026"


def test_format_time_in_bokmal_and_english():
    assert format_time(time(9, 0)) == "kl. 09.00"
    assert format_time(time(9, 0), "en-US") == "09:00"
    assert format_time(time(23, 5), "nb-NO") == "kl. 23.05"


def test_format_datetime_shows_utc_in_council_time():
    moment = datetime(2026, 6, 5, 7, 0, tzinfo=UTC)

    assert format_datetime(moment, OSLO) == "5. juni 2026 kl. 09.00"
    assert format_datetime(moment, OSLO, "en-US") == "5 June 2026 09:00"


def test_format_datetime_after_the_spring_forward():
    # 29 March 2026: clocks jump from 02:00 to 03:00 at 01:00 UTC.
    assert format_datetime(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), OSLO) == "29. mars 2026 kl. 01.30"
    assert format_datetime(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), OSLO) == "29. mars 2026 kl. 03.30"


def test_format_datetime_shows_the_repeated_hour_twice_at_the_fall_back():
    # 25 October 2026: clocks go back from 03:00 to 02:00 at 01:00 UTC, so 02.30 happens twice.
    first = format_datetime(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), OSLO)
    second = format_datetime(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), OSLO)

    assert first == second == "25. oktober 2026 kl. 02.30"
    assert format_datetime(datetime(2026, 10, 25, 2, 30, tzinfo=UTC), OSLO) == "25. oktober 2026 kl. 03.30"


def test_format_datetime_converts_the_date_too():
    # 23:30 UTC on 31 December is already New Year's Day in Oslo.
    assert format_datetime(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), OSLO) == "1. januar 2027 kl. 00.30"
