"""Finds Norwegian national identity numbers in free text so case text can be refused before it is stored."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

FODSELSNUMMER = "fodselsnummer"
D_NUMMER = "d-nummer"
H_NUMMER = "h-nummer"
FH_NUMMER = "fh-nummer"

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# From 2032 the first control digit may leave remainder 0-3 when weighted with 1.
_LOOSE_K1_REMAINDERS = frozenset({0, 1, 2, 3})

# Eleven digits unbroken, or 6+5 split by one space, dot or hyphen. The number must not touch
# another digit, directly or through a dot/hyphen, so it is never a slice of a longer digit run or
# of a grouped number such as an account "1234.56.78901". Spaces are not part of that guard,
# because prose separates unrelated numbers with spaces.
_CANDIDATE = re.compile(
    r"(?<![0-9])(?<![0-9][.\-])([0-9]{6})[ .\-]?([0-9]{5})(?![0-9])(?![.\-][0-9])",
    re.ASCII,
)


@dataclass(frozen=True)
class PiiHit:
    """Where an identity number was seen; deliberately holds no digits so it is safe to log."""

    field: str
    kind: str


def find_national_ids(text: str) -> list[str]:
    """Kinds of identity numbers in `text`, one per occurrence in order; values are never returned."""
    return list(_iter_kinds(text))


def scan_fields(fields: Mapping[str, str | None]) -> list[PiiHit]:
    """One hit per field that holds an identity number, in field order, so callers can name the field."""
    hits: list[PiiHit] = []
    for name, value in fields.items():
        if not value:
            continue
        kind = next(_iter_kinds(value), None)
        if kind is not None:
            hits.append(PiiHit(field=name, kind=kind))
    return hits


def is_valid_national_id(digits: str) -> str | None:
    """Kind of an 11-digit string if it is a plausible identity number, else None; never raises on input."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return None
    d = [int(c) for c in digits]
    if not (_old_checks_pass(d) or _loose_checks_pass(d)):
        return None
    return _kind_if_date_plausible(d)


def _iter_kinds(text: str) -> Iterator[str]:
    """Lazily yields kinds so a caller wanting only the first stops scanning early."""
    for match in _CANDIDATE.finditer(text):
        kind = is_valid_national_id(match.group(1) + match.group(2))
        if kind is not None:
            yield kind


def _control_digit(d: list[int], weights: tuple[int, ...]) -> int | None:
    """Mod-11 control digit over the leading digits; None where the rule yields 10 (no valid number)."""
    check = (11 - sum(w * x for w, x in zip(weights, d, strict=False)) % 11) % 11
    return None if check == 10 else check


def _old_checks_pass(d: list[int]) -> bool:
    """The control-digit rule for numbers issued before 2032."""
    return _control_digit(d, _K1_WEIGHTS) == d[9] and _control_digit(d, _K2_WEIGHTS) == d[10]


def _loose_checks_pass(d: list[int]) -> bool:
    """The 2032 rule: K1 remainder may be 0-3, K2 stays a strict mod-11 check over all eleven digits."""
    k1_remainder = sum(w * x for w, x in zip((*_K1_WEIGHTS, 1), d, strict=False)) % 11
    k2_remainder = sum(w * x for w, x in zip((*_K2_WEIGHTS, 1), d, strict=True)) % 11
    return k1_remainder in _LOOSE_K1_REMAINDERS and k2_remainder == 0


def _kind_if_date_plausible(d: list[int]) -> str | None:
    """Classifies by the day/month offsets and rejects dates that exist in neither the 1900s nor 2000s."""
    if d[0] in (8, 9):
        return FH_NUMMER
    day, month, year = d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]
    kind = FODSELSNUMMER
    if day > 40:
        day -= 40
        kind = D_NUMMER
    if month > 40:
        if kind == D_NUMMER:
            return None  # both offsets at once is not a defined number type
        month -= 40
        kind = H_NUMMER
    return kind if _date_exists(day, month, year) else None


def _date_exists(day: int, month: int, year: int) -> bool:
    """True if DD.MM.YY is a real date in either century, since the year's century is not decided here."""
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False
