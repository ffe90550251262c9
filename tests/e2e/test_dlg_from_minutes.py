"""Over HTTP: a sak decided in the meeting is fremmet for DLG from the minutes card, the referat says so, and
DLG's outcome comes back under «Tilbakemeldinger fra DLG» on the next meeting's agenda."""
from __future__ import annotations

from datetime import datetime

from tests.e2e.teams import KARI, SIGRID
from tests.e2e.test_records import OSLO, download, january_with_a_case, link, minutes_card, pdf_text


async def test_a_decision_fremmet_for_dlg_is_in_the_referat_and_dlgs_outcome_returns_to_the_next_agenda(bot):
    january, february, case_id = await january_with_a_case(bot)
    await bot.press(KARI, "notice.publish", {"meeting_id": str(january)})
    bot.clock.set(datetime(2027, 1, 19, 13, 0, tzinfo=OSLO))
    item = next(i for i in (await bot.container.agenda.view(january)).items if i.case_id == case_id)

    await bot.press(SIGRID, "minutes.record", {"item_id": str(item.id), f"outcome_{item.id}": "vedtatt",
                                               f"text_{item.id}": "Rådet vedtar felles mal.",
                                               f"dlg_{item.id}": "true"})

    text = " ".join(pdf_text(await download(bot, link(await minutes_card(bot, january), "minutes.pdf"))).split())
    assert "Rådet vedtar felles mal. Saken fremmes for DLG via fag- og forskningsdirektøren." in text
    case, _ = await bot.container.cases.view(await bot.member(KARI), case_id)
    assert (case.status.value, case.escalation.on.isoformat()) == ("loftet_til_dlg", "2027-01-19")

    await bot.press(KARI, "case.dlg_outcome", {"case_id": str(case_id), "outcome": "DLG innfører malen."})

    feedback = [i for i in (await bot.container.agenda.view(february)).items if i.title == "Tilbakemeldinger fra DLG"]
    assert [i.kind.value for i in feedback] == ["standing"]
    async with bot.container.uow() as uow:
        paper = (await uow.papers.for_items([feedback[0].id]))[feedback[0].id]
    assert "Felles mal for fristbrudd" in paper.background and "DLG innfører malen." in paper.background
