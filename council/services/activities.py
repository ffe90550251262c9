"""Teams may deliver the same activity twice; remember what was handled so it runs once."""
from __future__ import annotations

from council.clock import Clock
from council.services.ports import UnitOfWorkFactory


class ActivityLog:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def first_time(self, key: str) -> bool:
        """True the first time a key is seen; a redelivery gets False and is ignored."""
        async with self._uow() as uow:
            fresh = await uow.activities.remember(key, self._clock.now())
            await uow.commit()
            return fresh
