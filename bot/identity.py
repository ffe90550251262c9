"""Activity -> who is acting and where: plain council data, no SDK objects beyond this module."""
from __future__ import annotations

from botbuilder.schema import Activity

from council.conversations import ConversationKind, ConversationRef
from council.services.members import PersonInfo


def tenant_of(activity: Activity) -> str | None:
    """The tenant, from conversation.tenantId (botbuilder's model reads only `tenantID`, so Teams' spelling
    lands in additional_properties) or channelData.tenant.id; any may be missing. Different values mean
    none: neither can be trusted over the other."""
    named = {tenant for tenant in _tenants_named(activity) if isinstance(tenant, str) and tenant}
    return named.pop() if len(named) == 1 else None


def _tenants_named(activity: Activity) -> tuple[object, ...]:
    conversation = activity.conversation
    extra = (getattr(conversation, "additional_properties", None) or {}) if conversation else {}
    tenant = _channel_data(activity).get("tenant")
    return (conversation.tenant_id if conversation else None, extra.get("tenantId"),
            tenant.get("id") if isinstance(tenant, dict) else None)


def _clean(value: object, limit: int) -> str | None:
    """Ids and names as the database can hold them: text, no NUL, bounded (Entra ids are 36 characters)."""
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value[:limit] or None


def person_of(activity: Activity) -> PersonInfo | None:
    """The sender, identified by their Entra object id (None for a bot or an anonymous sender)."""
    sender = activity.from_property
    aad = _clean(sender.aad_object_id, 200) if sender else None
    if aad is None or len(aad) > 64:
        return None
    return PersonInfo(aad_object_id=aad, name=_clean(sender.name, 200) or "", teams_user_id=_clean(sender.id, 200),
                      tenant_id=_clean(tenant_of(activity), 64), locale=_clean(activity.locale, 20))


def _channel_data(activity: Activity) -> dict:
    return activity.channel_data if isinstance(activity.channel_data, dict) else {}


def team_id_of(activity: Activity) -> str | None:
    team = _channel_data(activity).get("team")
    return team.get("id") if isinstance(team, dict) else None


def reference_of(activity: Activity) -> ConversationRef | None:
    """Where this activity came from, as a stored reference (channel posts go to the channel root)."""
    conversation = activity.conversation
    if conversation is None or not conversation.id or not activity.service_url or activity.recipient is None:
        return None
    data = _channel_data(activity)
    kind = {"personal": ConversationKind.PERSONAL, "groupChat": ConversationKind.GROUP}.get(
        conversation.conversation_type or "", ConversationKind.CHANNEL)
    team = data.get("team") if isinstance(data.get("team"), dict) else {}
    channel = data.get("channel") if isinstance(data.get("channel"), dict) else {}
    conversation_id = conversation.id.split(";messageid=")[0]
    if len(conversation_id) > 400 or "\x00" in conversation_id:
        return None
    if kind is ConversationKind.CHANNEL and not team:
        kind = ConversationKind.GROUP if conversation.is_group else ConversationKind.PERSONAL
    sender = activity.from_property
    return ConversationRef(
        conversation_id=conversation_id, kind=kind, service_url=activity.service_url,
        tenant_id=tenant_of(activity), bot_id=activity.recipient.id, team_id=team.get("id"),
        channel_id=channel.get("id") or (conversation_id if kind is ConversationKind.CHANNEL else None),
        user_aad_id=sender.aad_object_id if kind is ConversationKind.PERSONAL and sender else None,
        team_name=team.get("name"),
    )
