"""Local fake of the Entra ID (v2.0) authority and Microsoft Graph's calendar, over HTTPS on 127.0.0.1.

Why HTTPS: msal refuses an authority that is not an https URL (`msal.authority.canonicalize`), so the fake
makes a throw-away CA and a server certificate for 127.0.0.1 at start; point the client at `ca_file`.

What it speaks (shapes copied from the real services):
* ``GET /{tenant}/v2.0/.well-known/openid-configuration``: the OpenID configuration msal's tenant discovery
  reads (it needs `authorization_endpoint` and `token_endpoint`; the token endpoint's path names the tenant);
* ``POST /{tenant}/oauth2/v2.0/token``: the client-credentials grant. The form fields are recorded in
  `token_requests`; a good request gets ``{"token_type": "Bearer", "expires_in": 3599, ...}``, a wrong
  secret gets 401 ``invalid_client`` (AADSTS7000215) as Entra answers;
* ``GET /v1.0/users/{mailbox}/calendarView?startDateTime=&endDateTime=&$top=``: events overlapping the
  window, `$top` per page, ``@odata.nextLink`` with ``$skip`` for the rest, times rendered in the zone named
  by ``Prefer: outlook.timezone="..."`` (UTC when absent), Graph's error body on failure;
* ``POST /v1.0/users/{mailbox}/events``: creates an event (201 with the event); a POST whose ``transactionId``
  matches a live event's gets that event back instead of a second one, as Graph promises for retries;
* ``PATCH /v1.0/users/{mailbox}/events/{id}`` (200 with the event) and ``DELETE`` (204); an unknown id is 404
  ``ErrorItemNotFound``. Times must name UTC or a Windows zone ("W. Europe Standard Time"): Graph's create and
  update accept only some IANA names (Europe/Oslo is not documented among them), so the fake takes none, with
  Graph's 400 ``TimeZoneNotSupportedException``. Created events show up in calendarView too.
Every Graph request is recorded in `graph_requests` (writes with their JSON `body`).

Switches: `fail_token` (status for the token endpoint), `fail_graph` (status for calendarView, e.g. 500 or
401), `graph_delay` (seconds before calendarView answers), `fail_writes` (status for POST/PATCH/DELETE).
"""
from __future__ import annotations

import asyncio
import ipaddress
import re
import secrets
import shutil
import ssl
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode
from zoneinfo import ZoneInfo

from aiohttp import web
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

TENANT_ID = "8a0b5c1e-2d3f-4a5b-9c6d-7e8f9a0b1c2d"
CLIENT_ID = "3f2e1d0c-9b8a-4766-8554-433221100fed"
CLIENT_SECRET = "fake-secret~not-a-real-one"
MAILBOX = "pask-kalender@siv.no"

