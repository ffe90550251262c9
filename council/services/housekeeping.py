"""Daily clean-up: working data that has served its purpose is deleted (the bot is not the archive)."""
from __future__ import annotations

from datetime import timedelta

from council.clock import Clock
from council.services.ports import UnitOfWorkFactory

ACTIVITY_KEYS_KEPT = timedelta(days=7)
DELIVERED_MESSAGES_KEPT = timedelta(days=90)


class HousekeepingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def prune(self) -> dict[str, int]:
        """Drop redelivery keys after a week and delivered outbox rows after 90 days."""
        now = self._clock.now()
        async with self._uow() as uow:
            keys = await uow.activities.prune(now - ACTIVITY_KEYS_KEPT)
            messages = await uow.outbox.prune_delivered(now - DELIVERED_MESSAGES_KEPT)
            await uow.commit()
        return {"activity_keys": keys, "delivered_messages": messages}
