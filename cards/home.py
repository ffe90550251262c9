"""The home card: the answer to «hjelp», the first message in a personal chat, and where «Tilbake til start»
leads. Its buttons open every part the user's role allows, grouped by feature; the server still checks each."""
from __future__ import annotations

from cards import actions as verbs
from cards.actions import MaybeMeeting, execute
from cards.common import card, text, title
from cards.elements import action_set
from cards.members import roles_label
from cards.texts import t
from council.members import Member, Role
from council.registers import REGISTER_ROLES
from council.themes import may_suggest

COUNCIL_ROLES = (Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY)


def home_groups(member: Member, reads_agenda: bool = True) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """(group key, command text keys, [(button text key, verb)]) for each group this member may use;
    `reads_agenda`: the member is in the agenda's audience (AGENDA_AUDIENCE), so agenda and follow-up show."""
    organiser = member.is_organiser
    agenda = reads_agenda or organiser
    groups = [("cases", ["cmd.submit", "cmd.mine"] + (["cmd.queue", "cmd.register"] if organiser else []),
               [("button.submit", verbs.CASE_FORM), ("cases.mine_title", verbs.CASE_MINE)]
               + ([("queue.title", verbs.CASE_QUEUE), ("home.register", verbs.CASE_REGISTER)] if organiser else [])),
              ("meetings", ["cmd.plan"] + (["cmd.agenda", "cmd.followup"] if agenda else [])
               + (["cmd.new_meeting", "cmd.minutes", "cmd.pask"] if organiser else []),
               [("home.plan", verbs.MEETING_LIST)]
               + ([("home.agenda", verbs.AGENDA_SHOW), ("home.followup", verbs.FOLLOWUP_SHOW)] if agenda else [])
               + ([("home.minutes", verbs.MINUTES_SHOW), ("home.pask", verbs.PASK_SYNC)] if organiser else []))]
    if member.has(*COUNCIL_ROLES):
        _, meeting_commands, meeting_buttons = groups[1]  # felles praksis: each member reports their unit's innføring
        meeting_commands.append("cmd.implementation")
        meeting_buttons.append(("home.implementation", verbs.IMPLEMENTATION_SHOW))
        groups.append(("hearings", ["cmd.hearings"] + (["cmd.new_hearing", "cmd.vote"] if organiser else []),
                       [("home.hearings", verbs.HEARING_LIST)]
                       + ([("home.new_hearing", verbs.HEARING_FORM), ("home.new_vote", verbs.VOTE_FORM)]
                          if organiser else [])))
    if may_suggest(member):
        groups.append(("themes", ["cmd.themes", "cmd.suggest_topic"],
                       [("home.themes", verbs.THEMES_SHOW), ("home.suggest", verbs.THEMES_SUGGEST)]))
    if member.is_leader:
        groups.append(("settings", ["cmd.roles", "cmd.set_role", "cmd.reminders", "cmd.undelivered"],
                       [("roles.title", verbs.ROLES_SHOW), ("home.reminders", verbs.REMINDERS_SHOW),
                        ("home.undelivered", verbs.OUTBOX_UNDELIVERED)]))
    return groups


def home_card(member: Member, locale: str | None, *, greeting: str | None = None, reads_agenda: bool = True,
              tab_url: str = "") -> dict:
    """What this user can do, as buttons by group; `greeting` makes it the first message of a personal chat.
    With `tab_url`, the council (who may see the registers) also gets a link to the tab in the browser: the way
    to the tab from a chat client that shows no tabs (the Agents Playground)."""
    body = [title(t("welcome.title" if greeting else "help.title", locale))]
    if greeting:
        body.append(text(greeting))
    body.append(text(t("help.your_roles", locale, roles=roles_label(member, locale)), isSubtle=True))
    for group, commands, buttons in home_groups(member, reads_agenda):
        body += [text(t(f"home.group.{group}", locale), weight="Bolder", spacing="Medium"),
                 action_set([execute(t(label, locale), verb, _home_data(verb), validate=False)
                             for label, verb in buttons]),
                 text("\n".join(f"- {t(key, locale)}" for key in commands), size="Small", isSubtle=True)]
    if tab_url and member.has(*REGISTER_ROLES):
        body.append(action_set([{"type": "Action.OpenUrl", "title": t("home.open_tab", locale), "url": tab_url}]))
    body.append(text(t("cmd.help", locale) + " · " + t("cmd.cancel", locale), size="Small", isSubtle=True))
    body.append(text(t("help.tip", locale), size="Small", isSubtle=True))
    return card(body)


def _home_data(verb: str) -> dict:
    """Buttons that need a meeting open the one a person expects (the next agenda, the latest minutes)."""
    return MaybeMeeting().pack() if verb in (verbs.AGENDA_SHOW, verbs.MINUTES_SHOW) else {}


def destinations() -> frozenset[str]:
    """Every verb a home button may send: the cards that get «Tilbake til start»."""
    everyone = Member("", "", roles=frozenset(Role))
    return frozenset(verb for _, _, buttons in home_groups(everyone) for _, verb in buttons)


def back_home(payload: dict, locale: str | None) -> dict:
    """The card with «Tilbake til start» as its last button."""
    button = execute(t("home.back", locale), verbs.HELP_SHOW, validate=False)
    return {**payload, "actions": [*payload.get("actions", []), button]}
