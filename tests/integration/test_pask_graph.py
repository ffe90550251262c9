"""GraphSource against the local Entra ID + Graph fake: a real msal token flow, paging, filtering, failures."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from calendars.graph import GraphSource, _graph_datetime
from council.pask import CalendarUnavailable, PaskFilter
from tests.fakes.graph import CLIENT_ID, CLIENT_SECRET, MAILBOX, TENANT_ID, FakeGraph, oslo

OSLO = ZoneInfo("Europe/Oslo")


def local_times(meeting) -> tuple[time, time]:
    """Start and end as wall-clock times in Oslo, e.g. (10:00, 12:00)."""
    return meeting.start.astimezone(OSLO).time(), meeting.end.astimezone(OSLO).time()
FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture
async def fake(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # msal (requests) and aiohttp honour proxies
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    graph = FakeGraph()
    await graph.start()
    graph.add("PASK – nettverksmøte", oslo(date(2026, 3, 10), 10), oslo(date(2026, 3, 10), 12),
              location="Microsoft Teams-møte")
    graph.add("PASK – nettverksmøte", oslo(date(2026, 4, 14), 10), oslo(date(2026, 4, 14), 12),
              location="Microsoft Teams-møte")
    graph.add("Styremøte SiV", oslo(date(2026, 6, 2), 9), oslo(date(2026, 6, 2), 15))
    graph.add("PASK – uformell lunsj", oslo(date(2026, 5, 5), 11), oslo(date(2026, 5, 5), 12), show_as="free")
    graph.add("PASK – regional fagdag", oslo(date(2026, 9, 23), 0), oslo(date(2026, 9, 24), 0),
              is_all_day=True, show_as="free", location="Helse Sør-Øst, Hamar")
    graph.add("Avlyst: PASK – nettverksmøte", oslo(date(2026, 11, 10), 10), oslo(date(2026, 11, 10), 12),
              is_cancelled=True)
    graph.add("PASK – nettverksmøte", oslo(date(2026, 12, 8), 10), oslo(date(2026, 12, 8), 12))
    graph.add("PASK – nettverksmøte", oslo(date(2027, 1, 12), 10), oslo(date(2027, 1, 12), 12))  # outside
    yield graph
    await graph.stop()


@pytest.fixture
async def source(fake):
    made: list[GraphSource] = []

    def make(rules: PaskFilter = PaskFilter(), **overrides) -> GraphSource:
        options = dict(authority_host=fake.authority_host, graph_base=fake.graph_base, ca_file=fake.ca_file,
                       page_size=4)
        options.update(overrides)
        credentials = {"tenant_id": TENANT_ID, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                       "mailbox": MAILBOX}
        for name in list(credentials):
            if name in options:
                credentials[name] = options.pop(name)
        graph = GraphSource(tz=OSLO, rules=rules, **credentials, **options)
        made.append(graph)
        return graph

    yield make
    for graph in made:
        await graph.aclose()


async def test_meetings_come_from_two_pages_with_a_client_credentials_token(fake, source):
    found = await source().meetings(FIRST, LAST)

    assert [(m.local_date(OSLO), local_times(m)) for m in found] == [
        (date(2026, 3, 10), (time(10), time(12))),
        (date(2026, 4, 14), (time(10), time(12))),
        (date(2026, 12, 8), (time(10), time(12))),
    ]
    assert [m.start.astimezone(UTC).hour for m in found] == [9, 8, 9]  # across both DST changes
    assert found[0].title == "PASK – nettverksmøte" and found[0].location == "Microsoft Teams-møte"
    assert found[0].source_uid == fake.events[0].ical_uid
    assert all(m.start.tzinfo == OSLO for m in found)

    # msal found the token endpoint through the fake authority's OpenID configuration
    assert fake.discovery_requests == [TENANT_ID]
    assert len(fake.token_requests) == 1
    grant = fake.token_requests[0]
    assert grant["grant_type"] == "client_credentials"
    assert grant["client_id"] == CLIENT_ID
    assert grant["client_secret"] == CLIENT_SECRET
    assert grant["scope"] == "https://graph.microsoft.com/.default"

    # two pages of calendarView, the second by @odata.nextLink
    assert [r.status for r in fake.graph_requests] == [200, 200]
    first_page, second_page = fake.graph_requests
    assert first_page.path == f"/v1.0/users/{MAILBOX}/calendarView"
    assert first_page.query["startDateTime"] == "2025-12-31T23:00:00Z"  # 1 Jan 00:00 in Oslo
    assert first_page.query["endDateTime"] == "2026-12-31T23:00:00Z"    # 1 Jan 2027 00:00 in Oslo
    assert first_page.query["$top"] == "4" and "$skip" not in first_page.query
    assert second_page.query["$skip"] == "4"
    for request in fake.graph_requests:
        assert request.headers["Authorization"] == f"Bearer {fake.issued_tokens[0]}"
        assert request.headers["Prefer"] == 'outlook.timezone="UTC"'


async def test_the_token_is_reused_from_msal_cache(fake, source):
    graph = source()
    await graph.meetings(FIRST, LAST)
    await graph.meetings(date(2026, 3, 1), date(2026, 3, 31))
    assert len(fake.token_requests) == 1
    assert len(fake.discovery_requests) == 1


async def test_filters_are_configurable(fake, source):
    everything = PaskFilter(title_contains=(), exclude_all_day=False, exclude_free=False, exclude_cancelled=False)
    found = await source(everything).meetings(FIRST, LAST)
    assert len(found) == 7
    fagdag = next(m for m in found if "fagdag" in m.title)
    assert (fagdag.start, fagdag.end) == (datetime(2026, 9, 23, tzinfo=OSLO), datetime(2026, 9, 24, tzinfo=OSLO))
    assert fagdag.location == "Helse Sør-Øst, Hamar"
    assert await source(PaskFilter(title_contains=("Ingenting slikt",))).meetings(FIRST, LAST) == []


async def test_the_window_is_inclusive_local_dates(fake, source):
    found = await source().meetings(date(2026, 4, 14), date(2026, 4, 14))
    assert [m.local_date(OSLO) for m in found] == [date(2026, 4, 14)]


@pytest.mark.parametrize("status", [500, 503, 429, 403])
async def test_graph_errors_make_the_calendar_unavailable(fake, source, status):
    fake.fail_graph = status
    with pytest.raises(CalendarUnavailable, match=f"HTTP {status}"):
        await source().meetings(FIRST, LAST)


async def test_a_401_from_graph_drops_the_cached_token(fake, source):
    graph = source()
    await graph.meetings(FIRST, LAST)
    fake.fail_graph = 401
    with pytest.raises(CalendarUnavailable, match="HTTP 401"):
        await graph.meetings(FIRST, LAST)
    fake.fail_graph = None
    assert len(await graph.meetings(FIRST, LAST)) == 3
    assert len(fake.token_requests) == 2


async def test_a_wrong_secret_is_refused_without_showing_it(fake, source):
    with pytest.raises(CalendarUnavailable, match="invalid_client") as caught:
        await source(client_secret="wrong-secret-value").meetings(FIRST, LAST)
    assert "wrong-secret-value" not in caught.value.reason
    assert fake.graph_requests == []
    assert "wrong-secret-value" not in repr(source(client_secret="wrong-secret-value"))


async def test_an_unknown_tenant_or_mailbox_makes_the_calendar_unavailable(fake, source):
    with pytest.raises(CalendarUnavailable, match="sign-in service"):
        await source(tenant_id="00000000-0000-0000-0000-000000000000").meetings(FIRST, LAST)
    with pytest.raises(CalendarUnavailable, match="HTTP 404"):
        await source(mailbox="someone-else@siv.no").meetings(FIRST, LAST)


async def test_a_token_endpoint_outage_makes_the_calendar_unavailable(fake, source):
    fake.fail_token = 503
    with pytest.raises(CalendarUnavailable, match="temporarily_unavailable|sign-in service"):
        await source().meetings(FIRST, LAST)


async def test_a_slow_graph_times_out(fake, source):
    fake.graph_delay = 1.0
    with pytest.raises(CalendarUnavailable, match="did not answer"):
        await source(timeout=0.2).meetings(FIRST, LAST)


async def test_an_unreachable_service_makes_the_calendar_unavailable(source):
    with pytest.raises(CalendarUnavailable, match="sign-in service"):
        await source(authority_host="https://127.0.0.1:9", timeout=2).meetings(FIRST, LAST)


def test_graph_times_in_other_zones_are_converted():
    windows = {"dateTime": "2026-03-10T10:00:00.0000000", "timeZone": "W. Europe Standard Time"}
    assert _graph_datetime(windows, OSLO, False) == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    iana = {"dateTime": "2026-04-14T08:00:00.1234567", "timeZone": "UTC"}
    assert _graph_datetime(iana, OSLO, False) == datetime(2026, 4, 14, 8, 0, 0, 123456, tzinfo=UTC)
    with pytest.raises(CalendarUnavailable):
        _graph_datetime({"dateTime": "2026-04-14T08:00:00", "timeZone": "Mars Standard Time"}, OSLO, False)
