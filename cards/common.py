"""Card envelope and small shared blocks."""
from __future__ import annotations

from cards.texts import t

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def card(body: list[dict], actions: list[dict] | None = None) -> dict:
    """Adaptive Card 1.5 (the Teams maximum for bot cards), full width in Teams."""
    result = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body,
              "msteams": {"width": "Full"}}
    if actions:
        result["actions"] = actions
    return result


def title(text: str) -> dict:
    return {"type": "TextBlock", "text": text, "weight": "Bolder", "size": "Medium", "wrap": True}


def text(value: str, **style: object) -> dict:
    return {"type": "TextBlock", "text": value, "wrap": True, **style}


def notice(value: str, color: str = "Good") -> dict:
    return {"type": "Container", "style": "emphasis",
            "items": [text(value, color=color, weight="Bolder")]}


def message_card(heading: str, body: str) -> dict:
    return card([title(heading), text(body)])


def error_card(message: str, locale: str | None) -> dict:
    return card([title(t("error.title", locale)), text(message, color="Attention")])


def privacy_notice(locale: str | None) -> dict:
    return text("⚠️ " + t("privacy.notice", locale), size="Small", color="Warning")
