"""Where the bot can speak: conversation references captured from Teams, kept as plain data."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ConversationKind(str, Enum):
    PERSONAL = "personal"
    CHANNEL = "channel"
    GROUP = "groupChat"


@dataclass(frozen=True)
class ConversationRef:
    """Enough to reach a conversation proactively: service URL + ids (no SDK objects)."""

    conversation_id: str
    kind: ConversationKind
    service_url: str
    tenant_id: str | None
    bot_id: str
    team_id: str | None = None
    channel_id: str | None = None
    user_aad_id: str | None = None
    team_name: str | None = None

