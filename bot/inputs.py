"""Parsers for what a card's inputs send (ids, dates, times, yes/no): one set for every feature. A value that
does not parse raises InvalidInput with the text the user sees."""
from __future__ import annotations

from datetime import date, time
from enum import Enum
from typing import TypeVar

from cards.actions import parse_id
from council.errors import InvalidInput

E = TypeVar("E", bound=Enum)


def id_input(data: dict, key: str) -> int:
    """A numeric id chosen in an input (a meeting in a ChoiceSet, ...); anything else is stale or forged."""
    return parse_id(data.get(key))


def optional_date(value: object) -> date | None:
    """An Input.Date value ('2026-12-15'), or None when left empty."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput("meetings.date_invalid") from None


def required_date(value: object) -> date:
    day = optional_date(value)
    if day is None:
        raise InvalidInput("meetings.date_invalid")
    return day


def time_or(value: object, default: time) -> time:
    """An Input.Time value ('09:00', seconds ignored), or `default` when left empty."""
    text = str(value or "").strip()
    if not text:
        return default
    try:
        return time.fromisoformat(text[:5])
    except ValueError:
        raise InvalidInput("meetings.time_invalid") from None


def one_of(kind: type[E], value: object, error: str = "error.invalid_input") -> E:
    """A ChoiceSet's or a payload's value as its enum member; any other value is stale or forged."""
    try:
        return kind(str(value or ""))
    except ValueError:
        raise InvalidInput(error) from None


def text_of(data: dict, key: str) -> str:
    return str(data.get(key) or "").strip()


def flag(value: object) -> bool:
    """A toggle or hidden flag: 'true' or '1'."""
    return str(value or "").strip().lower() in ("true", "1")
