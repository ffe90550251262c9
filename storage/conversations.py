"""Conversation references stored as plain JSON in our schema (no SDK objects)."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select

from council.conversations import ConversationKind, ConversationRef
from storage.tables import conversations
from storage.upsert import insert_new, upsert


def _to_ref(row) -> ConversationRef:
    data = dict(row.reference)
    data["kind"] = ConversationKind(data["kind"])
    return ConversationRef(**data)


class SqlConversations:
    def __init__(self, session) -> None:
        self._s = session

    async def get(self, conversation_id: str) -> ConversationRef | None:
        row = (await self._s.execute(
            select(conversations).where(conversations.c.conversation_id == conversation_id))).first()
        return _to_ref(row) if row else None

    async def save(self, ref: ConversationRef, now: datetime) -> bool:
        """Store or refresh; True only for the call that created the row (two install events race)."""
        values = self._values(ref, now)
        if await insert_new(self._s, conversations, values, ["conversation_id"]):
            return True
        await upsert(self._s, conversations, values, ["conversation_id"])
        return False

    @staticmethod
    def _values(ref: ConversationRef, now: datetime) -> dict:
        reference = asdict(ref)
        reference["kind"] = ref.kind.value
        return {
            "conversation_id": ref.conversation_id, "kind": ref.kind.value, "reference": reference,
            "tenant_id": ref.tenant_id, "team_id": ref.team_id, "user_aad_id": ref.user_aad_id,
            "is_team_general": ref.kind is ConversationKind.CHANNEL and ref.channel_id == ref.team_id,
            "updated_at": now,
        }

    async def personal_for(self, aad_object_id: str) -> ConversationRef | None:
        row = (await self._s.execute(
            select(conversations).where(conversations.c.user_aad_id == aad_object_id,
                                        conversations.c.kind == ConversationKind.PERSONAL.value)
            .order_by(conversations.c.updated_at.desc()).limit(1))).first()
        return _to_ref(row) if row else None

    async def council_channel(self) -> ConversationRef | None:
        """The General channel of the most recently seen team; posts go there."""
        row = (await self._s.execute(
            select(conversations).where(conversations.c.is_team_general.is_(True))
            .order_by(conversations.c.updated_at.desc()).limit(1))).first()
        return _to_ref(row) if row else None

    async def any_in_tenant(self, tenant_id: str | None) -> ConversationRef | None:
        """Any reference in the tenant: its service URL is where a new 1:1 chat is created."""
        query = select(conversations).order_by(conversations.c.updated_at.desc()).limit(1)
        if tenant_id:
            query = query.where(conversations.c.tenant_id == tenant_id)
        row = (await self._s.execute(query)).first()
        return _to_ref(row) if row else None
