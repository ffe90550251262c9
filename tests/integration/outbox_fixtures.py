"""Seeding outbox scenarios: conversations the bot knows and messages queued for them."""
from __future__ import annotations

from datetime import datetime, timezone

from council.conversations import ConversationKind, ConversationRef
from council.outbox import Operation
from council.services.outbox import queue
from tests.fakes.clock import ManualClock

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def channel(service_url: str, n: int = 0) -> ConversationRef:
    return ConversationRef(conversation_id=f"19:channel-{n}@thread.tacv2", kind=ConversationKind.CHANNEL,
                           service_url=service_url, tenant_id="tenant", bot_id="28:radsbot", team_id=f"team-{n}",
                           channel_id=f"19:channel-{n}@thread.tacv2")


async def seed(uow_factory, service_url: str, conversations: int, per_conversation: int,
               clock: ManualClock | None = None) -> list[str]:
    """Queue `per_conversation` messages in each of `conversations` channels; returns their texts."""
    clock = clock or ManualClock(T0)
    texts = []
    async with uow_factory() as uow:
        for c in range(conversations):
            ref = channel(service_url, c)
            await uow.conversations.save(ref, clock.now())
            for i in range(per_conversation):
                text = f"melding {c}-{i}"
                texts.append(text)
                await queue(uow, clock, key=f"test:{c}:{i}", operation=Operation.SEND, target=ref.conversation_id,
                            activity={"type": "message", "text": text})
        await uow.commit()
    return texts


async def enqueue(uow, clock, **message) -> bool:
    """One message queued in its own transaction, as a use case queues it with its change."""
    async with uow() as u:
        added = await queue(u, clock, **message)
        await u.commit()
        return added
