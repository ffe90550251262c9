"""Card verbs -> handlers; each handler returns the card that replaces the one pressed.

A handler reads its button's typed payload (`ctx.payload`, parsed with cards/actions.py before it runs) and the
card's inputs (`ctx.data`, read with bot/inputs.py). `rerender` is the one way to show a card again after a
change: with the done message, or with the rule the change broke.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext

from cards.actions import PAYLOADS, NoData
from cards.texts import t
from council.errors import DomainError, NotAllowed
from council.members import Member


@dataclass
class ActionContext:
    turn: TurnContext
    actor: Member
    data: dict
    locale: str | None
    payload: Any = field(default_factory=NoData)


Handler = Callable[[ActionContext], Awaitable[dict]]


class ActionRegistry:
    """Exactly one handler per verb of cards/actions.py: a second one, or a verb no card sends, is a bug."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def register(self, verb: str, handler: Handler) -> None:
        if verb not in PAYLOADS:
            raise ValueError(f"verb {verb} is not defined in cards/actions.py")
        if verb in self._handlers:
            raise ValueError(f"verb {verb} registered twice")
        self._handlers[verb] = handler

    def get(self, verb: str) -> Handler | None:
        return self._handlers.get(verb)

    def verbs(self) -> set[str]:
        return set(self._handlers)

    async def dispatch(self, verb: str, ctx: ActionContext) -> dict | None:
        """The handler's card, or None for an unknown verb; a stale or forged payload raises InvalidInput."""
        handler = self._handlers.get(verb)
        if handler is None:
            return None
        ctx.payload = PAYLOADS[verb].parse(ctx.data)
        return await handler(ctx)


Show = Callable[..., Awaitable[dict]]


async def rerender(ctx: ActionContext, change: Callable[[], Awaitable[Any]], show: Show, done_key: str,
                   **done_params: object) -> dict:
    """Run `change`, then `show(outcome, message=...)` the card again. A broken rule is shown on the same card
    (`show(None, error=...)`) so nothing typed is lost; a refusal (NotAllowed) is not the card's business and
    becomes the error card."""
    try:
        outcome = await change()
    except NotAllowed:
        raise
    except DomainError as error:
        return await show(None, error=t(error.key, ctx.locale, **error.params))
    return await show(outcome, message=t(done_key, ctx.locale, **done_params))

