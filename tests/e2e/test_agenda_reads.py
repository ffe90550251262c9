"""Showing the agenda is a read: it stores nothing, and what it shows is what the writes stored."""
from __future__ import annotations

from sqlalchemy import text

from storage.tables import metadata
from tests.e2e.teams import EMMA, KARI, SIGRID, card_of, execute, install_in_team, texts_in
from tests.e2e.test_cases import FORM

TABLES = [name for name in metadata.tables if name != "processed_activities"]  # claims are turn bookkeeping


async def _rows(bot) -> dict[str, list]:
    async with bot.container.uow() as uow:
        return {name: sorted(map(repr, (await uow.session.execute(text(f'SELECT * FROM "{name}"'))).all()))
                for name in TABLES}


async def _accepted_case(bot) -> int:
    await bot.post(install_in_team(bot.service_url))
    await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": SIGRID.aad, "roles": "secretary"}))
    for day in ("2027-01-12", "2027-02-09"):
        await bot.post(execute(bot.service_url, KARI, "meeting.add", {"date": day, "start": "09:00",
                                                                     "end": "11:00", "place": "Teams"}))
    await bot.post(execute(bot.service_url, EMMA, "case.submit", {**FORM, "submission_key": "k-1"}))
    async with bot.container.uow() as uow:
        [case] = await uow.cases.by_submitter(EMMA.aad)
    await bot.post(execute(bot.service_url, SIGRID, "case.triage", {
        "case_id": str(case.id), "version": str(case.version), "decision": "accept", "meeting_id": "",
        "final_type": "beslutning"}))
    return (await bot.container.meetings.upcoming())[0].id


async def test_showing_the_agenda_changes_no_row(bot):
    meeting_id = await _accepted_case(bot)
    before = await _rows(bot)
    for user in (KARI, SIGRID, KARI):
        _, body = await bot.post(execute(bot.service_url, user, "agenda.show", {"meeting_id": str(meeting_id)}))
        assert FORM["title"] in texts_in(card_of(body))
    await bot.container.agenda.view(meeting_id)
    await bot.container.minutes.view(meeting_id)
    assert await _rows(bot) == before


async def test_an_accepted_case_is_stored_on_the_agenda_when_it_is_accepted(bot):
    meeting_id = await _accepted_case(bot)
    async with bot.container.uow() as uow:
        items = await uow.agenda.items(meeting_id)
    assert FORM["title"] in [i.title for i in items]
    assert [i.position for i in sorted(items, key=lambda i: i.position)] == list(range(len(items)))


async def test_the_cases_of_a_cancelled_meeting_are_stored_on_the_next_one(bot):
    meeting_id = await _accepted_case(bot)
    await bot.post(execute(bot.service_url, KARI, "meeting.cancel", {"meeting_id": str(meeting_id)}))
    [following] = [m for m in await bot.container.meetings.upcoming() if m.id != meeting_id]
    async with bot.container.uow() as uow:
        assert FORM["title"] in [i.title for i in await uow.agenda.items(following.id)]
