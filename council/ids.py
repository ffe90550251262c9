"""Ids of stored entities: an entity has `id: int | None` until storage gives it one; code that works on
entities read back from storage states that it has one."""
from __future__ import annotations


def stored_id(entity_id: int | None) -> int:
    """The id of an entity that came from storage; None here is a programming error, not bad input."""
    if entity_id is None:
        raise ValueError("an entity read from storage has no id")
    return entity_id
