"""PASK meetings from a Microsoft 365 mailbox calendar through Microsoft Graph (application permission), and
the council's own meetings written to that calendar as events (`GraphCalendarWriter`).

The app registration needs the Graph *application* permission Calendars.ReadBasic (least privilege for
calendarView; subject, times, location, showAs and isCancelled are all included) with admin consent; writing
events needs Calendars.ReadWrite instead. Exchange Online's application access policy / RBAC for Applications
can restrict either to the one mailbox.

Token: msal's ConfidentialClientApplication (client-credentials grant). msal is synchronous and does network
I/O both when it is built (it fetches the tenant's OpenID configuration) and when it gets a token, so both
run in a worker thread. The application object is kept, so msal's in-memory token cache is reused until
the token expires.

msal facts that shape this module (msal 1.39, read from its source):
* the authority must be an https URL with a tenant path segment (`msal.authority.canonicalize`);
* for a host that is not one of Microsoft's well-known login hosts, msal first asks
  login.microsoftonline.com for "instance discovery" unless `instance_discovery=False`; we always pass
  False: the authority is our own configuration, and it saves a round trip on every cache lookup;
* it then GETs `{authority}/v2.0/.well-known/openid-configuration` and POSTs the grant to the
  `token_endpoint` found there;
* requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a Session's `verify` (and msal's own `verify=`),
  so a custom CA bundle (`ca_file`) is passed per request on a session we own (and close in `aclose`).
"""
from __future__ import annotations

import asyncio
import functools
import json
import ssl
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import msal
import requests

from calendars.errors import network_errors
from council.meetings import Meeting
from council.pask import CalendarUnavailable, PaskFilter, PaskMeeting, is_network_meeting

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
DEFAULT_TIMEOUT = 20.0
_SELECT = "subject,start,end,isAllDay,isCancelled,showAs,location,iCalUId,id"
_MAX_PAGES = 50

SessionFactory = Callable[[], aiohttp.ClientSession]


