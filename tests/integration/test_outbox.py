"""The outbox delivers through the real Notifier to the fake connector: retries, failures, ordering."""
from __future__ import annotations

from datetime import timedelta

from bot.adapter import build_adapter
from bot.notifier import TeamsNotifier
from council.members import Member
from council.outbox import Operation, Status
from council.services.outbox import OutboxService
from council.settings import Limits, Settings
from tests.integration.outbox_fixtures import T0, channel, enqueue, seed


async def _message(uow, key):
    async with uow() as u:
        return await u.outbox.get_by_key(key)


async def test_queued_messages_are_delivered_once_in_order(uow, outbox, connector, clock):
    texts = await seed(uow, connector.url, conversations=2, per_conversation=3, clock=clock)
    report = await outbox.deliver_due()
    assert report.delivered == 6
    assert sorted(a["text"] for a in connector.sent()) == sorted(texts)
    assert [a["text"] for a in connector.sent(channel(connector.url, 0).conversation_id)] == [
        "melding 0-0", "melding 0-1", "melding 0-2"]
    assert (await outbox.deliver_due()).delivered == 0
    delivered = await _message(uow, "test:0:0")
    assert delivered.status is Status.DELIVERED and delivered.activity_id.startswith("bot-act-")


async def test_the_same_delivery_key_is_queued_only_once(uow, outbox, connector, clock):
    await seed(uow, connector.url, 1, 1)
    added = await enqueue(uow, clock, key="test:0:0", operation=Operation.SEND,
                                 target=channel(connector.url).conversation_id, activity={"type": "message"})
    assert added is False
    await outbox.deliver_due()
    assert len(connector.sent()) == 1


async def test_retry_after_is_honoured_on_429(uow, outbox, connector, clock):
    await seed(uow, connector.url, 1, 1, clock)
    connector.fail_next(1, 429, retry_after=3)
    report = await outbox.deliver_due()
    assert report.retried == 1 and not connector.sent()
    message = await _message(uow, "test:0:0")
    assert message.status is Status.PENDING and message.next_attempt_at == T0 + timedelta(seconds=3)
    assert (await outbox.deliver_due()).delivered == 0  # not due yet
    clock.advance(seconds=3)
    assert (await outbox.deliver_due()).delivered == 1
    assert len(connector.sent()) == 1


async def test_a_503_is_retried_with_backoff(uow, outbox, connector, clock):
    await seed(uow, connector.url, 1, 1, clock)
    connector.fail_next(1, 503)
    await outbox.deliver_due()
    message = await _message(uow, "test:0:0")
    assert message.status is Status.PENDING and message.last_error == "http_503"
    assert timedelta(seconds=2) <= message.next_attempt_at - T0 <= timedelta(seconds=3)
    clock.advance(seconds=3)
    await outbox.deliver_due()
    assert (await _message(uow, "test:0:0")).status is Status.DELIVERED


async def test_a_blocked_conversation_is_recorded_and_not_retried(uow, outbox, connector, clock):
    await seed(uow, connector.url, 1, 1, clock)
    connector.fail_next(1, 403)
    report = await outbox.deliver_due()
    assert report.failed == 1
    message = await _message(uow, "test:0:0")
    assert message.status is Status.FAILED and message.last_error == "ConversationBlockedByUser"
    clock.advance(hours=1)
    assert (await outbox.deliver_due()).delivered == 0
    assert not connector.sent()


async def test_attempts_are_bounded(uow, connector, clock):
    outbox = OutboxService(uow, clock, Limits(per_app_per_second=500, max_attempts=2), owner="test")
    outbox.notifier = TeamsNotifier(build_adapter(Settings()), "")
    await seed(uow, connector.url, 1, 1, clock)
    connector.fail_next(5, 502)
    await outbox.deliver_due()
    clock.advance(minutes=5)
    report = await outbox.deliver_due()
    assert report.failed == 1
    message = await _message(uow, "test:0:0")
    assert message.status is Status.FAILED and message.attempts == 2 and "502" in message.last_error


async def test_a_personal_message_opens_the_chat_once_and_reuses_it(uow, outbox, connector, clock):
    await seed(uow, connector.url, 1, 0, clock)
    async with uow() as u:
        await u.members.save(Member("aad-ola", "Ola Hansen", teams_user_id="29:ola", tenant_id="tenant"))
        await u.commit()
    for n in range(2):
        await enqueue(uow, clock, key=f"dm:{n}", operation=Operation.SEND_PERSONAL, target="aad-ola",
                             activity={"type": "message", "text": f"hei {n}"})
        await outbox.deliver_due()
    creates = [r for r in connector.requests if r.kind == "create"]
    assert len(creates) == 1 and creates[0].body["members"][0]["id"] == "29:ola"
    assert [a["text"] for a in connector.sent("a:1:1-29:ola")] == ["hei 0", "hei 1"]


