"""The operator's configuration: the environment read once at start-up, checked, and turned into the settings
value (council.settings.Settings) that app.py wires everything with. Each bad variable is refused with a
message naming it and saying how to fix it."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from council.audience import Audience
from council.meetings import DeadlineRules
from council.planning import PlanRules
from council.settings import DEFAULT_UNITS, Limits, Settings
from council.topics import DEFAULT_TOPICS, parse_topics
from storage.db import DEFAULT_URL, async_url

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
APP_TYPES = ("SingleTenant", "MultiTenant", "UserAssignedMSI")  # botbuilder's MicrosoftAppType values


class SettingsError(ValueError):
    """A setting is missing or contradicts another; the message says how to fix it."""


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Read and validate the environment; raise SettingsError naming the bad variable."""
    def get(name: str) -> str:
        return (env.get(name) or "").strip()
    settings = Settings(
        port=_port(get("PORT") or "3978"),
        host=get("HOST") or "127.0.0.1",
        database_url=_database_url(get("DATABASE_URL")),
        app_id=get("MICROSOFT_APP_ID"),
        app_password=get("MICROSOFT_APP_PASSWORD"),
        app_tenant_id=get("MICROSOFT_APP_TENANT_ID"),
        app_type=get("MICROSOFT_APP_TYPE") or "SingleTenant",
        allowed_tenant_ids=_csv(get("ALLOWED_TENANT_IDS")),
        timezone=get("COUNCIL_TIMEZONE") or "Europe/Oslo",
        leaders=frozenset(x.lower() for x in _csv(get("COUNCIL_LEADERS"))),
        units=_units(get("COUNCIL_UNITS")),
        topics=_topics(get("COUNCIL_TOPICS")),
        limits=_limits(env),
        deadlines=DeadlineRules(
            submission_days_before=_whole(env, "COUNCIL_SUBMISSION_DEADLINE_DAYS", 14),
            notice_days_before=_whole(env, "COUNCIL_NOTICE_DAYS", 7),
            minutes_days_after=_whole(env, "COUNCIL_MINUTES_DAYS", 7)),
        case_flag_days=_whole(env, "COUNCIL_CASE_FLAG_DAYS", 30),
        triage_to_channel=_triage_to(get("COUNCIL_TRIAGE_TO")),
        notice_copy_network=_yes_no(get("COUNCIL_NOTICE_COPY_NETWORK"), "COUNCIL_NOTICE_COPY_NETWORK"),
        archive_access_code=get("ARCHIVE_ACCESS_CODE")[:20],
        archive_legal_basis=get("ARCHIVE_LEGAL_BASIS")[:200],
        pask_ics=get("PASK_ICS"),
        pask_graph=_graph(get),
        pask_titles=get("PASK_TITLE_FILTER") or "PASK",
        plan=_plan(get),
        number_format=_number_format(get("COUNCIL_CASE_NUMBER_FORMAT")),
        ballot_key=_ballot_key(get("VOTE_BALLOT_KEY"), get("MICROSOFT_APP_ID")),
        hearing_internal_days=_whole(env, "HEARING_INTERNAL_WORKING_DAYS", 10),
        public_base_url=_base_url(get("PUBLIC_BASE_URL")),
        export_signing_key=get("EXPORT_SIGNING_KEY"),
        tab_jwks_url=get("TAB_JWKS_URL") or Settings.tab_jwks_url,
        tab_sso_audience=get("TAB_SSO_AUDIENCE"),
        member_cache_seconds=_whole(env, "MEMBER_CACHE_SECONDS", 5, "seconds", 3600),
        agenda_audience=_audience(get("AGENDA_AUDIENCE")),
        log_level=(get("LOG_LEVEL") or "INFO").upper(),
    )
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    """Refuse contradictory combinations before anything starts."""
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise SettingsError(
            f"COUNCIL_TIMEZONE={settings.timezone!r} is not a known IANA time zone; use e.g. Europe/Oslo."
        ) from None
    if settings.app_type not in APP_TYPES:
        raise SettingsError(f"MICROSOFT_APP_TYPE must be one of {', '.join(APP_TYPES)}.")
    if settings.archive_legal_basis and not settings.archive_access_code:
        raise SettingsError("ARCHIVE_LEGAL_BASIS is set but ARCHIVE_ACCESS_CODE is empty; a skjermingshjemmel "
                            "needs a tilgangskode (e.g. ARCHIVE_ACCESS_CODE=U).")
    if settings.anonymous:
        if settings.app_password:
            raise SettingsError(
                "MICROSOFT_APP_PASSWORD is set but MICROSOFT_APP_ID is empty; set both or neither."
            )
        return
    if not _GUID.match(settings.app_id):
        raise SettingsError("MICROSOFT_APP_ID must be the bot's Entra application (client) id, a GUID.")
    if settings.app_type != "UserAssignedMSI" and not settings.app_password:
        raise SettingsError("MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set.")
    if settings.app_type in ("SingleTenant", "UserAssignedMSI") and not settings.app_tenant_id:
        raise SettingsError(
            f"MICROSOFT_APP_TENANT_ID is required for MICROSOFT_APP_TYPE={settings.app_type}; "
            "use your Entra tenant id."
        )


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"PORT={raw!r} must be a number between 1 and 65535.")
    return int(raw)


def _audience(raw: str) -> Audience:
    try:
        return Audience.parse(raw)
    except ValueError as error:
        raise SettingsError(f"AGENDA_AUDIENCE={raw!r}: {error} (e.g. council,deputies,network).") from None


