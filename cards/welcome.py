"""First things a user sees: the channel welcome and the personal greeting."""
from __future__ import annotations

from cards.actions import CASE_FORM, HELP_SHOW, execute
from cards.common import card, text, title
from cards.texts import t


def welcome_card(locale: str | None, name: str | None = None, *, personal: bool | None = None) -> dict:
    """In a team or group chat the card introduces the bot to everyone; in a 1:1 chat it greets the person."""
    personal = bool(name) if personal is None else personal
    if personal:
        intro = t("welcome.personal", locale, name=name) if name else t("welcome.personal_anonymous", locale)
    else:
        intro = t("welcome.team", locale)
    return card(
        [title(t("welcome.title", locale)), text(intro), text(t("welcome.next", locale), isSubtle=True)],
        [execute(t("button.submit", locale), CASE_FORM), execute(t("help.title", locale), HELP_SHOW)],
    )