class _GraphClient:
    """What the reader and the writer share: the client-credentials token, the HTTP session, error wording."""

    _permission = "Calendars.ReadBasic"  # named in the 403 message
    _mailbox_label = "the PASK mailbox"

    def __init__(self, tenant_id: str, client_id: str, client_secret: str, mailbox: str, *,
                 authority_host: str = "https://login.microsoftonline.com",
                 graph_base: str = "https://graph.microsoft.com/v1.0",
                 session_factory: SessionFactory | None = None,
                 ca_file: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        missing = [name for name, value in (("tenant_id", tenant_id), ("client_id", client_id),
                                            ("client_secret", client_secret), ("mailbox", mailbox)) if not value]
        if missing:
            raise ValueError(f"{type(self).__name__} needs {', '.join(missing)}")
        self._tenant_id = tenant_id.strip()
        self._client_id = client_id.strip()
        self._client_secret = client_secret
        self._mailbox = mailbox.strip()
        self._authority = f"{authority_host.rstrip('/')}/{self._tenant_id}"
        self._graph_base = graph_base.rstrip("/")
        self._ca_file = ca_file
        self._timeout = timeout
        self._session_factory = session_factory or self._default_session
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:  # never show the secret
        return (f"{type(self).__name__}(tenant_id={self._tenant_id!r}, client_id={self._client_id!r}, "
                f"mailbox={self._mailbox!r})")

    @property
    def _user_url(self) -> str:
        return f"{self._graph_base}/users/{quote(self._mailbox, safe='@')}"

    async def aclose(self) -> None:
        """Close msal's HTTP session (call at shutdown)."""
        app, self._app = self._app, None
        if app is not None:
            await asyncio.to_thread(app.http_client.close)

    # -- token ---------------------------------------------------------------------------------------------

    async def _token(self) -> str:
        async with self._lock:
            try:
                if self._app is None:
                    self._app = await asyncio.to_thread(self._build_app)
                result = await asyncio.to_thread(self._app.acquire_token_for_client, scopes=[GRAPH_SCOPE])
            except Exception as error:
                raise CalendarUnavailable(
                    f"could not get a token from the sign-in service ({type(error).__name__})",
                    code="sign_in") from None
        if not isinstance(result, dict) or not result.get("access_token"):
            code = result.get("error", "no token") if isinstance(result, dict) else "no token"
            raise CalendarUnavailable(f"the sign-in service refused the token request ({code})", code="sign_in")
        return result["access_token"]

    def _build_app(self) -> msal.ConfidentialClientApplication:
        # Our own requests session (msal's HTTP library), so it can be closed even when msal fails to start
        # (tenant discovery happens in the constructor), with the timeout and CA bundle on every request.
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(max_retries=1)  # what msal mounts on its own session
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        per_request: dict[str, Any] = {"timeout": self._timeout}
        if self._ca_file:
            per_request["verify"] = self._ca_file
        session.request = functools.partial(session.request, **per_request)  # type: ignore[method-assign]
        try:
            return msal.ConfidentialClientApplication(
                self._client_id, client_credential=self._client_secret, authority=self._authority,
                instance_discovery=False, http_client=session)
        except BaseException:
            session.close()
            raise

    async def _forget_token(self) -> None:
        app = self._app
        if app is not None:
            await asyncio.to_thread(app.remove_tokens_for_client)

    # -- HTTP ----------------------------------------------------------------------------------------------

    def _default_session(self) -> aiohttp.ClientSession:
        ssl_context = ssl.create_default_context(cafile=self._ca_file) if self._ca_file else True
        return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout), trust_env=True,
                                     connector=aiohttp.TCPConnector(ssl=ssl_context))

    def _network_errors(self) -> AbstractContextManager[None]:
        return network_errors(f"Microsoft Graph did not answer within {self._timeout:g} seconds",
                              "Microsoft Graph could not be reached")

    async def _refuse(self, status: int) -> None:
        if status == 401:
            await self._forget_token()
            raise CalendarUnavailable("Microsoft Graph refused the token (HTTP 401)", code="sign_in")
        if status == 403:
            raise CalendarUnavailable(
                f"Microsoft Graph denied access to the mailbox (HTTP 403): check the {self._permission} "
                "application permission and any application access policy", code="denied")
        if status == 404:
            raise CalendarUnavailable(
                f"Microsoft Graph does not know {self._mailbox_label} (HTTP 404)", code="not_found")
        raise CalendarUnavailable(f"Microsoft Graph answered HTTP {status}", code="http_error")


