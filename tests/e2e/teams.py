"""Teams-shaped activities, as Teams and the Agents Playground send them."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from tests.cards_walk import elements

TENANT = "7d3c1a52-0000-4000-8000-5iv000000001"
TEAM_ID = "19:kontorfaglig-raad-general@thread.tacv2"
BOT_ID = "28:radsbot"
_ids = itertools.count(1)


@dataclass(frozen=True)
class User:
    key: str
    name: str
    upn: str

    @property
    def aad(self) -> str:
        return f"aad-{self.key}"

    @property
    def teams_id(self) -> str:
        return f"29:{self.key}"

    def account(self) -> dict:
        return {"id": self.teams_id, "name": self.name, "aadObjectId": self.aad}

    def roster_entry(self) -> dict:
        return {"id": self.teams_id, "name": self.name, "aadObjectId": self.aad, "userPrincipalName": self.upn,
                "email": self.upn, "tenantId": TENANT, "userRole": "user"}


KARI = User("kari", "Kari Nordmann", "kari.leder@siv-demo.no")
SIGRID = User("sigrid", "Sigrid Sekretær", "sigrid.sekretaer@siv-demo.no")
OLA = User("ola", "Ola Hansen", "ola.hansen@siv-demo.no")
INGRID = User("ingrid", "Ingrid Berg", "ingrid.berg@siv-demo.no")
LISE = User("lise", "Lise Vara", "lise.vara@siv-demo.no")
EMMA = User("emma", "Emma Innmelder", "emma.innmelder@siv-demo.no")
EVERYONE = (KARI, SIGRID, OLA, INGRID, LISE, EMMA)


def _base(service_url: str, kind: str, user: User | None, conversation: dict, **extra) -> dict:
    activity = {
        "type": kind, "id": f"act-{next(_ids)}", "timestamp": "2026-11-26T10:00:00.000Z",
        "channelId": "msteams", "serviceUrl": service_url, "recipient": {"id": BOT_ID, "name": "Kontorfaglig råd"},
        "conversation": {"tenantId": TENANT, **conversation}, "locale": extra.pop("locale", "nb-NO"),
        "channelData": {"tenant": {"id": TENANT}},
    }
    if user is not None:
        activity["from"] = user.account()
    activity.update(extra)
    return activity


def personal_conversation(user: User) -> dict:
    return {"id": f"a:1:1-{user.teams_id}", "conversationType": "personal"}


def channel_conversation(root: str = "root-1") -> dict:
    return {"id": f"{TEAM_ID};messageid={root}", "conversationType": "channel", "isGroup": True}


def _channel_data() -> dict:
    return {"tenant": {"id": TENANT}, "team": {"id": TEAM_ID, "name": "Kontorfaglig råd"},
            "channel": {"id": TEAM_ID, "name": "Generelt"}}


def message(service_url: str, user: User, text: str, *, channel: bool = False, **extra) -> dict:
    if not channel:
        return _base(service_url, "message", user, personal_conversation(user), text=text, textFormat="plain",
                     **extra)
    mention = {"type": "mention", "mentioned": {"id": BOT_ID, "name": "Kontorfaglig råd"},
               "text": "<at>Kontorfaglig råd</at>"}
    return _base(service_url, "message", user, channel_conversation(), text=f"<at>Kontorfaglig råd</at> {text}",
                 textFormat="plain", entities=[mention], channelData=_channel_data(), **extra)


def execute(service_url: str, user: User, verb: str, data: dict | None = None, *, channel: bool = False,
            reply_to: str = "bot-act-1", **extra) -> dict:
    """Action.Execute: invoke adaptiveCard/action."""
    conversation = channel_conversation() if channel else personal_conversation(user)
    activity = _base(service_url, "invoke", user, conversation, name="adaptiveCard/action", replyToId=reply_to,
                     value={"action": {"type": "Action.Execute", "verb": verb, "data": data or {}},
                            "trigger": "manual"}, **extra)
    if channel:
        activity["channelData"] = _channel_data()
    return activity


def install_in_team(service_url: str, installer: User = KARI) -> dict:
    return _base(service_url, "conversationUpdate", installer, {"id": TEAM_ID, "conversationType": "channel",
                                                                "isGroup": True},
                 membersAdded=[{"id": BOT_ID}], channelData={**_channel_data(), "eventType": "teamMemberAdded"})


def install_personal(service_url: str, user: User) -> dict:
    return _base(service_url, "conversationUpdate", user, personal_conversation(user), membersAdded=[{"id": BOT_ID}])


def card_of(body: dict) -> dict:
    """The card in an Action.Execute answer."""
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive", body
    return body["value"]


def nodes(card) -> list[dict]:
    """Every object in a card (actions, inputs, blocks), depth first."""
    return list(elements(card))


def texts_in(card) -> str:
    """All visible text of a card, flattened, for assertions."""
    keys = ("text", "title", "value", "label", "errorMessage")
    return "\n".join(node[key] for node in nodes(card) for key in keys if isinstance(node.get(key), str))


def sent_card(activity: dict) -> dict:
    attachments = activity.get("attachments") or []
    assert attachments, f"no card in {activity}"
    return attachments[0]["content"]
