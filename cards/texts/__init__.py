"""The message catalogue: Norwegian bokmål first, English when the Teams client asks for it."""
from __future__ import annotations

import string

from cards.texts import (
    en,
    en_benefits,
    en_cases,
    en_meetings,
    en_pask,
    en_records,
    en_reminders,
    en_tab,
    en_themes,
    en_votes,
    nb,
    nb_benefits,
    nb_cases,
    nb_meetings,
    nb_pask,
    nb_records,
    nb_reminders,
    nb_tab,
    nb_themes,
    nb_votes,
)

# One module pair per feature; a key lives in exactly one module (checked by a test).
MODULES = {"nb": (nb, nb_cases, nb_meetings, nb_pask, nb_votes, nb_themes, nb_reminders, nb_records, nb_tab,
             nb_benefits),
           "en": (en, en_cases, en_meetings, en_pask, en_votes, en_themes, en_reminders, en_records, en_tab,
             en_benefits)}
CATALOGUES = {lang: {k: v for module in modules for k, v in module.TEXTS.items()} for lang, modules in MODULES.items()}


def language(locale: str | None) -> str:
    """Teams sends e.g. 'nb-NO', 'nn-NO' or 'en-US'; anything not English gets bokmål."""
    return "en" if (locale or "").lower().startswith("en") else "nb"


class _CatalogueFormatter(string.Formatter):
    """str.format, plus a plural spec: "{days:dag|dager}" gives "1 dag" or "2 dager"."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            from cards.texts.format import plural
            one, other = format_spec.split("|", 1)
            return plural(value, one, other)
        return super().format_field(value, format_spec)


_FORMATTER = _CatalogueFormatter()


def t(key: str, locale: str | None = None, **params: object) -> str:
    """Look up a text; English falls back to bokmål, and an unknown key shows itself (never crashes)."""
    lang = language(locale)
    text = CATALOGUES[lang].get(key) or CATALOGUES["nb"].get(key) or key
    return _FORMATTER.format(text, **params) if params else text
