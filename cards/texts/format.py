"""Dates and times written the Norwegian way ("5. juni 2026", "kl. 09.00"), or the English way."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from cards.texts import language

NB_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
             "oktober", "november", "desember")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
NB_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_date(day: date, locale: str | None = None, weekday: bool = False) -> str:
    if language(locale) == "en":
        text = f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"
        return f"{EN_WEEKDAYS[day.weekday()]} {text}" if weekday else text
    text = f"{day.day}. {NB_MONTHS[day.month - 1]} {day.year}"
    return f"{NB_WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_time(moment: time | datetime, locale: str | None = None) -> str:
    if language(locale) == "en":
        return f"{moment.hour:02d}:{moment.minute:02d}"
    return f"kl. {moment.hour:02d}.{moment.minute:02d}"


def format_datetime(moment: datetime, tz: ZoneInfo, locale: str | None = None) -> str:
    """An aware instant shown in council time."""
    local = moment.astimezone(tz)
    return f"{format_date(local.date(), locale)} {format_time(local, locale)}"


def plural(count: object, one: str, other: str) -> str:
    """'1 dag', '2 dager', '0 dager': the noun agrees with the count (also when the count comes as text)."""
    return f"{count} {one if str(count).strip() in ('1', '-1') else other}"