_GRAPH_ERRORS = {
    400: ("ErrorInvalidParameter", "The value of the parameter is invalid."),
    401: ("InvalidAuthenticationToken", "Access token validation failure. Invalid audience."),
    403: ("ErrorAccessDenied", "Access is denied. Check credentials and try again."),
    404: ("ErrorInvalidUser", "The requested user is invalid."),
    429: ("ApplicationThrottled", "Application is over its MailboxConcurrency limit."),
    500: ("ErrorInternalServerError", "An internal server error occurred. The operation failed."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable."),
}


@dataclass
class FakeEvent:
    """One calendarView entry; `start`/`end` are aware datetimes (all-day: midnight in `all_day_zone`)."""

    subject: str
    start: datetime
    end: datetime
    is_all_day: bool = False
    is_cancelled: bool = False
    show_as: str = "busy"
    location: str = ""
    ical_uid: str = field(default_factory=lambda: "040000008200E00074C5B7101A82E008" + secrets.token_hex(28).upper())
    id: str = field(default_factory=lambda: "AAMkAGI2TG93AAA=" + secrets.token_urlsafe(24))
    body: str = ""
    transaction_id: str | None = None
    original_start_time_zone: str = "UTC"

    def render(self, zone_name: str, select: set[str] | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "@odata.etag": f'W/"{secrets.token_urlsafe(12)}"',
            "id": self.id,
            "iCalUId": self.ical_uid,
            "subject": self.subject,
            "isAllDay": self.is_all_day,
            "isCancelled": self.is_cancelled,
            "showAs": self.show_as,
            "type": "singleInstance",
            "start": _date_time_time_zone(self.start, zone_name, self.is_all_day),
            "end": _date_time_time_zone(self.end, zone_name, self.is_all_day),
            "location": {"displayName": self.location, "locationType": "default",
                         "uniqueId": self.location, "uniqueIdType": "private"} if self.location else
                        {"displayName": "", "locationType": "default", "uniqueIdType": "unknown"},
            "body": {"contentType": "text", "content": self.body},
            "originalStartTimeZone": self.original_start_time_zone,
        }
        if self.transaction_id:
            body["transactionId"] = self.transaction_id
        if select:
            body = {key: value for key, value in body.items() if key in select or key in ("@odata.etag", "id")}
        return body


@dataclass
class GraphRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0
    body: Any = None


class FakeGraph:
    """Start with `await fake.start()`, stop with `await fake.stop()`; see the module docstring."""

    def __init__(self, *, tenant_id: str = TENANT_ID, client_id: str = CLIENT_ID,
                 client_secret: str = CLIENT_SECRET, mailbox: str = MAILBOX) -> None:
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.mailbox = mailbox
        self.events: list[FakeEvent] = []
        self.discovery_requests: list[str] = []
        self.token_requests: list[dict[str, str]] = []
        self.graph_requests: list[GraphRequest] = []
        self.issued_tokens: list[str] = []
        self.fail_token: int | None = None
        self.fail_graph: int | None = None
        self.graph_delay: float = 0.0
        self.fail_writes: int | None = None
        self.base_url = ""
        self.ca_file = ""
        self._tmp: Path | None = None
        self._runner: web.AppRunner | None = None

    @property
    def authority_host(self) -> str:
        return self.base_url

    @property
    def graph_base(self) -> str:
        return f"{self.base_url}/v1.0"

    def add(self, subject: str, start: datetime, end: datetime, **kwargs: Any) -> FakeEvent:
        event = FakeEvent(subject=subject, start=start, end=end, **kwargs)
        self.events.append(event)
        return event

    async def start(self) -> str:
        self._tmp = Path(tempfile.mkdtemp(prefix="fake-graph-"))
        ca_file, server_context = _make_tls(self._tmp)
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid_configuration)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/v1.0/users/{mailbox}/calendarView", self._calendar_view)
        app.router.add_post("/v1.0/users/{mailbox}/events", self._write)
        app.router.add_patch("/v1.0/users/{mailbox}/events/{event_id}", self._write)
        app.router.add_delete("/v1.0/users/{mailbox}/events/{event_id}", self._write)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=server_context).start()
        self.base_url = f"https://127.0.0.1:{self._runner.addresses[0][1]}"
        self.ca_file = str(ca_file)
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # -- Entra ID --------------------------------------------------------------------------------------------

    async def _openid_configuration(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"]
        self.discovery_requests.append(tenant)
        if tenant != self.tenant_id:
            return web.json_response(_entra_error(
                "invalid_tenant", 90002, f"Tenant '{tenant}' not found. Check to make sure you have the correct "
                "tenant ID and are signing into the correct cloud."), status=400)
        base = f"{self.base_url}/{tenant}"
        return web.json_response({
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{base}/v2.0",
            "request_uri_parameter_supported": False,
            "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "http_logout_supported": True,
            "frontchannel_logout_supported": True,
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver"],
            "kerberos_endpoint": f"{base}/kerberos",
            "tenant_region_scope": "EU",
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net",
        })

    async def _token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.token_requests.append(form)
        if self.fail_token == 401 or form.get("client_secret") != self.client_secret:
            return web.json_response(_entra_error(
                "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in "
                "the request is the client secret value, not the client secret ID, for a secret added to app "
                f"'{form.get('client_id', '')}'."), status=401)
        if self.fail_token:
            return web.json_response(_entra_error("temporarily_unavailable", 50196, "The server is busy."),
                                     status=self.fail_token)
        if request.match_info["tenant"] != self.tenant_id:
            return web.json_response(_entra_error("invalid_tenant", 90002, "Tenant not found."), status=400)
        if form.get("client_id") != self.client_id:
            return web.json_response(_entra_error(
                "unauthorized_client", 700016, f"Application with identifier '{form.get('client_id')}' was not "
                "found in the directory."), status=400)
        if form.get("grant_type") != "client_credentials":
            return web.json_response(_entra_error("unsupported_grant_type", 70003, "The app requested an "
                                                  "unsupported grant type."), status=400)
        if not form.get("scope", "").endswith("/.default"):
            return web.json_response(_entra_error("invalid_scope", 1002012, "The provided value for scope is "
                                                  "not valid. Client credential flows must have a scope value "
                                                  "with /.default suffixed to the resource identifier."), status=400)
        token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake." + secrets.token_urlsafe(32)
        self.issued_tokens.append(token)
        return web.json_response({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                                  "access_token": token})

    # -- Graph -----------------------------------------------------------------------------------------------

    async def _calendar_view(self, request: web.Request) -> web.Response:
        record = GraphRequest("GET", request.path, dict(request.query), dict(request.headers))
        self.graph_requests.append(record)
        if self.graph_delay:
            await asyncio.sleep(self.graph_delay)
        status, body, headers = self._answer(request)
        record.status = status
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, request: web.Request) -> tuple[int, dict[str, Any], dict[str, str]]:
        request_id = secrets.token_hex(16)
        headers = {"request-id": request_id, "client-request-id": request_id}
        refused = self._refusal(request, request_id, headers, self.fail_graph)
        if refused:
            return refused
        try:
            start = _parse_instant(request.query["startDateTime"])
            end = _parse_instant(request.query["endDateTime"])
            top = int(request.query.get("$top", "10"))
            skip = int(request.query.get("$skip", "0"))
        except (KeyError, ValueError):
            return 400, _graph_error(400, request_id), headers
        zone_name = _preferred_zone(request.headers.get("Prefer", ""))
        headers["Preference-Applied"] = f'outlook.timezone="{zone_name}"'
        select = {name.strip() for name in request.query.get("$select", "").split(",") if name.strip()} or None
        matching = sorted((event for event in self.events if event.start < end and event.end > start),
                          key=lambda event: event.start)
        page = matching[skip:skip + top]
        body: dict[str, Any] = {
            "@odata.context": f"{self.graph_base}/$metadata#users('{self.mailbox}')/calendarView",
            "value": [event.render(zone_name, select) for event in page],
        }
        if skip + top < len(matching):
            query = {key: value for key, value in request.query.items() if key != "$skip"}
            query["$skip"] = str(skip + top)
            body["@odata.nextLink"] = f"{self.graph_base}{request.path.removeprefix('/v1.0')}?{urlencode(query)}"
        return 200, body, headers

    def _refusal(self, request: web.Request, request_id: str, headers: dict[str, str],
                 fail: int | None) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        auth = request.headers.get("Authorization", "")
        if fail:
            return fail, _graph_error(fail, request_id), headers
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self.issued_tokens:
            headers["WWW-Authenticate"] = 'Bearer realm="", error="invalid_token"'
            return 401, _graph_error(401, request_id), headers
        if unquote(request.match_info["mailbox"]).lower() != self.mailbox.lower():
            return 404, _graph_error(404, request_id), headers
        return None

    async def _write(self, request: web.Request) -> web.Response:
        try:
            body = await request.json() if request.method in ("POST", "PATCH") else None
        except ValueError:
            body = None
        record = GraphRequest(request.method, request.path, dict(request.query), dict(request.headers), body=body)
        self.graph_requests.append(record)
        status, answer, headers = self._write_answer(request, body)
        record.status = status
        if status == 204:
            return web.Response(status=204, headers=headers)
        return web.json_response(answer, status=status, headers=headers)

    def _write_answer(self, request: web.Request, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        request_id = secrets.token_hex(16)
        headers = {"request-id": request_id, "client-request-id": request_id}
        refused = self._refusal(request, request_id, headers, self.fail_writes)
        if refused:
            return refused
        if request.method == "POST":
            event = None
        else:
            event_id = unquote(request.match_info["event_id"])
            event = next((e for e in self.events if e.id == event_id), None)
            if event is None:
                return 404, _graph_error(404, request_id, "ErrorItemNotFound",
                                         "The specified object was not found in the store."), headers
        if request.method == "DELETE":
            self.events.remove(event)
            return 204, {}, headers
        if not isinstance(body, dict):
            return 400, _graph_error(400, request_id), headers
        transaction = body.get("transactionId")
        if event is None and transaction:
            event = next((e for e in self.events if e.transaction_id == transaction), None)
            if event is not None:  # a retried create: the event made the first time
                return 201, event.render(event.original_start_time_zone, None), headers
        try:
            fields = _event_fields(body)
        except _ZoneNotSupported as error:
            return 400, _graph_error(400, request_id, "TimeZoneNotSupportedException",
                                     "A valid TimeZone value must be specified. The following TimeZone value is "
                                     f"not supported: '{error}'."), headers
        except (KeyError, TypeError, ValueError):
            return 400, _graph_error(400, request_id), headers
        if event is None:
            if "start" not in fields or "end" not in fields:
                return 400, _graph_error(400, request_id), headers
            event = FakeEvent(subject=fields.pop("subject", ""), start=fields.pop("start"), end=fields.pop("end"),
                              transaction_id=transaction)
            self.events.append(event)
        for name, value in fields.items():
            setattr(event, name, value)
        return (201 if request.method == "POST" else 200), event.render(event.original_start_time_zone, None), headers


class _ZoneNotSupported(ValueError):
    pass


def _event_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The FakeEvent fields a create or update sets (only those present in the body)."""
    fields: dict[str, Any] = {}
    if "subject" in body:
        fields["subject"] = str(body["subject"])
    if "body" in body:
        fields["body"] = str(body["body"]["content"])
    if "location" in body:
        fields["location"] = str(body["location"].get("displayName") or "")
    for name in ("start", "end"):
        if name in body:
            value = body[name]
            zone_name = str(value["timeZone"])
            if zone_name != "UTC" and zone_name not in WINDOWS_TO_OLSON:
                raise _ZoneNotSupported(zone_name)
            fields[name] = datetime.fromisoformat(str(value["dateTime"])).replace(tzinfo=_zone(zone_name))
            if name == "start":
                fields["original_start_time_zone"] = zone_name
    return fields


def _zone(name: str) -> Any:
    if name.upper() == "UTC":
        return UTC
    return ZoneInfo(WINDOWS_TO_OLSON.get(name, name))


def _entra_error(error: str, code: int, description: str) -> dict[str, Any]:
    trace = secrets.token_hex(16)
    now = datetime.now(UTC)
    return {
        "error": error,
        "error_description": f"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {trace} "
                             f"Timestamp: {now:%Y-%m-%d %H:%M:%SZ}",
        "error_codes": [code],
        "timestamp": f"{now:%Y-%m-%d %H:%M:%SZ}",
        "trace_id": trace,
        "correlation_id": trace,
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    }


def _graph_error(status: int, request_id: str, code: str = "", message: str = "") -> dict[str, Any]:
    default_code, default_message = _GRAPH_ERRORS.get(
        status, ("ErrorInternalServerError", f"Fake Graph answered {status}."))
    code, message = code or default_code, message or default_message
    return {"error": {"code": code, "message": message, "innerError": {
        "date": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}", "request-id": request_id,
        "client-request-id": request_id}}}


def _parse_instant(raw: str) -> datetime:
    value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _preferred_zone(prefer: str) -> str:
    match = re.search(r'outlook\.timezone="([^"]+)"', prefer)
    return match.group(1) if match else "UTC"


def _date_time_time_zone(value: datetime, zone_name: str, all_day: bool) -> dict[str, str]:
    if all_day:  # an all-day event is a date: midnight, labelled with the requested zone
        local = datetime.combine(value.date() if isinstance(value, datetime) else value, datetime.min.time())
    else:
        local = value.astimezone(_zone(zone_name)).replace(tzinfo=None)
    return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond:06d}0", "timeZone": zone_name}


def _make_tls(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A throw-away CA and a server certificate for 127.0.0.1/localhost; returns (CA file, server context)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Radsbot fake Graph test CA")])
    usage = dict(content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False,
                 encipher_only=False, decipher_only=False)
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, **usage),
                       critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage),
                       critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file, key_file = directory / "server.pem", directory / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return ca_file, context


def oslo(day: date, hour: int, minute: int = 0) -> datetime:
    """Convenience for tests: a wall-clock time in Europe/Oslo."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/Oslo"))
