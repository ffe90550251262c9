"""Card verbs -> handlers; each handler returns the card that replaces the one pressed."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from botbuilder.core import TurnContext

from council.members import Member


@dataclass
class ActionContext:
    turn: TurnContext
    actor: Member
    data: dict
    locale: str | None


Handler = Callable[[ActionContext], Awaitable[dict]]


class ActionRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def register(self, verb: str, handler: Handler) -> None:
        if verb in self._handlers:
            raise ValueError(f"verb {verb} registered twice")
        self._handlers[verb] = handler

    def get(self, verb: str) -> Handler | None:
        return self._handlers.get(verb)
