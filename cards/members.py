"""Members and roles ("Medlemmer og roller"): the leader's card."""
from __future__ import annotations

from cards.actions import ROLES_ASSIGN, ROLES_SYNC, execute
from cards.common import card, notice, text, title
from cards.texts import t
from council.members import ASSIGNABLE, Member, Role


def roles_label(member: Member, locale: str | None, names: dict[str, str] | None = None) -> str:
    """'Medlem (Medisinsk klinikk), Vara for Ola Hansen', 'Ledernettverket (Medisinsk klinikk)' — or 'Ingen rolle i
    rådet'."""
    parts = []
    for role in ASSIGNABLE:
        if role not in member.roles:
            continue
        label = t(f"role.{role.value}", locale)
        if member.unit and (role is Role.MEMBER or (role is Role.NETWORK and Role.MEMBER not in member.roles)):
            label += f" ({member.unit})"
        if role is Role.DEPUTY and member.deputy_for in (names or {}):
            label += f" ({t('roles.deputy_of', locale, name=names[member.deputy_for])})"
        parts.append(label)
    return ", ".join(parts) or t("role.none", locale)


def roles_card(members: list[Member], units: tuple[str, ...], locale: str | None, *,
               message: str | None = None, error: str | None = None, values: dict | None = None) -> dict:
    """The list of people with their roles and a form; `values` refills the form after an error."""
    names = {m.aad_object_id: m.name for m in members}
    body = [title(t("roles.title", locale))]
    if message:
        body.append(notice(message))
    if error:
        body.append(notice(error, color="Attention"))
    if not members:
        body.append(text(t("roles.empty", locale)))
        return card(body, [execute(t("roles.sync", locale), ROLES_SYNC, validate=False)])
    body.append({"type": "FactSet", "facts": [
        {"title": m.name, "value": roles_label(m, locale, names)} for m in members]})
    body.append(text(t("roles.intro", locale), isSubtle=True, spacing="Medium"))
    body += _form(members, units, locale, values or {})
    return card(body, [execute(t("roles.save", locale), ROLES_ASSIGN),
                       execute(t("roles.sync", locale), ROLES_SYNC, validate=False)])


def _form(members: list[Member], units: tuple[str, ...], locale: str | None, values: dict) -> list[dict]:
    people = [{"title": m.name, "value": m.aad_object_id} for m in members]
    principals = [{"title": m.name, "value": m.aad_object_id} for m in members if Role.MEMBER in m.roles]
    fields = [
        _choices("person", t("roles.person", locale), people, required=True,
                 error=t("roles.person_required", locale), style="filtered"),
        _choices("roles", t("roles.roles", locale),
                 [{"title": t(f"role.{r.value}", locale), "value": r.value} for r in ASSIGNABLE],
                 multi=True, style="expanded"),
        _choices("unit", t("roles.unit", locale), [{"title": u, "value": u} for u in units]),
        _choices("deputy_for", t("roles.deputy_for", locale), principals),
    ]
    for field in fields:
        if values.get(field["id"]):
            field["value"] = str(values[field["id"]])
    return fields


def _choices(input_id: str, label: str, choices: list[dict], *, required: bool = False,
             error: str | None = None, multi: bool = False, style: str = "compact") -> dict:
    element = {"type": "Input.ChoiceSet", "id": input_id, "label": label, "choices": choices,
               "style": style, "isMultiSelect": multi, "isRequired": required}
    if required:
        element["errorMessage"] = error or label
    return element