class GraphSource(_GraphClient):
    """A `CalendarSource` reading `mailbox`'s calendarView (a user id or user principal name)."""

    def __init__(self, tenant_id: str, client_id: str, client_secret: str, mailbox: str, tz: tzinfo,
                 rules: PaskFilter = PaskFilter(), *,
                 authority_host: str = "https://login.microsoftonline.com",
                 graph_base: str = "https://graph.microsoft.com/v1.0",
                 session_factory: SessionFactory | None = None,
                 ca_file: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT,
                 page_size: int = 100) -> None:
        super().__init__(tenant_id, client_id, client_secret, mailbox, authority_host=authority_host,
                         graph_base=graph_base, session_factory=session_factory, ca_file=ca_file, timeout=timeout)
        self._tz = tz
        self._rules = rules
        self._page_size = max(1, min(page_size, 1000))

    async def meetings(self, first: date, last: date) -> list[PaskMeeting]:
        if last < first:
            return []
        token = await self._token()
        window_start = datetime.combine(first, time(0), tzinfo=self._tz).astimezone(UTC)
        window_end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=self._tz).astimezone(UTC)
        events = await self._calendar_view(token, window_start, window_end)
        try:
            found = [meeting for meeting in (self._meeting(event) for event in events) if meeting is not None]
        except CalendarUnavailable:
            raise
        except Exception as error:
            raise CalendarUnavailable(
                f"Microsoft Graph sent an event that could not be read ({type(error).__name__})",
                code="invalid") from None
        found = [meeting for meeting in found if first <= meeting.local_date(self._tz) <= last]
        return sorted(found, key=lambda meeting: (meeting.start, meeting.title))

    # -- Graph ---------------------------------------------------------------------------------------------

    async def _calendar_view(self, token: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        url: str | None = f"{self._user_url}/calendarView"
        params: dict[str, str] | None = {
            "startDateTime": _graph_instant(start), "endDateTime": _graph_instant(end),
            "$top": str(self._page_size), "$select": _SELECT}
        headers = {"Authorization": f"Bearer {token}", "Prefer": 'outlook.timezone="UTC"',
                   "Accept": "application/json"}
        events: list[dict[str, Any]] = []
        try:
            with self._network_errors():
                async with self._session_factory() as session:
                    for _ in range(_MAX_PAGES):
                        async with session.get(url, params=params, headers=headers) as response:
                            if response.status != 200:
                                await self._refuse(response.status)
                            body = await response.json(content_type=None)
                        page = body.get("value")
                        if not isinstance(page, list):
                            raise CalendarUnavailable(
                                "Microsoft Graph sent an unexpected answer (no 'value')", code="invalid")
                        events.extend(page)
                        url, params = body.get("@odata.nextLink"), None
                        if not url:
                            return events
                        if not self._same_origin(url):
                            raise CalendarUnavailable("Microsoft Graph sent a next page on another host",
                                                      code="invalid")
        except CalendarUnavailable:
            raise
        except (ValueError, AttributeError, TypeError) as error:
            raise CalendarUnavailable(
                f"Microsoft Graph sent an unexpected answer ({type(error).__name__})", code="invalid") from None
        raise CalendarUnavailable(f"Microsoft Graph sent more than {_MAX_PAGES} pages", code="invalid")

    def _same_origin(self, url: str) -> bool:
        ours, theirs = urlsplit(self._graph_base), urlsplit(url)
        return (ours.scheme, ours.netloc.lower()) == (theirs.scheme, theirs.netloc.lower())

    def _meeting(self, event: dict[str, Any]) -> PaskMeeting | None:
        title = (event.get("subject") or "").strip()
        all_day = bool(event.get("isAllDay"))
        if not is_network_meeting(self._rules, title=title, all_day=all_day,
                                  free=str(event.get("showAs") or "").lower() == "free",
                                  cancelled=bool(event.get("isCancelled"))):
            return None
        start = _graph_datetime(event["start"], self._tz, all_day)
        end = _graph_datetime(event["end"], self._tz, all_day)
        location = ((event.get("location") or {}).get("displayName") or "").strip()
        return PaskMeeting(start=start, end=max(start, end), title=title, location=location,
                           source_uid=event.get("iCalUId") or event.get("id") or "")


class GraphCalendarWriter(_GraphClient):
    """Writes the council's meetings as events in `mailbox`'s calendar (needs Calendars.ReadWrite).

    A create carries `transactionId` (stable per meeting): Graph uses it to avoid a second event when a POST is
    retried after its answer was lost, so a sweep that dies between Graph and our table cannot duplicate one.
    """

    _permission = "Calendars.ReadWrite"
    _mailbox_label = "the calendar mailbox"

    async def upsert(self, meeting: Meeting, tz: tzinfo, subject: str, body_text: str) -> str:
        """Create the meeting's event, or update it; returns the event id."""
        event = _event(meeting, tz, subject, body_text)
        transaction = f"radsbot-meeting-{meeting.id}"
        if meeting.calendar_event_id:
            status, answer = await self._send("PATCH", self._event_url(meeting.calendar_event_id), event)
            if status == 200:
                return meeting.calendar_event_id
            if status != 404 or _error_code(answer) != "ErrorItemNotFound":
                await self._refuse(status)
            transaction = f"{transaction}-v{meeting.calendar_version}"  # deleted in Outlook: a new event
        status, answer = await self._send("POST", f"{self._user_url}/events", {**event, "transactionId": transaction})
        if status not in (200, 201):
            await self._refuse(status)
        event_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(event_id, str) or not event_id:
            raise CalendarUnavailable("Microsoft Graph sent an unexpected answer (no event id)", code="invalid")
        return event_id

    async def cancel(self, event_id: str) -> None:
        """Delete the event; one that is already gone (404) counts as deleted."""
        status, _ = await self._send("DELETE", self._event_url(event_id))
        if status not in (200, 204, 404):
            await self._refuse(status)

    def _event_url(self, event_id: str) -> str:
        return f"{self._user_url}/events/{quote(event_id, safe='')}"

    async def _send(self, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        token = await self._token()
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        with self._network_errors():
            async with (self._session_factory() as session,
                        session.request(method, url, json=body, headers=headers) as response):
                return response.status, _json_or_none(await response.read())


def _event(meeting: Meeting, tz: tzinfo, subject: str, body_text: str) -> dict[str, Any]:
    """Graph's event JSON: wall-clock times in the council's zone, by its Windows name (Graph's create and
    update accept Windows names and only some IANA ones; Europe/Oslo is not among those documented)."""
    start, end = datetime.combine(meeting.date, meeting.start), datetime.combine(meeting.date, meeting.end)
    zone = _windows_zone(str(getattr(tz, "key", "") or ""))
    if zone is None:  # no Windows name known: send the instants in UTC
        start, end = (value.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None) for value in (start, end))
        zone = "UTC"
    return {"subject": subject, "body": {"contentType": "text", "content": body_text},
            "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": zone},
            "end": {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": zone},
            "location": {"displayName": meeting.place}}


# CLDR windowsZones maps these by territory; icalendar's table keeps only each Windows zone's main city.
_WINDOWS_BY_TERRITORY = {"Europe/Oslo": "W. Europe Standard Time", "Europe/Stockholm": "W. Europe Standard Time",
                         "Europe/Copenhagen": "Romance Standard Time", "Europe/Helsinki": "FLE Standard Time"}


@functools.cache
def _windows_zone(iana: str) -> str | None:
    if iana in ("UTC", "Etc/UTC"):
        return "UTC"
    if iana in _WINDOWS_BY_TERRITORY:
        return _WINDOWS_BY_TERRITORY[iana]
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return next((windows for windows, olson in WINDOWS_TO_OLSON.items() if olson == iana), None)


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return None


def _error_code(answer: Any) -> str:
    error = answer.get("error") if isinstance(answer, dict) else None
    return str(error.get("code") or "") if isinstance(error, dict) else ""


def _graph_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _graph_datetime(value: dict[str, Any], tz: tzinfo, all_day: bool) -> datetime:
    """Graph's dateTimeTimeZone ({"dateTime": "2026-03-10T09:00:00.0000000", "timeZone": "UTC"}) in `tz`.

    All-day events are dates: their midnight is taken on the council's wall clock whatever zone is named.
    """
    raw = str(value["dateTime"])
    head, _, fraction = raw.partition(".")
    naive = datetime.fromisoformat(head)
    if fraction:
        naive = naive.replace(microsecond=int(fraction.rstrip("Z")[:6].ljust(6, "0")))
    if all_day:
        return datetime.combine(naive.date(), time(0), tzinfo=tz)
    return naive.replace(tzinfo=_zone(str(value.get("timeZone") or "UTC"))).astimezone(tz)


def _zone(name: str) -> tzinfo:
    if name.upper() in ("UTC", "Z", "COORDINATED UNIVERSAL TIME", "ETC/UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON  # Windows zone names, CLDR mapping

    if name in WINDOWS_TO_OLSON:
        return ZoneInfo(WINDOWS_TO_OLSON[name])
    raise CalendarUnavailable("Microsoft Graph named a time zone we do not know", code="invalid")
