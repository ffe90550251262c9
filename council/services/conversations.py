"""Remember where the bot was installed so it can post on its own later."""
from __future__ import annotations

from council.clock import Clock
from council.conversations import ConversationRef
from council.services.ports import UnitOfWorkFactory


class ConversationService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def remember(self, ref: ConversationRef) -> bool:
        """Store or refresh a reference; True when it was new (first contact: greet)."""
        async with self._uow() as uow:
            known = await uow.conversations.get(ref.conversation_id)
            if known == ref:
                return False
            created = await uow.conversations.save(ref, self._clock.now())
            await uow.commit()
            return created

    async def council_channel(self) -> ConversationRef | None:
        async with self._uow() as uow:
            return await uow.conversations.council_channel()
