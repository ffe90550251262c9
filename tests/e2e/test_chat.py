"""The terminal chat (./chat) walks a case from submission to the agenda, printing what a Teams user would see."""
from __future__ import annotations

import pytest

from tools.chat import Chat


@pytest.fixture
async def chat(tmp_path):
    printed: list[str] = []
    session = Chat(printed.append, data=tmp_path)
    session.printed = printed
    await session.start()
    yield session
    await session.stop()


async def said(chat: Chat, line: str) -> str:
    """Type one line; what the chat printed in answer."""
    start = len(chat.printed)
    assert await chat.handle(line)
    return "\n".join(chat.printed[start:])


async def test_a_case_goes_from_the_submitters_form_to_the_leaders_agenda_in_the_terminal(chat):
    assert "The council: Kari (leder), Sigrid (sekretær)" in chat.printed[0]

    shown = await said(chat, "hjelp")
    assert "── Kontorfaglig råd → Emma Innmelder (personal chat)" in shown
    assert "# Dette kan du gjøre" in shown and "[1] Meld inn sak   [2] Mine saker" in shown

    form = await said(chat, "/press «Meld inn sak»")
    assert "# Meld inn sak til Kontorfaglig råd" in form and "▸ Tittel *: «»" in form
    assert "[1] Send inn" in form

    assert await said(chat, "/press Send inn") == "«Tittel»: Skriv en tittel.\n«Beskrivelse»: Beskriv saken.\n" \
        "«Klinikk/enhet»: Velg klinikk eller enhet.\n«Ønsket sakstype»: Velg ønsket sakstype."
    assert await said(chat, "/fill Tittel=Felles rutine for fristbrudd") == \
        "  ▸ Tittel *: «Felles rutine for fristbrudd»"
    await said(chat, "/fill Beskrivelse=Klinikkene registrerer fristbrudd ulikt.")
    await said(chat, "/fill Klinikk/enhet=Medisinsk klinikk")
    assert "«Beslutningssak»" in await said(chat, "/fill sakstype=beslutningssak")

    sent = await said(chat, "/press Send inn")
    assert "# Takk! Saken er meldt inn" in sent and "Referanse: Innmelding 001/26" in sent
    assert "── Kontorfaglig råd → #Generelt\n  # Innmelding 001/26 – Felles rutine for fristbrudd" in sent
    assert "[1] Sett på saksliste ▸" in sent

    switched = await said(chat, "/as kari")
    assert "You are now Kari Nordmann (leder)" in switched
    assert "The last card, in #Generelt, is «Innmelding 001/26 – Felles rutine for fristbrudd»" in switched

    opened = await said(chat, "/press «Sett på saksliste»")
    assert "▾ Sett på saksliste" in opened and "▸ Sakstype: «Beslutningssak»" in opened
    assert "[6] Lagre" in opened

    saved = await said(chat, "/press Lagre")
    assert "── ↻ the card is replaced in #Generelt" in saved and "Lagret: Satt på saksliste." in saved
    assert "── Kontorfaglig råd → Emma Innmelder (personal chat)\n  # Innmelding 001/26" in saved
    assert "Saken din er satt på sakslisten for første ledige møte som beslutningssak." in saved


async def test_a_card_in_someone_elses_personal_chat_cannot_be_pressed(chat):
    await said(chat, "hjelp")
    await said(chat, "/as ola")
    assert await said(chat, "/press Meld inn sak") == \
        "The last card is in Emma Innmelder's personal chat: Ola Hansen cannot see it."


async def test_in_the_channel_the_bot_is_mentioned_and_answers_in_the_thread(chat):
    await said(chat, "/as kari")
    assert "You now write in the channel «Generelt»" in await said(chat, "/channel")
    shown = await said(chat, "hjelp")
    assert "── Kontorfaglig råd → #Generelt" in shown and "Din rolle i rådet: Leder" in shown


async def test_unknown_commands_and_people_are_named_and_quit_ends_the_session(chat):
    assert await said(chat, "/dance") == "Unknown command /dance. /help lists the commands."
    assert "No one called «Ole» here" in await said(chat, "/as Ole")
    assert "/press <button>" in await said(chat, "/help")
    assert await chat.handle("/quit") is False


async def test_the_demo_council_starts_with_the_playgrounds_people_in_their_roles(chat):
    await said(chat, "/as kari")
    roles = await said(chat, "roller")
    for line in ("Kari Nordmann: Leder", "Sigrid Sekretær: Sekretær", "Ola Hansen: Medlem (Klinikk for kirurgi)",
                 "Lise Vara: Vara (vara for Ola Hansen)", "Nils Nettverk: Ledernettverket",
                 "Emma Innmelder: Ingen rolle i rådet"):
        assert line in roles
