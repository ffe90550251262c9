"""What checking a form can answer instead of storing it: field errors, or a warning that asks to confirm."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormErrors:
    """Field name -> catalogue key of what is wrong with it; nothing was stored."""

    errors: dict[str, str]


@dataclass(frozen=True)
class PiiWarning:
    """These free-text fields look like they hold a national ID number; sent again with confirmation, they are
    stored (the flag is kept with the record)."""

    fields: list[str]
