"""Resending an uncertain message through the real outbox: once, and with its card's latest state."""
from __future__ import annotations

from datetime import timedelta

import pytest

from council.errors import Conflict, NotAllowed
from council.members import Member, Role
from council.outbox import Operation, RecipientKind, Status
from council.services.undelivered import UndeliveredService
from tests.integration.outbox_fixtures import channel, enqueue

LEADER = Member(aad_object_id="aad-kari", name="Kari", roles=frozenset({Role.LEADER}))
MEMBER = Member(aad_object_id="aad-ola", name="Ola", roles=frozenset({Role.MEMBER}))


async def _crash_while_sending(uow, clock, outbox, key: str) -> int:
    async with uow() as u:
        [message] = await u.outbox.claim_due(clock.now(), "dead:1:x", clock.now() + timedelta(minutes=2), 10)
        assert message.delivery_key == key and await u.outbox.mark_sending(message.id, "dead:1:x")
        await u.commit()
    clock.advance(minutes=3)
    assert (await outbox.recover())[1] == 1
    return message.id


async def test_a_resent_card_goes_out_once_and_then_shows_its_latest_update(uow, outbox, connector, clock):
    ref = channel(connector.url)
    async with uow() as u:
        await u.conversations.save(ref, clock.now())
        await u.commit()
    await enqueue(uow, clock, key="card:1", operation=Operation.SEND, target=ref.conversation_id,
                         activity={"type": "message", "summary": "Stemmer: 0"})
    message_id = await _crash_while_sending(uow, clock, outbox, "card:1")
    for n in (1, 2):  # the card changes while its first send is uncertain: the updates cannot go
        await enqueue(uow, clock, key=f"card:1:v{n}", operation=Operation.UPDATE, target=ref.conversation_id,
                             activity={"type": "message", "summary": f"Stemmer: {n}"}, update_of="card:1")
    await outbox.deliver_due()
    assert not connector.requests
    service = UndeliveredService(uow, clock)
    [item], total = await service.list(LEADER)
    assert (total, item.id, item.summary, item.recipient) == (1, message_id, "Stemmer: 0", RecipientKind.CHANNEL)

    with pytest.raises(NotAllowed):
        await service.resend(MEMBER, message_id)
    await service.resend(LEADER, message_id)
    with pytest.raises(Conflict):
        await service.resend(LEADER, message_id)
    for _ in range(3):
        await outbox.deliver_due()
        clock.advance(seconds=3)  # the update waits (2 s) for the resent original

    assert [a.get("summary") for a in connector.sent(ref.conversation_id)] == ["Stemmer: 0"]
    [update] = [r for r in connector.requests if r.kind == "update"]
    assert update.body["summary"] == "Stemmer: 2"
    async with uow() as u:
        assert (await u.outbox.get_by_key("card:1")).status is Status.DELIVERED
        assert (await u.outbox.get_by_key("card:1:v2")).status is Status.DELIVERED
        assert (await u.outbox.get_by_key("card:1:v1")).status is Status.SUPERSEDED  # older state: never sent
    assert await service.count() == 0
