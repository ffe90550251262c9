"""Talk to Rådsbot from a terminal, as the demo council's members would in Teams (./chat, python -m tools.chat).

The real app (`create_app`: SQLite in a temporary folder, anonymous local mode, the scheduler running) and the
fake Bot Connector (`tools.connector`) run in this process on 127.0.0.1. The chat plays Teams: what you type is
posted to /api/messages as a message from the current user; what the bot sends back through the connector, and
the cards it answers button presses with, are printed as text. `/help` lists the commands.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import aiohttp
from aiohttp import web

from app import CONTAINER, create_app
from council.settings import Settings
from playground.make_configs import BOT_NAME, TEAM_ID, TEAM_NAME, Person
from tools import teams
from tools.cardtext import CardView, input_line
from tools.connector import FakeConnector

ROOT = Path(__file__).resolve().parents[1]
PASK_ICS = ROOT / "tests" / "data" / "pask-calendar-outlook-export.ics"
CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
EXTENSION_COMMAND = "meldInnSak"  # the message extension's command id (manifest)
SETTLE_SECONDS = 10.0
HELP = """Type a message to send it to the bot (try «hjelp»). Commands:
  /as <name>            be someone else: kari (leder), sigrid (sekretær), ola, ingrid, per (medlemmer),
                        lise (vara), nils (ledernettverket), emma (innmelder)
  /personal, /channel   write in your personal chat with the bot, or in the team's channel «Generelt»
  /press <button>       press a button of the last card, by its title («Meld inn sak») or its [number]
  /fill <label>=<value> fill an input of the last card (a choice by its title; a toggle with ja/nei)
  /card                 show the last card again
  /extension            open «Meld inn sak» from the message box (the message extension)
  /help, /quit"""


class Chat:
    """One terminal session: the app, the fake connector, the current user and the last card."""

    def __init__(self, out: Callable[[str], None] = print, *, data: Path | None = None, user: str = "emma") -> None:
        self.out = out
        self.user = teams.PEOPLE_BY_KEY[user]
        self.in_channel = False
        self.card: CardView | None = None
        self._data = data
        self._folder: tempfile.TemporaryDirectory | None = None
        self._connector = FakeConnector()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._seen = 0  # connector requests already printed
        self._lock = asyncio.Lock()

    # --- start and stop -----------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Serve the app and the connector on loopback, install the bot in the team, give the council its roles."""
        if self._data is None:
            self._folder = tempfile.TemporaryDirectory(prefix="radsbot-chat-")
            self._data = Path(self._folder.name)
        self._data.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite+aiosqlite:///{self._data.resolve()}/chat.db"
        await self._connector.start()
        for person in teams.PEOPLE:
            self._connector.add_member(TEAM_ID, teams.roster_entry(person))
            self._connector.add_member(person.personal_chat_id, teams.roster_entry(person))
        listener = socket.create_server(("127.0.0.1", 0))
        settings = Settings(host="127.0.0.1", port=listener.getsockname()[1], database_url=database_url,
                            leaders=frozenset({teams.LEADER.upn}), pask_ics=str(PASK_ICS), outbox_linger_seconds=0)
        self._runner = web.AppRunner(create_app(settings), access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, listener).start()
        self._url = f"http://127.0.0.1:{settings.port}/api/messages"
        self._session = aiohttp.ClientSession()
        await self._set_up_council()

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()
        await self._connector.stop()
        if self._folder is not None:
            self._folder.cleanup()

    async def _set_up_council(self) -> None:
        await self._post(teams.installed_in_team(self._connector.url))
        for key, (role, unit, deputy_for) in teams.ROLES.items():
            deputy = teams.PEOPLE_BY_KEY[deputy_for].aad_object_id if deputy_for else ""
            data = {"person": teams.PEOPLE_BY_KEY[key].aad_object_id, "roles": role, "unit": unit,
                    "deputy_for": deputy}
            await self._post(teams.activity(self._connector.url, "invoke", teams.LEADER, teams.personal(teams.LEADER),
                                            name="adaptiveCard/action", value=_execute("roles.assign", data)))
        await self._settle()
        self._seen = len(self._connector.requests)
        council = ", ".join(f"{p.given} ({teams.ROLE_NAMES[p.key]})" for p in teams.PEOPLE)
        self.out(f"{BOT_NAME} is installed in the team «{TEAM_NAME}» (channel «{teams.CHANNEL_NAME}»). "
                 f"The council: {council}.")
        self.out(f"You are {self._who()}. /help lists the commands.")

    # --- one line of input ----------------------------------------------------------------------------------------
    async def handle(self, line: str) -> bool:
        """Act on one typed line and print what follows; False after /quit."""
        line = line.strip()
        if not line:
            return True
        async with self._lock:
            command, _, rest = line.partition(" ") if line.startswith("/") else ("", "", line)
            action = {"": self._say, "/as": self._as, "/personal": self._personal, "/channel": self._channel,
                      "/press": self._press, "/fill": self._fill, "/card": self._show_card,
                      "/extension": self._extension, "/help": self._help}.get(command)
            if command == "/quit":
                return False
            if action is None:
                self.out(f"Unknown command {command}. /help lists the commands.")
                return True
            await action(rest.strip())
            await self._settle()
            self._print_deliveries()
        return True

    async def print_background(self) -> None:
        """What the bot sends on its own between inputs (reminders, notices), printed as it arrives."""
        async with self._lock:
            self._print_deliveries()

    async def _say(self, text: str) -> None:
        conversation = teams.channel() if self.in_channel else teams.personal(self.user)
        await self._post(teams.message(self._connector.url, self.user, text, conversation))

    async def _as(self, name: str) -> None:
        wanted = name.strip().casefold()
        person = next((p for p in teams.PEOPLE if wanted in (p.key, p.given.casefold(), p.name.casefold())), None)
        if person is None:
            self.out(f"No one called «{name}» here: {', '.join(p.key for p in teams.PEOPLE)}.")
            return
        self.user = person
        self.out(f"You are now {self._who()}.")
        if self.card is not None and self._personal_owner(self.card.conversation_id) in (None, person):
            heading = next((line.strip() for line in self.card.lines() if line.strip()), "")
            self.out(f"The last card, in {self._where(self.card.conversation_id)}, is «{heading.lstrip('# ')}»: "
                     "/card shows it again.")

    async def _personal(self, _: str) -> None:
        self.in_channel = False
        self.out(f"You now write in {self.user.given}'s personal chat with the bot.")

    async def _channel(self, _: str) -> None:
        self.in_channel = True
        self.out(f"You now write in the channel «{teams.CHANNEL_NAME}» (the bot is @mentioned).")

    async def _help(self, _: str) -> None:
        self.out(HELP)

    async def _show_card(self, _: str) -> None:
        if self._usable_card():
            self._print_card("the last card", self.card)

    async def _extension(self, _: str) -> None:
        conversation = teams.channel() if self.in_channel else teams.personal(self.user)
        value = {"commandId": EXTENSION_COMMAND, "commandContext": "compose", "context": {"theme": "default"}}
        body = await self._post(teams.activity(self._connector.url, "invoke", self.user, conversation,
                                               name="composeExtension/fetchTask", value=value))
        self._answer(body, CardView({}, conversation["id"], dialog="composeExtension/submitAction"))

    # --- the last card ----------------------------------------------------------------------------------------------
    async def _fill(self, assignment: str) -> None:
        label, sep, value = assignment.partition("=")
        if not sep or not self._usable_card():
            self.out("Write /fill <label>=<value>, e.g. /fill Tittel=Felles rutine for fristbrudd.")
            return
        element = _find(self.card.inputs(), label, lambda e: [e.get("label"), e.get("title"), e.get("id")])
        if element is None:
            self.out(f"The card has no input «{label.strip()}»: "
                     f"{', '.join(e.get('label') or e['id'] for e in self.card.inputs())}.")
            return
        chosen = _input_value(element, value.strip())
        if chosen is None:
            self.out(f"«{value.strip()}» is not a choice of «{element.get('label')}».")
            return
        self.card.values[element["id"]] = chosen
        self.out(input_line(element, self.card.values))

    async def _press(self, which: str) -> None:
        if not self._usable_card():
            return
        actions = self.card.actions()
        number = which.strip("[] ")
        action = actions[int(number) - 1] if number.isdigit() and 0 < int(number) <= len(actions) else \
            _find(actions, which, lambda a: [a.get("title")])
        if action is None:
            self.out(f"The card has no button «{which}»: {', '.join(a.get('title', '?') for a in actions)}.")
            return
        kind, card = action["type"], self.card
        if kind == "Action.ShowCard":
            card.show(action)
            self._print_card(f"«{action['title']}»", card)
        elif kind == "Action.OpenUrl":
            self.out(f"(opens {action.get('url')} in the browser)")
        elif kind == "Action.Execute":
            data = {**({} if action.get("associatedInputs") == "none" else self._inputs()), **action.get("data", {})}
            if self._complete(action):
                body = await self._post(self._invoke(card, "adaptiveCard/action",
                                                     _execute(action["verb"], data, action.get("id"))))
                self._answer(body, card)
        elif kind == "Action.Submit" and self._complete(action):
            await self._submit(card, {**self._inputs(), **(action.get("data") or {})})
        elif kind not in ("Action.Submit", "Action.Execute"):
            self.out(f"({kind} is not something the chat can press)")

    async def _submit(self, card: CardView, data: dict) -> None:
        """Action.Submit: to a dialog's opener, as a task module fetch, or as a message carrying the values."""
        msteams = data.get("msteams") if isinstance(data.get("msteams"), dict) else {}
        if msteams.get("type") == "task/fetch":
            body = await self._post(self._invoke(card, "task/fetch", {"data": data, "context": {"theme": "default"}}))
            self._answer(body, CardView({}, card.conversation_id, dialog="task/submit"))
        elif card.dialog == "composeExtension/submitAction":
            value = {"commandId": EXTENSION_COMMAND, "commandContext": "compose", "data": data}
            self._answer(await self._post(self._invoke(card, card.dialog, value)), card)
        elif card.dialog:
            self._answer(await self._post(self._invoke(card, card.dialog, {"data": data})), card)
        else:
            await self._post(teams.activity(self._connector.url, "message", self.user, self._conversation(card),
                                            value=data, replyToId=card.activity_id))

    def _inputs(self) -> dict:
        values = {}
        for element in self.card.inputs():
            default = str(element.get("valueOff", "false")) if element["type"] == "Input.Toggle" else ""
            values[element["id"]] = self.card.values.get(element["id"], default)
        return values

    def _complete(self, action: dict) -> bool:
        """Teams checks required inputs before it sends anything; so does the chat."""
        if action.get("associatedInputs") == "none":
            return True
        missing = [e for e in self.card.inputs() if e.get("isRequired") and not self.card.values.get(e["id"])]
        for element in missing:
            self.out(f"«{element.get('label') or element['id']}»: {element.get('errorMessage') or 'required'}")
        return not missing

    def _usable_card(self) -> bool:
        """A card in someone else's personal chat is not on this user's screen."""
        if self.card is None:
            self.out("No card yet: write «hjelp» to get one.")
            return False
        owner = self._personal_owner(self.card.conversation_id)
        if owner is not None and owner is not self.user:
            self.out(f"The last card is in {owner.name}'s personal chat: {self.user.name} cannot see it.")
            return False
        return True

    # --- talking to the bot and reading the connector --------------------------------------------------------------
    def _invoke(self, card: CardView, name: str, value: dict) -> dict:
        return teams.activity(self._connector.url, "invoke", self.user, self._conversation(card), name=name,
                              value=value, **({"replyToId": card.activity_id} if card.activity_id else {}))

    def _conversation(self, card: CardView) -> dict:
        if card.conversation_id.startswith(TEAM_ID):
            return teams.channel(card.conversation_id)
        return {"id": card.conversation_id, "conversationType": "personal", "tenantId": teams.TENANT_ID}

    async def _post(self, activity: dict) -> dict | None:
        async with self._session.post(self._url, json=activity) as response:
            body = await response.json() if response.content_type == "application/json" else None
            if response.status >= 400:
                self.out(f"(the bot answered HTTP {response.status}: {body or await response.text()})")
            return body

    def _answer(self, body: dict | None, card: CardView) -> None:
        """An invoke's answer: a refreshed card, a dialog, or a short message."""
        if not isinstance(body, dict):
            return
        if body.get("type") == CARD:
            self.card = CardView(body["value"], card.conversation_id, card.activity_id, card.dialog)
            self._print_card("↻ the card is replaced", self.card, card.conversation_id)
        elif body.get("type") == MESSAGE:
            self.out(f"── {BOT_NAME}: {body.get('value')}")
        elif isinstance(body.get("task"), dict):
            task = body["task"]
            if task.get("type") == "continue":
                self.card = CardView(task["value"]["card"]["content"], card.conversation_id, dialog=card.dialog)
                self._print_card(f"▣ dialog «{task['value'].get('title', '')}»", self.card)
            else:
                self.card = None  # the dialog is gone
                self.out(f"── dialog closed: {task.get('value')}")
        elif int(body.get("statusCode", 200)) >= 400:
            self.out(f"(the bot refused: {body.get('value')})")

    async def _settle(self) -> None:
        """Deliver what the bot queued (the scheduler does the same every few seconds) before printing it."""
        container = self._runner.app[CONTAINER]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_SECONDS
        while True:
            await container.sweep_outbox()
            counts = await container.outbox.counts()
            if not counts.get("pending") and not counts.get("sending") or loop.time() > deadline:
                return
            await asyncio.sleep(0.05)

    def _print_deliveries(self) -> None:
        requests = self._connector.requests
        for record in requests[self._seen:]:
            if not 200 <= record.status < 300 or record.kind not in ("send", "reply", "create", "update"):
                continue
            body = record.body.get("activity") if record.kind == "create" else record.body
            if not isinstance(body, dict):
                continue
            activity_id = record.activity_id if record.kind == "update" else \
                (record.response or {}).get("activityId" if record.kind == "create" else "id")
            self._print_activity(body, record.conversation_id or "", activity_id, record.kind == "update")
        self._seen = len(requests)

    def _print_activity(self, activity: dict, conversation_id: str, activity_id: str | None, update: bool) -> None:
        where = self._where(conversation_id)
        if activity.get("text"):
            self.out(f"── {BOT_NAME} → {where}: {activity['text']}")
        for attachment in activity.get("attachments") or []:
            if attachment.get("contentType") == CARD:
                self.card = CardView(attachment["content"], conversation_id, activity_id)
                self._print_card(f"{BOT_NAME} → {where}" + (" (the card is updated)" if update else ""), self.card)

    def _print_card(self, heading: str, card: CardView, conversation_id: str | None = None) -> None:
        suffix = f" in {self._where(conversation_id)}" if conversation_id else ""
        self.out(f"── {heading}{suffix}")
        for line in card.lines():
            self.out(line)

    def _where(self, conversation_id: str) -> str:
        owner = self._personal_owner(conversation_id)
        if owner is not None:
            return f"{owner.name} (personal chat)"
        return f"#{teams.CHANNEL_NAME}" if conversation_id.startswith(TEAM_ID) else conversation_id

    @staticmethod
    def _personal_owner(conversation_id: str) -> Person | None:
        return next((p for p in teams.PEOPLE if conversation_id in (p.personal_chat_id, f"a:1:1-{p.user_id}")), None)

    def _who(self) -> str:
        where = f"the channel «{teams.CHANNEL_NAME}»" if self.in_channel else "your personal chat with the bot"
        return f"{self.user.name} ({teams.ROLE_NAMES[self.user.key]}), writing in {where}"


