"""Walking Adaptive Card JSON in tests: every element, the inputs, the actions."""
from __future__ import annotations

from collections.abc import Iterator


def elements(node: object) -> Iterator[dict]:
    """Every dict in a card, depth first (body, containers, actions, choices)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for value in node:
            yield from elements(value)


def of_type(payload: object, prefix: str) -> list[dict]:
    return [e for e in elements(payload) if str(e.get("type", "")).startswith(prefix)]


def inputs(payload: object) -> list[dict]:
    return of_type(payload, "Input.")


def actions(payload: object) -> list[dict]:
    return of_type(payload, "Action.")
