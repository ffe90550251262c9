"""Høringer og vedtak over HTTP: the hearing register with traffic lights, the decision register, roles."""
from __future__ import annotations

from datetime import date

import pytest

from bench.synthetic import fill
from council.registers import HearingRow
from tests.e2e.teams import EMMA, LISE


@pytest.fixture
async def history(tab_bot, council):
    c = tab_bot.container
    await fill(c.engine, today=date(2026, 11, 26), years=2, n_cases=40, n_meetings=12, n_hearings=12, n_actions=10,
               units=c.settings.units[:3])


@pytest.mark.parametrize(("status", "internal", "light"), [
    ("sendt", date(2026, 1, 1), "green"), ("under_arbeid", date(2026, 11, 25), "red"),
    ("mottatt", date(2026, 12, 3), "amber"), ("mottatt", date(2026, 12, 4), "grey"),
])
def test_the_traffic_light_follows_the_internal_deadline(status, internal, light):
    row = HearingRow(1, "Høring", "Hdir", date(2026, 10, 1), internal, internal, status, status == "sendt")
    assert row.light(date(2026, 11, 26)) == light


async def test_a_deputy_sees_hearings_with_lights_and_decisions_with_their_numbers(tab_bot, history, visitor):
    client = await visitor(LISE.aad)
    status, html, _ = await client.get("/tab/horinger")
    assert status == 200
    assert html.count('class="light light-') == 12 and "light-green" in html
    assert "Rådet slutter seg til forslaget" in html and "Sak 01/26" in html
    status, html, _ = await client.get("/tab/horinger?year=2025")
    assert status == 200 and "Sak 01/26" not in html and "Sak 02/25" in html


async def test_a_person_without_a_role_sees_no_hearings(tab_bot, history, visitor):
    client = await visitor(EMMA.aad)
    status, html, _ = await client.get("/tab/horinger")
    assert status == 403 and "Helsedirektoratet" not in html


async def test_a_bad_year_is_a_400(tab_bot, history, visitor):
    client = await visitor(LISE.aad)
    assert (await client.get("/tab/horinger?year=nineteen"))[0] == 400