def _execute(verb: str, data: dict, action_id: str | None = None) -> dict:
    action = {"type": "Action.Execute", "verb": verb, "data": data, **({"id": action_id} if action_id else {})}
    return {"action": action, "trigger": "manual"}


def _find(items: list[dict], wanted: str, names: Callable[[dict], list]) -> dict | None:
    """By name, ignoring case and «» or quotes; a part of the name is enough when only one name has it."""
    key = wanted.strip().strip("«»\"'").strip().casefold()
    exact = [i for i in items if key in (str(n).casefold() for n in names(i) if n)]
    partly = [i for i in items if any(key in str(n).casefold() for n in names(i) if n)]
    return exact[0] if exact else partly[0] if len(partly) == 1 else None


def _input_value(element: dict, value: str) -> str | None:
    """What Teams would send for what the user chose: a choice's value, a toggle's valueOn/valueOff."""
    if element["type"] == "Input.Toggle":
        on = value.casefold() in ("ja", "yes", "true", "x", "på", "on", "1")
        return str(element.get("valueOn", "true") if on else element.get("valueOff", "false"))
    if element["type"] != "Input.ChoiceSet":
        return value
    wanted = [v.strip() for v in value.split(",")] if element.get("isMultiSelect") else [value]
    chosen = []
    for item in wanted:
        choice = next((c for c in element.get("choices", [])
                       if item.casefold() in (c["title"].casefold(), str(c["value"]).casefold())), None)
        if choice is None:
            return None
        chosen.append(str(choice["value"]))
    return ",".join(chosen)


async def _repl(chat: Chat, echo: bool) -> None:
    loop = asyncio.get_running_loop()
    await chat.start()

    async def background() -> None:
        while True:
            await asyncio.sleep(1)
            await chat.print_background()

    watcher = asyncio.create_task(background())
    try:
        while True:
            prompt = f"{chat.user.given}{'@#' + teams.CHANNEL_NAME if chat.in_channel else ''}> "
            try:
                line = await loop.run_in_executor(None, input, prompt)
            except EOFError:
                break
            if echo:  # input from a file: show what was "typed", for a transcript
                print(line)
            if not await chat.handle(line):
                break
    finally:
        watcher.cancel()
        await chat.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Talk to Rådsbot from a terminal as the demo council would.")
    parser.add_argument("--as", dest="user", default="emma", choices=sorted(teams.PEOPLE_BY_KEY),
                        help="who you are at the start (default: emma, who submits cases)")
    parser.add_argument("--data", type=Path, help="a folder to keep the SQLite database in between runs "
                        "(default: a temporary folder, removed at the end)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="(log) %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: already running" when the chat sweeps too
    try:
        asyncio.run(_repl(Chat(data=args.data, user=args.user), echo=not sys.stdin.isatty()))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
