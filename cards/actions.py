"""Every card verb, defined once, and the typed payloads the bot parses from them."""
from __future__ import annotations

from dataclasses import dataclass

from council.errors import InvalidInput
from council.members import Role

HELP_SHOW = "help.show"
ROLES_SHOW = "roles.show"
ROLES_ASSIGN = "roles.assign"
ROLES_SYNC = "roles.sync"


def execute(title: str, verb: str, data: dict | None = None, *, validate: bool = True) -> dict:
    """An Action.Execute button; `validate=False` sends without the card's inputs (Cancel-like)."""
    action = {"type": "Action.Execute", "title": title, "verb": verb, "data": data or {}}
    if not validate:
        action["associatedInputs"] = "none"
    return action


@dataclass(frozen=True)
class AssignRoles:
    person: str
    roles: frozenset[Role]
    unit: str | None
    deputy_for: str | None

    @classmethod
    def parse(cls, data: dict) -> "AssignRoles":
        """Inputs arrive as strings; a multi-select ChoiceSet joins its values with commas."""
        person = str(data.get("person") or "").strip()
        if not person:
            raise InvalidInput("roles.person_required")
        raw_roles = [r for r in str(data.get("roles") or "").split(",") if r.strip()]
        try:
            roles = frozenset(Role(r.strip()) for r in raw_roles)
        except ValueError:
            raise InvalidInput("error.invalid_input") from None
        return cls(person, roles, _opt(data.get("unit")), _opt(data.get("deputy_for")))


def _opt(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None

CASE_FORM = "case.form"
CASE_SUBMIT = "case.submit"
CASE_EDIT = "case.edit"
CASE_TRIAGE = "case.triage"
CASE_VIEW = "case.view"
CASE_ANSWER = "case.answer"
CASE_WITHDRAW = "case.withdraw"
CASE_DLG_OUTCOME = "case.dlg_outcome"
CASE_MINE = "case.mine"
CASE_QUEUE = "case.queue"
CASE_REGISTER = "case.register"


def submit(title: str, verb: str, data: dict | None = None) -> dict:
    """Action.Submit for task modules (the message extension), where Action.Execute does not apply."""
    return {"type": "Action.Submit", "title": title, "data": {"verb": verb, **(data or {})}}


def case_id_of(data: dict) -> int:
    """Case ids arrive as strings or numbers; anything else is a stale or forged button."""
    raw = str(data.get("case_id") or "")
    if not raw.isdigit():
        raise InvalidInput("error.invalid_input")
    return int(raw)
