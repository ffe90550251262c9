"""Who may read agendas and notices (AGENDA_AUDIENCE), and download links that are personal and short-lived."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from config import SettingsError, settings_from_env
from council.audience import Audience
from tests.e2e.harness import running_bot
from tests.e2e.teams import (
    EMMA,
    KARI,
    LISE,
    OLA,
    SIGRID,
    TEAM_ID,
    User,
    card_of,
    execute,
    install_in_team,
    nodes,
    texts_in,
)

NILS = User("nils", "Nils Nettverk", "nils.nettverk@siv-demo.no")


async def _council(bot) -> int:
    bot.connector.add_member(TEAM_ID, NILS.roster_entry())
    await bot.post(install_in_team(bot.service_url))
    for user, data in ((SIGRID, {"roles": "secretary"}), (OLA, {"roles": "member", "unit": "Klinikk for kirurgi"}),
                       (LISE, {"roles": "deputy", "deputy_for": OLA.aad}), (NILS, {"roles": "network"})):
        await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": user.aad, **data}))
    await bot.post(execute(bot.service_url, KARI, "meeting.add", {"date": "2027-01-12", "start": "09:00",
                                                                 "end": "11:00", "place": "Teams"}))
    return (await bot.container.meetings.upcoming())[0].id


async def _agenda(bot, user: User, meeting_id: int) -> dict:
    _, body = await bot.post(execute(bot.service_url, user, "agenda.show", {"meeting_id": str(meeting_id)}))
    return card_of(body)


def _pdf_link(card: dict) -> str:
    return next(n["url"] for n in nodes(card) if n.get("type") == "Action.OpenUrl" and "notice.pdf" in n["url"])


async def _download(bot, url: str) -> int:
    parts = urlsplit(url)
    async with bot._session.get(f"{bot.url}{parts.path}?{parts.query}") as response:
        await response.read()
        return response.status


@pytest.fixture
async def council_only(database_url):
    async with running_bot(database_url, agenda_audience=Audience.parse("council")) as harness:
        yield harness


async def test_with_the_default_audience_the_council_deputies_and_network_see_the_agenda_and_others_do_not(bot):
    meeting_id = await _council(bot)
    for user in (KARI, SIGRID, OLA, LISE, NILS):
        assert "Sakslisten er bare for" not in texts_in(await _agenda(bot, user, meeting_id)), user.name
    refused = await _agenda(bot, EMMA, meeting_id)
    assert "Sakslisten er bare for rådet" in texts_in(refused)
    assert not [n for n in nodes(refused) if n.get("type") == "Action.OpenUrl"]


async def test_an_audience_of_the_council_alone_keeps_deputies_and_the_network_out(council_only):
    bot = council_only
    meeting_id = await _council(bot)
    for user in (KARI, SIGRID, OLA):
        assert "Sakslisten er bare for" not in texts_in(await _agenda(bot, user, meeting_id)), user.name
    for user in (LISE, NILS, EMMA):
        assert "Sakslisten er bare for" in texts_in(await _agenda(bot, user, meeting_id)), user.name


async def test_a_notice_link_belongs_to_who_asked_and_is_checked_again_at_download(bot):
    meeting_id = await _council(bot)
    url = _pdf_link(await _agenda(bot, OLA, meeting_id))
    assert parse_qs(urlsplit(url).query)["by"] == [OLA.aad]
    assert await _download(bot, url) == 200

    forged = {**{k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}, "by": EMMA.aad}
    assert await _download(bot, f"{urlsplit(url).path}?{urlencode(forged)}") == 403

    await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": OLA.aad, "roles": ""}))
    assert await _download(bot, url) == 403, "a link outlived its owner's role"


async def test_a_notice_link_lasts_minutes_not_months(bot):
    meeting_id = await _council(bot)
    url = _pdf_link(await _agenda(bot, SIGRID, meeting_id))
    bot.clock.advance(minutes=14)
    assert await _download(bot, url) == 200
    bot.clock.advance(minutes=2)
    assert await _download(bot, url) == 403


def test_agenda_audience_is_read_from_the_environment_and_a_wrong_group_stops_the_start():
    assert settings_from_env({}).agenda_audience == Audience(frozenset({"council", "deputies", "network"}))
    assert settings_from_env({"AGENDA_AUDIENCE": "council, everyone"}).agenda_audience.groups == \
        {"council", "everyone"}
    with pytest.raises(SettingsError, match="AGENDA_AUDIENCE"):
        settings_from_env({"AGENDA_AUDIENCE": "council,visitors"})
