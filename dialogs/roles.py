"""'sett rolle': the leader changes one person's role step by step (an alternative to the card).

States: who -> which role -> (unit | principal | nothing) -> saved.
"""
from __future__ import annotations

from botbuilder.core import MessageFactory
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import Choice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions

from cards.members import roles_label
from cards.texts import t
from council.errors import DomainError
from council.members import ASSIGNABLE, Member, Role
from council.services.members import MemberService
from dialogs import ACTOR_KEY

NO_ROLE = "none"


class SetRoleDialog(ComponentDialog):
    ID = "roles.set"

    def __init__(self, members: MemberService) -> None:
        super().__init__(self.ID)
        self._members = members
        self.add_dialog(ChoicePrompt("choice"))
        self.add_dialog(WaterfallDialog("steps", [self._who, self._which, self._detail, self._save]))
        self.initial_dialog_id = "steps"

    @staticmethod
    def _locale(step: WaterfallStepContext) -> str | None:
        return step.context.activity.locale

    async def _ask(self, step: WaterfallStepContext, text: str, options: list[tuple[str, str]]) -> DialogTurnResult:
        step.values["options"] = options
        return await step.prompt("choice", PromptOptions(
            prompt=MessageFactory.text(text),
            retry_prompt=MessageFactory.text(t("dialog.roles.retry", self._locale(step))),
            choices=[Choice(title) for title, _ in options], style=ListStyle.list_style))

    @staticmethod
    def _picked(step: WaterfallStepContext) -> str:
        return step.values["options"][step.result.index][1]

    async def _who(self, step: WaterfallStepContext) -> DialogTurnResult:
        people = await self._members.members()
        return await self._ask(step, t("dialog.roles.who", self._locale(step)),
                               [(m.name, m.aad_object_id) for m in people])

    async def _which(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["person"] = self._picked(step)
        locale = self._locale(step)
        name = step.values["options"][step.result.index][0]
        step.values["name"] = name
        # one role per answer here; the nestleder (a member besides) is set on the role card or the tab
        options = [(t(f"role.{r.value}", locale), r.value) for r in ASSIGNABLE if r is not Role.VICE_LEADER]
        options.append((t("role.none", locale), NO_ROLE))
        return await self._ask(step, t("dialog.roles.which", locale, name=name), options)

    async def _detail(self, step: WaterfallStepContext) -> DialogTurnResult:
        role = self._picked(step)
        step.values["role"] = role
        locale, name = self._locale(step), step.values["name"]
        if role == Role.MEMBER.value:
            return await self._ask(step, t("dialog.roles.unit", locale, name=name),
                                   [(u, u) for u in self._members.units])
        if role == Role.DEPUTY.value:
            principals = [(m.name, m.aad_object_id) for m in await self._members.members()
                          if Role.MEMBER in m.roles and m.aad_object_id != step.values["person"]]
            if not principals:
                await step.context.send_activity(t("dialog.roles.no_members", locale))
                return await step.end_dialog()
            return await self._ask(step, t("dialog.roles.principal", locale, name=name), principals)
        return await step.next(None)

    async def _save(self, step: WaterfallStepContext) -> DialogTurnResult:
        role, locale = step.values["role"], self._locale(step)
        detail = self._picked(step) if step.result is not None else None
        roles = frozenset() if role == NO_ROLE else frozenset({Role(role)})
        actor: Member = step.context.turn_state[ACTOR_KEY]
        try:
            updated = await self._members.assign_roles(
                actor, step.values["person"], roles,
                unit=detail if role == Role.MEMBER.value else None,
                deputy_for=detail if role == Role.DEPUTY.value else None)
        except DomainError as error:
            await step.context.send_activity(t(error.key, locale, **error.params))
            return await step.end_dialog()
        names = {m.aad_object_id: m.name for m in await self._members.members()}
        await step.context.send_activity(
            t("roles.saved", locale, name=updated.name, roles=roles_label(updated, locale, names)))
        return await step.end_dialog()
