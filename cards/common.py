"""Card envelope and small shared blocks."""
from __future__ import annotations

import re

from cards.texts import t

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def card(body: list[dict], actions: list[dict] | None = None) -> dict:
    """Adaptive Card 1.5 (the Teams maximum for bot cards), full width in Teams."""
    result = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": _escape_lists(body),
              "msteams": {"width": "Full"}}
    if actions:
        result["actions"] = actions
    return result


_LIST_START = re.compile(r"^(\d+)\. ", re.MULTILINE)


def _escape_lists(node):
    """'26. november 2026' at the start of a line would render as a numbered list (Markdown): escape the dot."""
    if isinstance(node, list):
        return [_escape_lists(item) for item in node]
    if not isinstance(node, dict):
        return node
    escaped = {key: _escape_lists(value) for key, value in node.items()}
    if node.get("type") == "TextBlock" and isinstance(node.get("text"), str):
        escaped["text"] = _LIST_START.sub(r"\1\\. ", node["text"])
    if node.get("type") == "FactSet":
        escaped["facts"] = [{**fact, "value": _LIST_START.sub(r"\1\\. ", str(fact.get("value", "")))}
                            for fact in node.get("facts", [])]
    return escaped


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
    return text(t("privacy.notice", locale), size="Small", color="Warning")