async def test_a_personal_message_to_an_unknown_user_fails_without_retrying(uow, outbox, connector, clock):
    await seed(uow, connector.url, 1, 0)
    await enqueue(uow, clock, key="dm:x", operation=Operation.SEND_PERSONAL, target="aad-nobody",
                         activity={"type": "message", "text": "hei"})
    report = await outbox.deliver_due()
    assert report.failed == 1 and (await _message(uow, "dm:x")).last_error == "unknown_user"


async def test_a_card_update_waits_for_the_card_and_replaces_it(uow, outbox, connector, clock):
    ref = channel(connector.url)
    async with uow() as u:
        await u.conversations.save(ref, clock.now())
        await u.commit()
    await enqueue(uow, clock, key="card", operation=Operation.SEND, target=ref.conversation_id,
                         activity={"type": "message", "text": "v1"}, due=T0 + timedelta(minutes=1))
    await enqueue(uow, clock, key="card:v2", operation=Operation.UPDATE, target=ref.conversation_id,
                         activity={"type": "message", "text": "v2"}, update_of="card")
    report = await outbox.deliver_due()
    assert report.deferred == 1 and not connector.updates()
    clock.advance(minutes=1)
    await outbox.deliver_due()
    [sent] = connector.sent()
    assert sent["text"] == "v1"
    clock.advance(seconds=2)
    await outbox.deliver_due()
    [update] = [r for r in connector.requests if r.kind == "update"]
    assert update.body["text"] == "v2" and update.activity_id == (await _message(uow, "card")).activity_id


async def test_after_a_crash_unsent_claims_are_delivered_and_in_flight_sends_are_not_repeated(
        uow, outbox, connector, clock):
    await seed(uow, connector.url, 1, 2, clock)
    async with uow() as u:  # a dead process claimed both and had put the first on the wire
        [first, second] = await u.outbox.claim_due(clock.now(), "dead", clock.now() + timedelta(minutes=2), 10)
        assert await u.outbox.mark_sending(first.id, "dead")
        await u.commit()
    assert (await outbox.deliver_due()).delivered == 0  # leases still held by the dead process
    clock.advance(minutes=3)
    report = await outbox.deliver_due()
    assert report.delivered == 1
    assert [a["text"] for a in connector.sent()] == ["melding 0-1"]
    assert (await _message(uow, "test:0:0")).status is Status.UNCERTAIN
    assert await outbox.counts() == {"delivered": 1, "uncertain": 1}


async def test_a_card_update_overtaken_by_a_newer_one_is_not_sent(uow, outbox, connector, clock):
    ref = channel(connector.url)
    async with uow() as u:
        await u.conversations.save(ref, clock.now())
        await u.commit()
    await enqueue(uow, clock, key="card", operation=Operation.SEND, target=ref.conversation_id,
                         activity={"type": "message", "text": "v1"})
    await outbox.deliver_due()
    for version in (2, 3, 4):
        await enqueue(uow, clock, key=f"card:v{version}", operation=Operation.UPDATE, target=ref.conversation_id,
                             activity={"type": "message", "text": f"v{version}"}, update_of="card")
    await outbox.deliver_due()
    assert [r.body["text"] for r in connector.requests if r.kind == "update"] == ["v4"]
    assert (await _message(uow, "card:v2")).status is Status.SUPERSEDED
    assert (await _message(uow, "card:v4")).status is Status.DELIVERED


async def test_a_restarted_sender_takes_over_a_dead_predecessors_claims_at_once(uow, connector, clock):
    await seed(uow, connector.url, 1, 2, clock)
    async with uow() as u:  # a process on this host claimed both, put the first on the wire, then died
        [first, _] = await u.outbox.claim_due(clock.now(), "host:999999:dead", clock.now() + timedelta(minutes=2),
                                              10)
        assert await u.outbox.mark_sending(first.id, "host:999999:dead")
        await u.commit()
    outbox = OutboxService(uow, clock, Limits(per_app_per_second=500), owner="host:1:new",
                           owner_alive=lambda owner: owner != "host:999999:dead")
    outbox.notifier = TeamsNotifier(build_adapter(Settings()), "")
    report = await outbox.deliver_due()  # no waiting for the two-minute lease
    assert report.delivered == 1 and [a["text"] for a in connector.sent()] == ["melding 0-1"]
    assert (await _message(uow, "test:0:0")).status is Status.UNCERTAIN
