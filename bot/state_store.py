"""botbuilder Storage over our database: dialogs survive restarts; e-tags stop lost updates."""
from __future__ import annotations

from collections.abc import Callable

import jsonpickle
from botbuilder.core import Storage

from council.clock import Clock


class DatabaseStorage(Storage):
    """Keeps conversation and user state as versioned rows (the version is the e-tag)."""

    def __init__(self, uow: Callable, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def read(self, keys: list[str]) -> dict:
        if not keys:
            return {}
        async with self._uow() as uow:
            rows = await uow.state.read(list(keys))
        items = {}
        for key, (data, version) in rows.items():
            item = jsonpickle.decode(data)
            if isinstance(item, dict):
                item["e_tag"] = str(version)
            items[key] = item
        return items

    async def write(self, changes: dict) -> None:
        if not changes:
            return
        async with self._uow() as uow:
            versions = {}
            for key, item in changes.items():
                e_tag = item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)
                expected = None if e_tag in (None, "", "*") else int(e_tag)
                body = {k: v for k, v in item.items() if k != "e_tag"} if isinstance(item, dict) else item
                data = jsonpickle.encode(body, make_refs=False)
                versions[key] = await uow.state.write(key, data, expected, self._clock.now())
            await uow.commit()
        for key, version in versions.items():  # later saves in the same turn carry the new e-tag
            if isinstance(changes[key], dict):
                changes[key]["e_tag"] = str(version)

    async def delete(self, keys: list[str]) -> None:
        async with self._uow() as uow:
            await uow.state.delete(list(keys))
            await uow.commit()
