"""Small helpers for replying inside a turn."""
from __future__ import annotations

import re

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity

from cards.home import back_home
from cards.texts import t
from council.errors import DomainError
from dialogs import ACTOR_KEY  # noqa: F401  (re-exported for the bot)

_SPACES = re.compile(r"\s+")


def card_activity(card: dict) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card))


def card_invoke_response(card: dict) -> InvokeResponse:
    """The Universal Actions answer: the card that replaces the one the user pressed. Built as plain JSON (what
    the SDK's AdaptiveCardInvokeResponse serialises to) without the SDK's model round trip."""
    return InvokeResponse(status=200, body={"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive",
                                            "value": card})


def command_text(turn: TurnContext) -> str:
    """The typed text without the bot @mention, lower-cased, with stray punctuation dropped."""
    text = TurnContext.remove_recipient_mention(turn.activity) or ""
    text = re.sub(r"<at>.*?</at>", " ", text)
    return _SPACES.sub(" ", text).strip().strip(".!?").strip().lower()


def card_command(view, *, home_link: bool = True):
    """A text command answered with the card `view(actor, locale)` builds, or with why it was refused."""
    async def run(turn: TurnContext, actor) -> None:
        locale = turn.activity.locale
        try:
            card = await view(actor, locale)
        except DomainError as error:
            await turn.send_activity(t(error.key, locale, **error.params))
            return
        await turn.send_activity(card_activity(with_home_link(turn, card) if home_link else card))
    return run


def with_home_link(turn: TurnContext, card: dict) -> dict:
    """In a personal chat every card a user opens leads back to the home card; channel cards are shared and
    stay as they are."""
    conversation = turn.activity.conversation
    if conversation is None or conversation.conversation_type != "personal":
        return card
    return back_home(card, turn.activity.locale)
