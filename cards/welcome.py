"""First things a user sees: the channel welcome, and the greeting atop the home card in a personal chat."""
from __future__ import annotations

from cards.actions import CASE_FORM, HELP_SHOW, execute
from cards.common import card, text, title
from cards.texts import t


def welcome_card(locale: str | None) -> dict:
    """In a team or group chat the card introduces the bot to everyone; each person's home card is a button away."""
    return card(
        [title(t("welcome.title", locale)), text(t("welcome.team", locale)), text(t("welcome.next", locale),
                                                                                  isSubtle=True)],
        [execute(t("button.submit", locale), CASE_FORM), execute(t("help.title", locale), HELP_SHOW)],
    )


def greeting(locale: str | None, name: str | None) -> str:
    """The personal chat's first words, by name when Teams gave one."""
    return t("welcome.personal", locale, name=name) if name else t("welcome.personal_anonymous", locale)
