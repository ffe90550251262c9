"""config.settings_from_env: defaults, rewriting, and refusal of contradictory or malformed configuration."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.adapter import bot_configuration
from config import SettingsError, settings_from_env
from council.settings import DEFAULT_UNITS, Limits

APP_ID = "0f5b6c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b"
TENANT_ID = "7d1c2b3a-4e5f-4a6b-9c8d-1e2f3a4b5c6d"
OTHER_TENANT_ID = "11111111-2222-4333-8444-555555555555"


def registered(**extra: str) -> dict[str, str]:
    """A complete SingleTenant registration, with overrides."""
    env = {"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s3cret", "MICROSOFT_APP_TENANT_ID": TENANT_ID,
           "VOTE_BALLOT_KEY": "a-long-random-ballot-key-for-tests"}
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


    return False


# --- defaults ---------------------------------------------------------------------------------------------------


def test_empty_environment_gives_the_local_defaults():
    settings = settings_from_env({})

    assert settings.port == 3978
    assert settings.host == "127.0.0.1"
    assert settings.database_url == "sqlite+aiosqlite:///data/radsbot.db"
    assert settings.anonymous is True
    assert settings.timezone == "Europe/Oslo"
    assert settings.tz == ZoneInfo("Europe/Oslo")
    assert settings.units == DEFAULT_UNITS
    assert settings.leaders == frozenset()
    assert settings.limits == Limits()
    assert settings.log_level == "INFO"
    assert settings.tenant_allow_list == frozenset()


def test_whitespace_only_variables_count_as_unset():
    settings = settings_from_env({"PORT": "  ", "DATABASE_URL": " ", "MICROSOFT_APP_ID": "\t", "COUNCIL_TIMEZONE": " "})

    assert settings.port == 3978
    assert settings.database_url == "sqlite+aiosqlite:///data/radsbot.db"
    assert settings.anonymous is True
    assert settings.timezone == "Europe/Oslo"


def test_log_level_is_upper_cased():
    assert settings_from_env({"LOG_LEVEL": "debug"}).log_level == "DEBUG"


# --- PORT -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["abc", "0", "65536", "-1", "80.5", "3978x"])
def test_invalid_port_is_refused_with_a_message_naming_port(raw):
    with pytest.raises(SettingsError, match="PORT"):
        settings_from_env({"PORT": raw})


@pytest.mark.parametrize(("raw", "port"), [("1", 1), ("8080", 8080), (" 8080 ", 8080), ("65535", 65535)])
def test_valid_port_is_read_as_an_integer(raw, port):
    assert settings_from_env({"PORT": raw}).port == port


# --- DATABASE_URL -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("postgresql://postgres@127.0.0.1:5432/test", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
    ("postgres://u:p@db:5432/radsbot", "postgresql+asyncpg://u:p@db:5432/radsbot"),
    ("sqlite:///tmp/x.db", "sqlite+aiosqlite:///tmp/x.db"),
    ("postgresql+asyncpg://db/radsbot", "postgresql+asyncpg://db/radsbot"),
    ("sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
])
def test_database_url_is_rewritten_to_the_async_driver(raw, expected):
    assert settings_from_env({"DATABASE_URL": raw}).database_url == expected


@pytest.mark.parametrize("raw", ["mysql://root@localhost/radsbot", "postgresql+psycopg://db/x", "radsbot.db"])
def test_database_url_with_an_unknown_scheme_is_refused(raw):
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        settings_from_env({"DATABASE_URL": raw})


# --- Bot registration -------------------------------------------------------------------------------------------


def test_app_password_without_app_id_is_refused():
    with pytest.raises(SettingsError, match="MICROSOFT_APP_PASSWORD.*MICROSOFT_APP_ID"):
        settings_from_env({"MICROSOFT_APP_PASSWORD": "s3cret"})


@pytest.mark.parametrize("app_id", ["my-bot", "0f5b6c1e2a3d4e5f8a9b0c1d2e3f4a5b", APP_ID + "0", "{" + APP_ID + "}"])
def test_app_id_that_is_not_a_guid_is_refused(app_id):
    with pytest.raises(SettingsError, match="MICROSOFT_APP_ID.*GUID"):
        settings_from_env(registered(MICROSOFT_APP_ID=app_id))


def test_app_id_without_password_is_refused_for_a_single_tenant_bot():
    with pytest.raises(SettingsError, match="MICROSOFT_APP_PASSWORD is required"):
        settings_from_env(registered(MICROSOFT_APP_PASSWORD=None))


def test_single_tenant_is_the_default_app_type_when_an_id_is_set():
    settings = settings_from_env(registered())

    assert settings.anonymous is False
    assert settings.app_type == "SingleTenant"
    assert settings.app_tenant_id == TENANT_ID


def test_single_tenant_without_tenant_id_is_refused_naming_the_variable():
    with pytest.raises(SettingsError) as caught:
        settings_from_env(registered(MICROSOFT_APP_TENANT_ID=None))

    assert "MICROSOFT_APP_TENANT_ID" in str(caught.value)
    assert "SingleTenant" in str(caught.value)


def test_user_assigned_msi_needs_a_tenant_but_no_password():
    accepted = settings_from_env(registered(MICROSOFT_APP_TYPE="UserAssignedMSI", MICROSOFT_APP_PASSWORD=None))
    assert accepted.app_type == "UserAssignedMSI"

    with pytest.raises(SettingsError, match="MICROSOFT_APP_TENANT_ID"):
        settings_from_env(registered(MICROSOFT_APP_TYPE="UserAssignedMSI", MICROSOFT_APP_PASSWORD=None,
                                     MICROSOFT_APP_TENANT_ID=None))


def test_multi_tenant_without_tenant_id_is_accepted():
    settings = settings_from_env(registered(MICROSOFT_APP_TYPE="MultiTenant", MICROSOFT_APP_TENANT_ID=None))

    assert settings.app_type == "MultiTenant"
    assert settings.app_tenant_id == ""
    assert settings.tenant_allow_list == frozenset()


def test_unknown_app_type_is_refused_listing_the_valid_ones():
    with pytest.raises(SettingsError, match="SingleTenant, MultiTenant, UserAssignedMSI"):
        settings_from_env(registered(MICROSOFT_APP_TYPE="Singletenant"))


# --- Council configuration --------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "europe/oslo", "../etc/passwd", "CET+1"])
def test_unknown_council_timezone_is_refused(zone):
    with pytest.raises(SettingsError, match="COUNCIL_TIMEZONE"):
        settings_from_env({"COUNCIL_TIMEZONE": zone})


def test_timezone_that_names_a_tzdata_folder_is_refused_as_a_settings_error():
    with pytest.raises(SettingsError, match="COUNCIL_TIMEZONE"):
        settings_from_env({"COUNCIL_TIMEZONE": "Europe"})


def test_a_valid_council_timezone_is_kept():
    settings = settings_from_env({"COUNCIL_TIMEZONE": "America/New_York"})

    assert settings.timezone == "America/New_York"
    assert settings.tz == ZoneInfo("America/New_York")


def test_council_leaders_are_parsed_lower_case_and_trimmed():
    settings = settings_from_env({"COUNCIL_LEADERS": " Kari.Leder@SIV-demo.no ,3F2504E0-4F89-41D3-9A0C-0305E82C3301,,"})

    assert settings.leaders == frozenset({"kari.leder@siv-demo.no", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"})


def test_council_units_are_split_on_semicolons_and_trimmed():
    settings = settings_from_env({"COUNCIL_UNITS": "Medisinsk klinikk; Klinikk for kirurgi, Tønsberg ;;E-helse"})

    assert settings.units == ("Medisinsk klinikk", "Klinikk for kirurgi, Tønsberg", "E-helse")


def test_council_units_with_only_separators_is_refused():
    with pytest.raises(SettingsError, match="COUNCIL_UNITS"):
        settings_from_env({"COUNCIL_UNITS": " ; ;"})


def test_council_topics_default_to_the_mandates_task_list():
    topics = settings_from_env({}).topics

    assert topics[0] == "Henvisninger og ventetider" and "NPR-validering" in topics and len(topics) == 14


def test_council_topics_are_split_on_semicolons_trimmed_and_deduplicated():
    settings = settings_from_env({"COUNCIL_TOPICS": " Fristbrudd ;DIPS;; Fødeavdelingens rutiner;DIPS"})

    assert settings.topics == ("Fristbrudd", "DIPS", "Fødeavdelingens rutiner")


@pytest.mark.parametrize("raw", [" ; ;", "Fristbrudd;Kontakter, timebøker", "x" * 101])
def test_council_topics_that_a_card_cannot_carry_are_refused(raw):
    with pytest.raises(SettingsError, match="COUNCIL_TOPICS"):
        settings_from_env({"COUNCIL_TOPICS": raw})


def test_teams_rate_limits_json_is_parsed_and_unset_fields_keep_defaults():
    settings = settings_from_env({"TEAMS_RATE_LIMITS": '{"per_app_per_second": 20, "max_attempts": 3}'})

    assert settings.limits == Limits(per_app_per_second=20, per_conversation_per_second=7,
                                     per_conversation_per_30s=60, max_attempts=3)


@pytest.mark.parametrize("raw", ["{not json", "[50, 7]", '"fast"', '{"per_app_per_minute": 50}'])
def test_malformed_teams_rate_limits_are_refused(raw):
    with pytest.raises(SettingsError, match="TEAMS_RATE_LIMITS"):
        settings_from_env({"TEAMS_RATE_LIMITS": raw})


@pytest.mark.parametrize("raw", ['{"per_app_per_second": 0}', '{"per_app_per_second": "fast"}',
                                 '{"per_conversation_per_second": -1}'])
def test_nonsensical_teams_rate_limit_values_are_refused_at_start_up(raw):
    with pytest.raises(SettingsError, match="TEAMS_RATE_LIMITS"):
        settings_from_env({"TEAMS_RATE_LIMITS": raw})


# --- Derived values ---------------------------------------------------------------------------------------------


def test_tenant_allow_list_falls_back_to_the_app_tenant():
    assert settings_from_env(registered()).tenant_allow_list == frozenset({TENANT_ID})


def test_tenant_allow_list_prefers_the_explicit_list():
    settings = settings_from_env(registered(ALLOWED_TENANT_IDS=f"{OTHER_TENANT_ID}, {TENANT_ID}"))

    assert settings.tenant_allow_list == frozenset({OTHER_TENANT_ID, TENANT_ID})


def test_bot_configuration_is_multi_tenant_without_credentials_when_anonymous():
    config = bot_configuration(settings_from_env({}))

    assert config.APP_TYPE == "MultiTenant"
    assert config.APP_ID == ""
    assert config.APP_PASSWORD == ""
    assert config.APP_TENANTID == ""


def test_bot_configuration_carries_the_registration_when_not_anonymous():
    config = bot_configuration(settings_from_env(registered()))

    assert config.APP_TYPE == "SingleTenant"
    assert config.APP_ID == APP_ID
    assert config.APP_PASSWORD == "s3cret"
    assert config.APP_TENANTID == TENANT_ID


def test_a_registered_bot_needs_a_ballot_key_for_secret_votes():
    with pytest.raises(SettingsError, match="VOTE_BALLOT_KEY"):
        settings_from_env(registered(VOTE_BALLOT_KEY=None))
    with pytest.raises(SettingsError, match="at least 16"):
        settings_from_env(registered(VOTE_BALLOT_KEY="short"))
    assert settings_from_env({}).ballot_key  # local mode works without one


# --- MEMBER_CACHE_SECONDS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "seconds"), [("", 5), ("0", 0), (" 30 ", 30), ("3600", 3600)])
def test_member_cache_seconds_is_a_whole_number_of_seconds(raw, seconds):
    assert settings_from_env({"MEMBER_CACHE_SECONDS": raw}).member_cache_seconds == seconds


@pytest.mark.parametrize("raw", ["-1", "2.5", "3601", "fem"])
def test_a_bad_member_cache_time_is_refused_naming_the_variable(raw):
    with pytest.raises(SettingsError, match="MEMBER_CACHE_SECONDS"):
        settings_from_env({"MEMBER_CACHE_SECONDS": raw})
