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


def _input(element: dict, *, required: bool, error: str | None, **optional: object) -> dict:
    """`element` with the optional properties that are set: defaults are left out, because the minutes form
    repeats inputs per item and cards must stay under 28 KB. A required input names its error."""
    element.update((key, value) for key, value in optional.items() if value)
    if required:
        element["isRequired"] = True
        element["errorMessage"] = error
    return element


def text_input(input_id: str, label: str, value: str = "", *, required: bool = False, multiline: bool = False,
               error: str | None = None, max_length: int | None = 2000, placeholder: str | None = None) -> dict:
    return _input({"type": "Input.Text", "id": input_id, "label": label}, required=required, error=error or label,
                  isMultiline=multiline, maxLength=max_length, value=value, placeholder=placeholder)


def date_input(input_id: str, label: str, value: date | None, locale: str | None, *, required: bool = True) -> dict:
    return _input({"type": "Input.Date", "id": input_id, "label": label}, required=required,
                  error=t("meetings.date_required", locale), value=value.isoformat() if value is not None else None)


def time_input(input_id: str, label: str, value: time | None, locale: str | None) -> dict:
    return _input({"type": "Input.Time", "id": input_id, "label": label}, required=True,
                  error=t("meetings.time_required", locale),
                  value=f"{value.hour:02d}:{value.minute:02d}" if value is not None else None)


def choice_input(input_id: str, label: str, choices: list[dict], value: str = "", *, required: bool = False,
                 error: str | None = None, multi: bool = False, style: str = "compact") -> dict:
    return _input({"type": "Input.ChoiceSet", "id": input_id, "label": label, "choices": choices},
                  required=required, error=error or label, style=style if style != "compact" else None,
                  isMultiSelect=multi, value=value)


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
