"""Messages in flight when a process died: /healthz warns, the digest lists them, a leader resends or dismisses."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from council.outbox import Operation, Status
from tests.e2e.teams import (
    KARI,
    OLA,
    card_of,
    execute,
    install_in_team,
    message,
    nodes,
    personal_conversation,
    sent_card,
    texts_in,
)
from tests.integration.outbox_fixtures import enqueue

DEAD_SENDER = "another-host:4242:dead01"  # a process on another host whose lease must run out


async def _in_flight_at_crash(bot, key: str, summary: str) -> int:
    """Queue a 1:1 to Ola, let a sender claim it and put it on the wire, then let that sender die."""
    await enqueue(bot.container.uow, bot.clock, key=key, operation=Operation.SEND_PERSONAL, target=OLA.aad,
                                       activity={"type": "message", "summary": summary, "text": summary})
    now = bot.clock.now()
    async with bot.container.uow() as uow:
        [claimed] = await uow.outbox.claim_due(now, DEAD_SENDER, now + timedelta(minutes=2), 10)
        assert await uow.outbox.mark_sending(claimed.id, DEAD_SENDER)
        await uow.commit()
    bot.clock.advance(minutes=3)
    _, uncertain = await bot.container.outbox.recover()
    assert uncertain == 1
    return claimed.id


async def _status(bot, key: str) -> Status:
    async with bot.container.uow() as uow:
        return (await uow.outbox.get_by_key(key)).status


def _to_ola(bot, text: str) -> list[dict]:
    return [a for a in bot.connector.sent(personal_conversation(OLA)["id"]) if a.get("text") == text]


async def test_an_uncertain_message_is_a_healthz_warning_until_a_leader_resends_it_once(bot):
    await bot.post(install_in_team(bot.service_url))
    await bot.deliver()
    _, health = await bot.get("/healthz")
    assert health["warnings"] == []
    message_id = await _in_flight_at_crash(bot, "test:crash:1", "Sak 01/26 har ventet i 30 dager.")

    status, health = await bot.get("/healthz")
    assert status == 200 and health["status"] == "ok"
    [warning] = health["warnings"]
    assert warning["code"] == "outbox_uncertain" and warning["count"] == 1
    assert "Sak 01/26" not in warning["message"]  # what a message says never leaves the cards

    await bot.post(message(bot.service_url, KARI, "usendte meldinger"))
    [listing] = bot.connector.sent(personal_conversation(KARI)["id"])[-1:]
    shown = texts_in(sent_card(listing))
    assert "Usendte meldinger" in shown and "Ola Hansen" in shown and "Sak 01/26 har ventet i 30 dager." in shown

    _, body = await bot.post(execute(bot.service_url, KARI, "outbox.resend", {"message_id": str(message_id)}))
    confirmation = card_of(body)
    assert "kan allerede ha fått denne meldingen" in texts_in(confirmation)
    assert [a["title"] for a in confirmation["actions"]] == ["Send likevel", "Tilbake"]
    assert await _status(bot, "test:crash:1") is Status.UNCERTAIN  # asking resends nothing

    _, body = await bot.post(execute(bot.service_url, KARI, "outbox.resend",
                                     {"message_id": str(message_id), "confirmed": "true"}))
    assert "sendes på nytt" in texts_in(card_of(body))
    _, body = await bot.post(execute(bot.service_url, KARI, "outbox.resend",
                                     {"message_id": str(message_id), "confirmed": "true"}))  # pressed twice
    assert "allerede sendt på nytt" in texts_in(card_of(body))
    await bot.deliver()

    assert len(_to_ola(bot, "Sak 01/26 har ventet i 30 dager.")) == 1
    assert await _status(bot, "test:crash:1") is Status.DELIVERED
    _, health = await bot.get("/healthz")
    assert health["warnings"] == []
    async with bot.container.uow() as uow:
        [entry] = await uow.audit.for_entity("outbox", str(message_id))
    assert (entry.actor, entry.action, entry.after) == (KARI.aad, "resend", {"status": "pending"})


async def test_only_a_leader_may_see_resend_or_dismiss_undelivered_messages(bot):
    await bot.post(install_in_team(bot.service_url))
    await bot.deliver()
    message_id = await _in_flight_at_crash(bot, "test:crash:2", "Innkalling til møtet 12. januar")

    await bot.post(message(bot.service_url, OLA, "usendte meldinger"))
    [refusal] = bot.connector.sent(personal_conversation(OLA)["id"])[-1:]
    assert refusal["text"] == "Bare lederen av rådet kan gjøre dette."
    for verb, data in (("outbox.undelivered", {}), ("outbox.resend", {"message_id": str(message_id)}),
                       ("outbox.resend", {"message_id": str(message_id), "confirmed": "true"}),
                       ("outbox.dismiss", {"message_id": str(message_id)})):
        _, body = await bot.post(execute(bot.service_url, OLA, verb, data))
        assert "Bare lederen av rådet" in texts_in(card_of(body)), verb
    assert await _status(bot, "test:crash:2") is Status.UNCERTAIN
    async with bot.container.uow() as uow:
        assert await uow.audit.for_entity("outbox", str(message_id)) == []

    _, body = await bot.post(execute(bot.service_url, KARI, "outbox.resend", {"message_id": "abc"}))
    assert "Noe i skjemaet må rettes." in texts_in(card_of(body))  # a forged id is refused politely, never a 500
    assert await _status(bot, "test:crash:2") is Status.UNCERTAIN


async def test_a_leader_marks_an_undelivered_message_as_handled_and_it_is_never_sent(bot):
    await bot.post(install_in_team(bot.service_url))
    await bot.deliver()
    message_id = await _in_flight_at_crash(bot, "test:crash:3", "Referatet venter på godkjenning.")

    _, body = await bot.post(execute(bot.service_url, KARI, "outbox.dismiss", {"message_id": str(message_id)}))
    shown = texts_in(card_of(body))
    assert "markert som håndtert" in shown and "Ingen meldinger venter" in shown
    await bot.deliver()
    assert _to_ola(bot, "Referatet venter på godkjenning.") == []
    assert await _status(bot, "test:crash:3") is Status.DISMISSED
    _, health = await bot.get("/healthz")
    assert health["warnings"] == [] and health["outbox"]["dismissed"] == 1
    _, body = await bot.post(execute(bot.service_url, KARI, "outbox.resend",
                                     {"message_id": str(message_id), "confirmed": "true"}))
    assert "allerede sendt på nytt eller markert som håndtert" in texts_in(card_of(body))


async def test_the_weekly_digest_lists_undelivered_messages_and_opens_the_card(bot):
    await bot.post(install_in_team(bot.service_url))
    await bot.deliver()
    message_id = await _in_flight_at_crash(bot, "test:crash:4", "Fristen for å melde inn saker er 1. desember.")

    bot.clock.set(datetime(2026, 11, 30, 7, 30, tzinfo=timezone.utc))  # Monday 08:30 in Oslo: digest time
    await bot.container.reminders.sweep()
    await bot.deliver()
    [digest] = [a for a in bot.connector.sent(personal_conversation(KARI)["id"])
                if "Ukeoversikt" in a.get("summary", "")]
    card = sent_card(digest)
    shown = texts_in(card)
    assert "Meldinger som kanskje ikke kom fram: 1" in shown
    assert "til Ola Hansen: «Fristen for å melde inn saker er 1. desember.»" in shown
    [button] = card["actions"]
    assert button["verb"] == "outbox.undelivered"

    _, body = await bot.post(execute(bot.service_url, KARI, button["verb"], button["data"]))
    verbs = [(node["verb"], node["data"]) for node in nodes(card_of(body)) if node.get("type") == "Action.Execute"]
    assert verbs == [("outbox.resend", {"message_id": str(message_id)}),
                     ("outbox.dismiss", {"message_id": str(message_id)}),
                     ("help.show", {})]  # «Tilbake til start»: the card is also on the home card
