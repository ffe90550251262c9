"""The help card: what this user can do, given their roles."""
from __future__ import annotations

from cards.actions import CASE_FORM, CASE_MINE, CASE_QUEUE, ROLES_SHOW, execute
from cards.common import card, text, title
from cards.members import roles_label
from cards.texts import t
from council.members import Member, Role


def help_card(member: Member, locale: str | None) -> dict:
    body = [title(t("help.title", locale)), text(t("help.your_roles", locale, roles=roles_label(member, locale)),
                                                   isSubtle=True)]
    body += _section(t("help.everyone", locale), ["cmd.submit", "cmd.mine", "cmd.plan", "cmd.agenda",
                                                  "cmd.followup", "cmd.help", "cmd.cancel"], locale)
    actions = [execute(t("button.submit", locale), CASE_FORM), execute(t("cases.mine_title", locale), CASE_MINE)]
    if member.has(Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY):
        body += _section(t("help.council", locale), ["cmd.hearings"], locale)
    if member.is_organiser:
        body += _section(t("help.organisers", locale), ["cmd.queue", "cmd.register", "cmd.new_meeting",
                                                        "cmd.minutes", "cmd.pask", "cmd.new_hearing", "cmd.vote"],
                         locale)
        actions.append(execute(t("queue.title", locale), CASE_QUEUE))
    if member.has(Role.NETWORK) or member.is_organiser:
        body += _section(t("help.network", locale), ["cmd.themes", "cmd.suggest_topic"], locale)
    if member.is_leader:
        body += _section(t("help.leader", locale), ["cmd.roles", "cmd.set_role", "cmd.reminders",
                                                     "cmd.undelivered"], locale)
        actions.append(execute(t("roles.title", locale), ROLES_SHOW))
    body.append(text(t("help.tip", locale), size="Small", isSubtle=True))
    return card(body, actions)


def _section(heading: str, keys: list[str], locale: str | None) -> list[dict]:
    return [text(heading, weight="Bolder", spacing="Medium"),
            text("\n".join(f"- {t(key, locale)}" for key in keys))]