def _database_url(raw: str) -> str:
    if not raw:
        return DEFAULT_URL
    try:
        return async_url(raw)
    except ValueError:
        raise SettingsError(
            "DATABASE_URL must start with sqlite:// or postgresql:// "
            "(e.g. postgresql://postgres@127.0.0.1:5432/test)."
        ) from None


def _graph(get: Callable[[str], str]) -> tuple[str, str, str, str] | None:
    names = ("PASK_GRAPH_TENANT_ID", "PASK_GRAPH_CLIENT_ID", "PASK_GRAPH_CLIENT_SECRET", "PASK_GRAPH_MAILBOX")
    tenant, client_id, secret, mailbox = values = tuple(get(name) for name in names)
    if not any(values):
        return None
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise SettingsError(f"The PASK Graph calendar needs all of {', '.join(names)}; missing: {', '.join(missing)}.")
    return tenant, client_id, secret, mailbox


def _plan(get: Callable[[str], str]) -> PlanRules:
    try:
        start = time.fromisoformat(get("COUNCIL_MEETING_START") or "09:00")
        minutes = int(get("COUNCIL_MEETING_MINUTES") or "120")
        offset = int(get("COUNCIL_MEETING_OFFSET_DAYS") or "3")
        skip = frozenset(int(m) for m in (get("COUNCIL_SKIP_MONTHS") or "7").split(",") if m.strip())
        return PlanRules(offset_working_days=offset, start=start, duration_minutes=minutes, skip_months=skip)
    except ValueError as error:
        raise SettingsError(
            "COUNCIL_MEETING_START (HH:MM), COUNCIL_MEETING_MINUTES, COUNCIL_MEETING_OFFSET_DAYS (working days "
            f"after PASK) and COUNCIL_SKIP_MONTHS (e.g. 7) must be valid: {error}") from None


def _ballot_key(raw: str, app_id: str) -> str:
    """Secret ballots are keyed by HMAC with this key: it must be secret and the same in every process."""
    if raw:
        if len(raw) < 16:
            raise SettingsError("VOTE_BALLOT_KEY must be at least 16 characters (a long random secret).")
        return raw
    if app_id:
        raise SettingsError("VOTE_BALLOT_KEY is required with MICROSOFT_APP_ID: a long random secret, the same in "
                            "every app process (it keys secret ballots).")
    return "local-development-ballot-key"


def _number_format(raw: str) -> str:
    """'Sak {nr:02d}/{yy}' gives 'Sak 12/26'; {yyyy} is the four-digit year."""
    if not raw:
        return "Sak {nr:02d}/{yy}"
    try:
        sample = raw.format(nr=12, yy=26, yyyy=2026)
    except (KeyError, IndexError, ValueError):
        sample = ""
    if "12" not in sample:
        raise SettingsError("COUNCIL_CASE_NUMBER_FORMAT must use {nr} and {yy} or {yyyy}, e.g. 'Sak {nr:02d}/{yy}'.")
    return raw


def _base_url(raw: str) -> str:
    if raw and not raw.startswith(("http://", "https://")):
        raise SettingsError("PUBLIC_BASE_URL must be the bot's public address, e.g. https://radsbot.siv.no")
    return raw.rstrip("/")


def _whole(env: Mapping[str, str], name: str, default: int, unit: str = "days", maximum: int = 365) -> int:
    """A whole number of `unit` from 0 to `maximum`; unset means `default`."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > maximum:
        raise SettingsError(f"{name}={raw!r} must be a whole number of {unit} between 0 and {maximum}.")
    return int(raw)


def _yes_no(raw: str, name: str) -> bool:
    if raw.lower() in ("", "false", "nei", "no", "0"):
        return False
    if raw.lower() in ("true", "ja", "yes", "1"):
        return True
    raise SettingsError(f"{name}={raw!r} must be true or false.")


def _triage_to(raw: str) -> bool:
    if raw.lower() in ("", "channel", "kanal"):
        return True
    if raw.lower() in ("personal", "1:1", "chat"):
        return False
    raise SettingsError("COUNCIL_TRIAGE_TO must be 'channel' (triage cards in the council channel) or 'personal'.")


def _csv(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def _units(raw: str) -> tuple[str, ...]:
    if not raw:
        return DEFAULT_UNITS
    units = tuple(part.strip() for part in raw.split(";") if part.strip())
    if not units:
        raise SettingsError("COUNCIL_UNITS must list units separated by ';'.")
    return units


def _topics(raw: str) -> tuple[str, ...]:
    if not raw:
        return DEFAULT_TOPICS
    try:
        return parse_topics(raw)
    except ValueError:
        raise SettingsError("COUNCIL_TOPICS must list topics separated by ';', each without commas and at most "
                            "100 characters, e.g. 'Fristbrudd;NPR-validering;DIPS'.") from None


def _limits(env: Mapping[str, str]) -> Limits:
    raw = (env.get("TEAMS_RATE_LIMITS") or "").strip()
    if not raw:
        return Limits()
    problem = SettingsError(
        'TEAMS_RATE_LIMITS must be JSON with positive numbers, like {"per_app_per_second": 50, '
        '"per_conversation_per_second": 7, "per_conversation_per_30s": 60, "max_attempts": 8}.')
    try:
        limits = Limits(**json.loads(raw))
    except (ValueError, TypeError) as err:
        raise problem from err
    numbers = (limits.per_app_per_second, limits.per_conversation_per_second, limits.per_conversation_per_30s,
               limits.max_attempts)
    if not all(isinstance(n, (int, float)) and not isinstance(n, bool) and n > 0 for n in numbers) or not all(
            isinstance(n, int) for n in numbers[1:]):
        raise problem
    return limits

