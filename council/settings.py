"""The settings as values: what the composition root hands to services, cards, the bot and the tab. Reading
them from the environment and refusing bad ones is the edge's job (config.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from council.audience import DEFAULT_AUDIENCE, Audience
from council.meetings import DeadlineRules
from council.planning import PlanRules
from council.topics import DEFAULT_TOPICS

DEFAULT_UNITS = (
    "Klinikk for kirurgi",
    "Medisinsk klinikk",
    "Klinikk for psykisk helse og rus",
    "Kvinne-barn-klinikken",
    "Klinikk for prehospitale tjenester",
    "Servicedivisjonen",
    "Analyseavdelingen",
    "E-helse",
    "Juridisk",
)


@dataclass(frozen=True)
class Limits:
    """Teams' proactive-message limits (defaults from the rate-limit documentation)."""

    per_app_per_second: float = 50.0
    per_conversation_per_second: int = 7
    per_conversation_per_30s: int = 60
    max_attempts: int = 8


@dataclass(frozen=True)
class Settings:
    """Everything the composition root needs; built by `config.settings_from_env` or directly in tests."""

    port: int = 3978
    host: str = "127.0.0.1"
    database_url: str = ""  # an async SQLAlchemy URL; config.py gives the embedded default (storage.db)
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "SingleTenant"
    # Where the Bot Connector publishes its token signing keys (tests point it at a local fake).
    openid_metadata_url: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    allowed_tenant_ids: frozenset[str] = frozenset()
    timezone: str = "Europe/Oslo"
    leaders: frozenset[str] = frozenset()
    units: tuple[str, ...] = DEFAULT_UNITS
    topics: tuple[str, ...] = DEFAULT_TOPICS  # the mandate's task list; cases are tagged by these labels
    limits: Limits = field(default_factory=Limits)
    deadlines: DeadlineRules = field(default_factory=DeadlineRules)
    case_flag_days: int = 30
    triage_to_channel: bool = True
    notice_copy_network: bool = False  # the innkalling's «Kopi» also lists the leadership network
    archive_access_code: str = ""  # tilgangskode in the archive package (e.g. "U"); empty = open
    archive_legal_basis: str = ""  # skjermingshjemmel (e.g. "Offl. § 14"), with an access code
    pask_ics: str = ""
    pask_graph: tuple[str, str, str, str] | None = None  # tenant, client id, secret, mailbox
    pask_titles: str = "PASK"
    plan: PlanRules = field(default_factory=PlanRules)
    number_format: str = "Sak {nr:02d}/{yy}"
    ballot_key: str = "local-development-ballot-key"  # VOTE_BALLOT_KEY: the same in every process
    hearing_internal_days: int = 10
    public_base_url: str = ""
    export_signing_key: str = ""
    tab_jwks_url: str = "https://login.microsoftonline.com/common/discovery/v2.0/keys"  # Entra's signing keys
    tab_sso_audience: str = ""  # TAB_SSO_AUDIENCE; empty: api://<PUBLIC_BASE_URL's host>/<app id>
    outbox_sweep_seconds: float = 2.0
    member_cache_seconds: int = 5  # how long a role change in another app process may take to reach this one
    agenda_audience: Audience = field(default_factory=lambda: Audience.parse(DEFAULT_AUDIENCE))
    outbox_linger_seconds: float = 2.0
    start_scheduler: bool = True
    log_level: str = "INFO"

    @property
    def anonymous(self) -> bool:
        """No app id means local mode: no tokens in or out (Playground, fake connector)."""
        return not self.app_id

    @property
    def tenant_allow_list(self) -> frozenset[str]:
        """Tenants we accept; a SingleTenant bot accepts its own tenant when none are listed."""
        if self.allowed_tenant_ids:
            return self.allowed_tenant_ids
        return frozenset({self.app_tenant_id}) if self.app_tenant_id else frozenset()

    @property
    def base_url(self) -> str:
        """Where users' browsers reach us (download links); the listening address when not set."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def tab_audience(self) -> str:
        """The Application ID URI the tab's SSO tokens are issued for (webApplicationInfo.resource)."""
        return self.tab_sso_audience or f"api://{urlsplit(self.base_url).netloc}/{self.app_id}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
