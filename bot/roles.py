"""Members and roles: the leader's card, role assignment and fetching the roster from Teams."""
from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.actions import ActionContext, ActionRegistry
from bot.identity import team_id_of, tenant_of
from cards.actions import ROLES_ASSIGN, ROLES_SHOW, ROLES_SYNC, AssignRoles
from cards.members import roles_card, roles_label
from cards.texts import t
from council.errors import DomainError, NotAllowed
from council.members import Member
from council.services.conversations import ConversationService
from council.services.members import MemberService, PersonInfo

log = logging.getLogger(__name__)


class RolesFeature:
    def __init__(self, members: MemberService, conversations: ConversationService) -> None:
        self._members = members
        self._conversations = conversations

    def register(self, actions: ActionRegistry) -> None:
        actions.register(ROLES_SHOW, self.show)
        actions.register(ROLES_ASSIGN, self.assign)
        actions.register(ROLES_SYNC, self.sync)

    async def card(self, actor: Member, locale: str | None, **extra) -> dict:
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        return roles_card(await self._members.members(), self._members.units, locale, **extra)

    async def show(self, ctx: ActionContext) -> dict:
        return await self.card(ctx.actor, ctx.locale)

    async def assign(self, ctx: ActionContext) -> dict:
        try:
            request = AssignRoles.parse(ctx.data)
            updated = await self._members.assign_roles(ctx.actor, request.person, request.roles,
                                                       request.unit, request.deputy_for)
        except NotAllowed:
            raise
        except DomainError as error:
            return await self.card(ctx.actor, ctx.locale, error=t(error.key, ctx.locale, **error.params),
                                   values=ctx.data)
        names = {m.aad_object_id: m.name for m in await self._members.members()}
        message = t("roles.saved", ctx.locale, name=updated.name,
                    roles=roles_label(updated, ctx.locale, names))
        return await self.card(ctx.actor, ctx.locale, message=message)

    async def sync(self, ctx: ActionContext) -> dict:
        if not ctx.actor.is_leader:
            raise NotAllowed("error.leader_only")
        count = await self.fetch_roster(ctx.turn)
        if count is None:
            return await self.card(ctx.actor, ctx.locale, error=t("roles.sync_needs_team", ctx.locale))
        return await self.card(ctx.actor, ctx.locale, message=t("roles.synced", ctx.locale, count=count))

    async def fetch_roster(self, turn: TurnContext) -> int | None:
        """Page through the team's members (get_team_members ignores team_id in 4.17.1)."""
        team_id = team_id_of(turn.activity)
        if team_id is None:
            channel = await self._conversations.council_channel()
            team_id = channel.team_id if channel else None
        if team_id is None:
            return None
        people, token = [], None
        while True:
            page = await TeamsInfo.get_paged_team_members(turn, team_id, token, 100)
            people += [PersonInfo(aad_object_id=m.aad_object_id, name=m.name or "", teams_user_id=m.id,
                                  upn=m.user_principal_name or m.email, tenant_id=m.tenant_id or tenant_of(
                                      turn.activity)) for m in page.members if m.aad_object_id]
            token = page.continuation_token
            if not token:
                break
        log.info("roster: %d people fetched for a team", len(people))
        return await self._members.record_roster(people)
