"""The case register: filters, and the CSV download (UTF-8 with BOM, semicolons, signed expiring link)."""
from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

from tests.e2e.teams import EMMA, KARI, card_of, execute, install_in_team, message, personal_conversation, texts_in

FORM = {"description": "Beskrivelse med æøå", "unit": "Medisinsk klinikk", "case_type": "orientering",
        "meeting": "first", "links": "", "urgent": "false", "urgent_reason": ""}


async def _two_cases(bot) -> None:
    await bot.post(install_in_team(bot.service_url))
    for key, title, unit in (("a", "Fristbrudd på øyeavdelingen", "Medisinsk klinikk"),
                             ("b", "Opplæring", "Klinikk for kirurgi")):
        await bot.post(execute(bot.service_url, EMMA, "case.submit", {**FORM, "title": title, "unit": unit,
                                                                       "submission_key": key}))


async def _download(bot, url: str) -> tuple[int, bytes, str]:
    parts = urlsplit(url)
    async with bot._session.get(f"{bot.url}{parts.path}?{parts.query}") as response:
        return response.status, await response.read(), response.headers.get("Content-Type", "")


def _link(card: dict) -> str:
    return next(a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl")


async def test_the_register_filters_by_unit_and_exports_csv_that_excel_reads(bot):
    await _two_cases(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "case.register", {"unit": "Klinikk for kirurgi"}))
    card = card_of(body)
    assert "1 sak\n" in texts_in(card) + "\n" and "1 saker" not in texts_in(card)
    assert "Opplæring" in texts_in(card) and "Fristbrudd" not in texts_in(card)

    _, body = await bot.post(execute(bot.service_url, KARI, "case.register", {"year": "2026"}))
    status, data, content_type = await _download(bot, _link(card_of(body)))
    assert status == 200 and content_type.startswith("text/csv")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Referanse", "Tittel", "Beskrivelse"]
    assert {r[0] for r in rows[1:]} == {"Innmelding 001/26", "Innmelding 002/26"}
    assert "Fristbrudd på øyeavdelingen" in {r[1] for r in rows[1:]}
    assert rows[0][-3:] == ["Emner", "Emner bekreftet", "Avviksnummer"]
    fristbrudd = next(r for r in rows[1:] if r[1] == "Fristbrudd på øyeavdelingen")
    assert fristbrudd[-3:-1] == ["Fristbrudd", "Nei"]  # suggested from the title, not confirmed yet


async def test_a_forged_or_expired_link_is_refused(bot):
    await _two_cases(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "case.register", {}))
    url = _link(card_of(body))
    status, data, _ = await _download(bot, url.replace("by=aad-kari", "by=aad-emma"))
    assert status == 403 and "utløpt eller ugyldig" in data.decode()
    bot.clock.advance(minutes=16)
    status, _, _ = await _download(bot, url)
    assert status == 403


async def test_the_register_is_for_the_leader_and_the_secretary(bot):
    await _two_cases(bot)
    await bot.post(message(bot.service_url, EMMA, "saksregister"))
    assert bot.connector.sent(personal_conversation(EMMA)["id"])[-1]["text"] == \
        "Bare leder og sekretær kan gjøre dette."
