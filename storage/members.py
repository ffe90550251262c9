"""Members repository: rows <-> council.members.Member."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from council.members import Member, Role
from storage.tables import members
from storage.upsert import upsert


def _to_member(row) -> Member:
    return Member(
        aad_object_id=row.aad_object_id, name=row.name, teams_user_id=row.teams_user_id, upn=row.upn,
        tenant_id=row.tenant_id, roles=frozenset(Role(r) for r in row.roles or ()), unit=row.unit,
        deputy_for=row.deputy_for, locale=row.locale,
    )


class SqlMembers:
    def __init__(self, session: AsyncConnection) -> None:
        self._s = session

    async def get(self, aad_object_id: str) -> Member | None:
        row = (await self._s.execute(select(members).where(members.c.aad_object_id == aad_object_id))).first()
        return _to_member(row) if row else None

    async def save(self, member: Member) -> None:
        values = {
            "aad_object_id": member.aad_object_id, "name": member.name, "teams_user_id": member.teams_user_id,
            "upn": member.upn, "tenant_id": member.tenant_id, "roles": sorted(r.value for r in member.roles),
            "unit": member.unit, "deputy_for": member.deputy_for, "locale": member.locale,
        }
        await upsert(self._s, members, values, ["aad_object_id"])

    async def all(self) -> list[Member]:
        return [_to_member(r) for r in await self._s.execute(select(members))]

    async def with_role(self, role: Role) -> list[Member]:
        return [m for m in await self.all() if role in m.roles]
