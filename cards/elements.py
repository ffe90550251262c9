"""Generic Adaptive Card building blocks (inputs, layout, the size budget) shared by every card module."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, time

from cards.common import notice, title
from cards.texts import t

CARD_BUDGET = 27 * 1024  # Teams refuses messages over ~28 KB; cards with many items shed detail to stay under


def card_size(payload: dict) -> int:
    """Bytes on the wire, whichever way the JSON is escaped: the ASCII form (æøå as six-byte \\u escapes) is
    never shorter than the UTF-8 one, so its length is the bound."""
    return len(json.dumps(payload))


def within_budget(build: Callable, levels: Iterable) -> dict:
    """The richest variant of a card that stays under Teams' size limit (else the leanest)."""
    payload = {}
    for level in levels:
        payload = build(level)
        if card_size(payload) <= CARD_BUDGET:
            return payload
    return payload


def shorten(value: str, limit: int) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[:limit].rstrip() + " …"


def show_card(label: str, body: list[dict], action: dict) -> dict:
    return {"type": "Action.ShowCard", "title": label,
            "card": {"type": "AdaptiveCard", "body": body, "actions": [action]}}


def action_set(actions: list[dict]) -> dict:
    return {"type": "ActionSet", "actions": actions}


def text_input(input_id: str, label: str, value: str = "", *, required: bool = False, multiline: bool = False,
               error: str | None = None, max_length: int | None = 2000, placeholder: str | None = None) -> dict:
    """Defaults are left out: the minutes form repeats inputs per item, and cards must stay under 28 KB."""
    element = {"type": "Input.Text", "id": input_id, "label": label}
    if required:
        element["isRequired"] = True
    if multiline:
        element["isMultiline"] = True
    if max_length:
        element["maxLength"] = max_length
    if value:
        element["value"] = value
    if placeholder:
        element["placeholder"] = placeholder
    if required:
        element["errorMessage"] = error or label
    return element


def date_input(input_id: str, label: str, value: date | None, locale: str | None, *, required: bool = True) -> dict:
    element = {"type": "Input.Date", "id": input_id, "label": label}
    if required:
        element["isRequired"] = True
        element["errorMessage"] = t("meetings.date_required", locale)
    if value is not None:
        element["value"] = value.isoformat()
    return element


def time_input(input_id: str, label: str, value: time | None, locale: str | None) -> dict:
    element = {"type": "Input.Time", "id": input_id, "label": label, "isRequired": True,
               "errorMessage": t("meetings.time_required", locale)}
    if value is not None:
        element["value"] = f"{value.hour:02d}:{value.minute:02d}"
    return element


def choice_input(input_id: str, label: str, choices: list[dict], value: str = "", *, required: bool = False,
                 error: str | None = None, multi: bool = False, style: str = "compact") -> dict:
    element = {"type": "Input.ChoiceSet", "id": input_id, "label": label, "choices": choices}
    if style != "compact":
        element["style"] = style
    if multi:
        element["isMultiSelect"] = True
    if value:
        element["value"] = value
    if required:
        element["isRequired"] = True
        element["errorMessage"] = error or label
    return element


def people_picker(input_id: str, label: str, *, required: bool = False, error: str | None = None) -> dict:
    """Teams' people picker (searches the organisation; the value is the person's AAD object id)."""
    element = choice_input(input_id, label, [], required=required, error=error)
    element["choices.data"] = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}
    return element


def columns(*items: dict) -> dict:
    return {"type": "ColumnSet", "columns": [{"type": "Column", "width": "stretch", "items": [item]}
                                             for item in items]}


def heading_blocks(heading: str, message: str | None, error: str | None) -> list[dict]:
    body = [title(heading)]
    if message:
        body.append(notice(message))
    if error:
        body.append(notice(error, color="Attention"))
    return body
