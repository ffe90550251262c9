"""Møter over HTTP: the year plan with PASK beside it, each meeting's saksliste and document links, roles."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from bench.synthetic import fill
from council.pask import PaskMeeting
from storage.tables import meetings
from tests.e2e.teams import EMMA, KARI, OLA


@pytest.fixture
async def history(tab_bot, council):
    c = tab_bot.container
    await fill(c.engine, today=date(2026, 11, 26), years=2, n_cases=30, n_meetings=24, n_hearings=2, n_actions=2,
               units=c.settings.units[:3])
    async with c.uow() as uow:
        await uow.pask.replace("manual", [PaskMeeting(datetime(2026, 3, 10, 9, tzinfo=UTC),
                                                      datetime(2026, 3, 10, 11, tzinfo=UTC), "PASK nettverksmøte")])
        await uow.commit()


async def test_a_member_sees_the_year_plan_with_pask_and_each_sakslist(tab_bot, history, visitor):
    client = await visitor(OLA.aad)
    status, html, _ = await client.get("/tab/moter?year=2026")
    assert status == 200
    march = html.split('<th scope="row">Mars</th>')[1].split("</tr>")[0]
    assert "PASK nettverksmøte" in march and "10. mars 2026" in march
    assert html.count('<section class="figure meeting"') >= 10
    assert "Sak 01/26" in html and "Avlyst" in html
    assert "Referat (PDF)" in html and f"by={OLA.aad}" in html  # approved minutes are for the council


async def test_a_draft_referat_is_linked_for_the_leader_but_not_for_a_member(tab_bot, history, visitor):
    async with tab_bot.container.engine.begin() as connection:
        await connection.execute(update(meetings).where(meetings.c.date.between(date(2026, 1, 1), date(2026, 12, 31)))
                                 .values(minutes_status="utkast"))
    _, member_page, _ = await (await visitor(OLA.aad)).get("/tab/moter?year=2026")
    _, leader_page, _ = await (await visitor(KARI.aad)).get("/tab/moter?year=2026")
    assert "Referat (PDF)" not in member_page  # a draft is for the leader and the secretary
    assert "Referat (PDF)" in leader_page


async def test_the_leader_gets_each_meetings_minutes_as_a_personal_link(tab_bot, history, visitor):
    client = await visitor(KARI.aad)
    status, html, _ = await client.get("/tab/moter?year=2026")
    assert status == 200
    assert "Referat (PDF)" in html and "/exports/moter/" in html and f"by={KARI.aad}" in html


async def test_the_tab_for_next_year_shows_the_seeded_meeting_without_agenda(tab_bot, history, visitor):
    client = await visitor(OLA.aad)
    status, html, _ = await client.get("/tab/moter?year=2027")
    assert status == 200 and "14. januar 2027" in html and "Sakslisten er ikke satt opp ennå." not in html


async def test_a_person_without_a_role_sees_no_meeting_plan(tab_bot, history, visitor):
    client = await visitor(EMMA.aad)
    status, html, _ = await client.get("/tab/moter")
    assert status == 403 and "PASK nettverksmøte" not in html
