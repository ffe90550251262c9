"""The demo council as Teams shows it to the bot: the people of playground/ and the activities they send.

The people and their ids are the Playground's (`playground.make_configs.PEOPLE`), so the chat and the Playground
speak about the same council. Their roles are the ones the playground's documentation gives them; the chat
assigns them through the bot itself (Kari, the leader, presses «roles.assign»), as a leader would.
"""
from __future__ import annotations

import itertools
from datetime import UTC, datetime

from playground.make_configs import BOT_ID, BOT_NAME, PEOPLE, TEAM_ID, TEAM_NAME, TENANT_ID, Person

PEOPLE_BY_KEY = {p.key: p for p in PEOPLE}
LEADER = PEOPLE_BY_KEY["kari"]
CHANNEL_NAME = "Generelt"  # the team's built-in General channel, whose id is the team id
# key: (roles, unit, deputy for) — what Kari assigns when the chat starts
ROLES = {
    "sigrid": ("secretary", "", ""),
    "ola": ("member", "Klinikk for kirurgi", ""),
    "ingrid": ("member", "Medisinsk klinikk", ""),
    "per": ("member", "Klinikk for psykisk helse og rus", ""),
    "lise": ("deputy", "", "ola"),
    "nils": ("network", "", ""),
}
ROLE_NAMES = {"kari": "leder", "sigrid": "sekretær", "ola": "medlem", "ingrid": "medlem", "per": "medlem",
              "lise": "varamedlem for Ola", "nils": "ledernettverket", "emma": "innmelder, ingen rolle"}
_ids = itertools.count(1)


def account(person: Person) -> dict:
    return {"id": person.user_id, "name": person.name, "aadObjectId": person.aad_object_id}


def roster_entry(person: Person) -> dict:
    return {**account(person), "userPrincipalName": person.upn, "email": person.upn, "givenName": person.given,
            "surname": person.surname, "tenantId": TENANT_ID, "userRole": "user"}


def channel_data() -> dict:
    return {"tenant": {"id": TENANT_ID}, "team": {"id": TEAM_ID, "name": TEAM_NAME},
            "channel": {"id": TEAM_ID, "name": CHANNEL_NAME}}


def personal(person: Person) -> dict:
    return {"id": person.personal_chat_id, "conversationType": "personal", "tenantId": TENANT_ID}


def channel(thread: str | None = None) -> dict:
    """The General channel; a card's own thread when answering on a card posted there."""
    return {"id": thread or f"{TEAM_ID};messageid=chat-{next(_ids)}", "conversationType": "channel",
            "isGroup": True, "tenantId": TENANT_ID}


def activity(service_url: str, kind: str, person: Person, conversation: dict, **extra) -> dict:
    """One activity as Teams posts it to the bot's endpoint."""
    body = {"type": kind, "id": f"chat-{next(_ids)}", "timestamp": datetime.now(UTC).isoformat(),
            "channelId": "msteams", "serviceUrl": service_url, "from": account(person),
            "recipient": {"id": BOT_ID, "name": BOT_NAME}, "conversation": conversation, "locale": "nb-NO",
            "channelData": channel_data() if conversation["conversationType"] == "channel"
            else {"tenant": {"id": TENANT_ID}}}
    body.update(extra)
    return body


def message(service_url: str, person: Person, text: str, conversation: dict) -> dict:
    """A typed message; in a channel the bot is @mentioned, as Teams requires."""
    if conversation["conversationType"] != "channel":
        return activity(service_url, "message", person, conversation, text=text, textFormat="plain")
    mention = {"type": "mention", "mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": f"<at>{BOT_NAME}</at>"}
    return activity(service_url, "message", person, conversation, text=f"<at>{BOT_NAME}</at> {text}",
                    textFormat="plain", entities=[mention])


def installed_in_team(service_url: str) -> dict:
    """The bot added to the council's team by its leader: Teams' conversationUpdate in the General channel."""
    return activity(service_url, "conversationUpdate", LEADER, {**channel(TEAM_ID)},
                    membersAdded=[{"id": BOT_ID}], channelData={**channel_data(), "eventType": "teamMemberAdded"})
