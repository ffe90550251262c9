"""Fuzzing POST /api/messages over HTTP: whatever arrives, the bot never answers 5xx and stays healthy.

Two deterministic fuzzers: a seeded random.Random generator (mutated real Teams activities, random JSON and
random bytes) and hypothesis with derandomize=True (shrinks a failure to a minimal payload). Valid-looking
serviceUrls always point at the fake connector, so an upstream 502 is never expected."""
from __future__ import annotations

import json
import random
import time
from collections import Counter
from dataclasses import dataclass

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.teams import (
    BOT_ID,
    EMMA,
    EVERYONE,
    KARI,
    TEAM_ID,
    TENANT,
    card_of,
    execute,
    install_in_team,
    install_personal,
    message,
    personal_conversation,
    sent_card,
    texts_in,
)

SEED = 1234
CASES = 300
REQUEST_TIMEOUT = 10.0
CONNECTOR = "@@connector@@"  # replaced by the fake connector's URL when the payload is sent

VERBS = ["help.show", "roles.assign", "roles.sync", "roles.show", "no.such.verb", "", "HELP.SHOW"]
INVOKE_NAMES = ["adaptiveCard/action", "adaptiveCard/action", "adaptiveCard/action", "healthCheck",
                "task/fetch", "task/submit", "composeExtension/query", "signin/verifyState",
                "signin/tokenExchange", "fileConsent/invoke", "actionableMessage/executeAction", "config/fetch"]
TYPES = ["message"] * 4 + ["invoke"] * 4 + ["conversationUpdate"] * 2 + [
    "installationUpdate", "messageReaction", "event", "typing", "endOfConversation", "messageUpdate",
    "messageDelete", "contactRelationUpdate", "trace", "handoff", "command", "Message", "INVOKE", "x"]
TEXTS = ["hjelp", "help", "?", "meny", "roller", "medlemmer og roller", "sett rolle", "avbryt", "stopp",
         "<at>Kontorfaglig råd</at> hjelp", "<at>", "</at>", "  HJELP!!  ", "hva er klokka?", "", " ",
         "\x00", "💥" * 50, "ø" * 3000, "' OR 1=1 --", "%s%s%n", "{{x}}", "\u202e\u200b", "\ud7ff"]
GARBAGE_URLS = ["ftp://x/", "javascript:alert(1)", "", "127.0.0.1", "//127.0.0.1/", "file:///etc/passwd",
                "mailto:a@b", "HTTP://", 17, None, [], {}]
# Reaches nothing without leaving loopback; a closed port answers "connection refused" at once.
DEAD_URLS = ["http://", "https://", "http://127.0.0.1:1/", "http://[::1]:1/", "http://127.0.0.1:1/%00/"]


@dataclass
class Outcome:
    payload: object
    status: int
    took: float


def acceptable(payload: object, status: int) -> bool:
    if status < 500:
        return True
    # The Bot Framework's documented answer to an invoke the bot does not implement (not a crash).
    return (status == 501 and isinstance(payload, dict) and payload.get("type") == "invoke"
            and payload.get("name") != "adaptiveCard/action")


# --- seeded generator -------------------------------------------------------------------------------------

class Fuzzer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def string(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            return r.choice(TEXTS)
        if roll < 0.8:
            alphabet = "abcæøå ÆØÅ<>/@:;.-_\"'\\\n\t\x00\x7f\u2028😀"
            return "".join(r.choice(alphabet) for _ in range(r.randint(0, 40)))
        return "".join(chr(r.randint(1, 0xD7FF)) for _ in range(r.randint(1, 20)))

    def scalar(self) -> object:
        r = self.rng
        return r.choice([
            None, True, False, 0, -1, 2 ** 63, 10 ** 30, 1.5, -0.0, 1e308, self.string(), self.string(),
        ])

    def json_value(self, depth: int = 0) -> object:
        r = self.rng
        if depth > 4 or r.random() < 0.45:
            return self.scalar()
        if r.random() < 0.5:
            return [self.json_value(depth + 1) for _ in range(r.randint(0, 4))]
        return {self.key(): self.json_value(depth + 1) for _ in range(r.randint(0, 5))}

    def key(self) -> str:
        keys = ["id", "name", "type", "text", "value", "verb", "data", "action", "tenant", "team", "channel",
                "aadObjectId", "conversationType", "eventType", "mentioned", "tenantId", "isGroup", "role"]
        return self.rng.choice(keys) if self.rng.random() < 0.7 else self.string()[:12]

    def maybe(self, good: object, p_good: float = 0.7) -> object:
        return good if self.rng.random() < p_good else self.json_value()

    def account(self) -> object:
        r = self.rng
        user = r.choice(EVERYONE)
        good = r.choice([user.account(), {"id": BOT_ID}, {"id": self.string()},
                         {"id": user.teams_id, "aadObjectId": self.string(), "name": self.string()},
                         {"id": user.teams_id, "aadObjectId": "z" * r.choice([63, 64, 65, 300])},
                         {"id": user.teams_id, "name": "a\x00b", "aadObjectId": f"aad-{r.randint(0, 9)}"},
                         {}])
        return self.maybe(good, 0.85)

    def conversation(self) -> object:
        r = self.rng
        good = r.choice([personal_conversation(r.choice(EVERYONE)),
                         {"id": f"{TEAM_ID};messageid=root-{r.randint(1, 3)}", "conversationType": "channel",
                          "isGroup": True},
                         {"id": self.string() or "c", "conversationType": self.maybe("groupChat", 0.5)},
                         {"id": "c\x00;messageid=x"}, {"id": "x" * 2000}])
        if isinstance(good, dict) and r.random() < 0.8:
            good = {**good, "tenantId": r.choice([TENANT, TENANT, "other", None, 5])}
        return self.maybe(good, 0.85)

    def channel_data(self) -> object:
        r = self.rng
        good = r.choice([
            {"tenant": {"id": TENANT}},
            {"tenant": {"id": TENANT}, "team": {"id": TEAM_ID, "name": "Råd"}, "channel": {"id": TEAM_ID}},
            {"tenant": {"id": TENANT}, "team": {"id": TEAM_ID}, "eventType": r.choice(
                ["teamMemberAdded", "teamMemberRemoved", "channelCreated", "teamRenamed", "teamDeleted", "x"])},
            {"tenant": self.json_value(), "team": self.json_value(), "eventType": self.json_value()},
            {},
        ])
        return self.maybe(good, 0.8)

    def value(self) -> object:
        r = self.rng
        action = {"type": self.maybe("Action.Execute", 0.8), "verb": self.maybe(r.choice(VERBS), 0.8),
                  "data": self.maybe({"person": r.choice(EVERYONE).aad, "roles": r.choice(["member", "leader", ""]),
                                      "unit": self.string()}, 0.6)}
        return r.choice([{"action": action, "trigger": "manual"}, {"action": action}, {"verb": r.choice(VERBS)},
                         {"action": self.json_value()}, self.json_value(), None])

    def service_url(self) -> object:
        roll = self.rng.random()
        if roll < 0.85:
            return CONNECTOR
        return self.rng.choice(DEAD_URLS if roll < 0.92 else GARBAGE_URLS)

    def activity(self) -> dict:
        r = self.rng
        user = r.choice(EVERYONE)
        base = r.choice([
            lambda: message(CONNECTOR, user, self.string(), channel=r.random() < 0.3),
            lambda: execute(CONNECTOR, user, r.choice(VERBS), channel=r.random() < 0.3),
            lambda: install_in_team(CONNECTOR, user),
            lambda: install_personal(CONNECTOR, user),
        ])()
        base["id"] = f"fuzz-{r.randint(0, 40)}"  # collisions exercise the duplicate guard
        fields = {
            "type": lambda: r.choice(TYPES) if r.random() < 0.9 else self.json_value(),
            "name": lambda: r.choice(INVOKE_NAMES) if r.random() < 0.8 else self.json_value(),
            "text": lambda: self.string() if r.random() < 0.8 else self.json_value(),
            "value": self.value,
            "from": self.account,
            "recipient": self.account,
            "conversation": self.conversation,
            "channelData": self.channel_data,
            "serviceUrl": self.service_url,
            "entities": lambda: r.choice([
                [{"type": "mention", "mentioned": self.account(), "text": self.string()}],
                [{"type": self.json_value()}], [self.json_value()], self.json_value()]),
            "membersAdded": lambda: r.choice([[{"id": BOT_ID}], [self.account()], [], self.json_value()]),
            "membersRemoved": lambda: r.choice([[{"id": BOT_ID}], [self.account()], self.json_value()]),
            "locale": lambda: r.choice(["nb-NO", "en-US", "nn-NO", "", "xx", "nb"]) if r.random() < 0.8
            else self.json_value(),
            "deliveryMode": lambda: r.choice(["expectReplies", "normal", "notification", self.string()]),
            "attachments": lambda: self.json_value(),
            "replyToId": lambda: self.maybe(self.string(), 0.8),
            "timestamp": lambda: r.choice(["2026-11-26T10:00:00.000Z", "2026-02-30T25:00:00Z", self.string()]),
            "channelId": lambda: r.choice(["msteams", "emulator", "webchat", self.string()]),
            "action": lambda: r.choice(["add", "remove", self.string()]),
            self.string()[:10] or "extra": self.json_value,
        }
        for key in r.sample(sorted(fields, key=str), r.randint(1, 4)):
            if r.random() < 0.1:
                base.pop(key, None)
            else:
                base[key] = fields[key]()
        if base.get("type") == "invoke" and r.random() < 0.5:
            base.setdefault("name", "adaptiveCard/action")
        return base

    def raw_bytes(self) -> bytes:
        r = self.rng
        roll = r.random()
        if roll < 0.4:
            return r.randbytes(r.randint(0, 600))
        text = json.dumps(self.activity())
        if roll < 0.8:  # a real activity, damaged
            cut = r.randint(0, len(text))
            return (text[:cut] + r.choice(["", "}", "]", "\x00", "\\", '"', "\ud800"]) + text[cut + 1:]).encode(
                "utf-8", "surrogatepass")
        return text.encode(r.choice(["utf-16", "utf-32", "latin-1", "utf-8-sig"]), "replace")

    def case(self) -> tuple[str, object]:
        roll = self.rng.random()
        if roll < 0.65:
            return "activity", self.activity()
        if roll < 0.8:
            return "json", self.json_value()
        return "bytes", self.raw_bytes()


# --- driving ----------------------------------------------------------------------------------------------

def _encode(payload: object, service_url: str) -> bytes:
    if isinstance(payload, bytes):
        return payload.replace(CONNECTOR.encode(), service_url.encode())
    return json.dumps(payload, ensure_ascii=False).replace(CONNECTOR, service_url).encode("utf-8",
                                                                                      "surrogatepass")


async def _send(bot, session: aiohttp.ClientSession, payload: object) -> Outcome:
    started = time.monotonic()
    try:
        async with session.post(f"{bot.url}/api/messages", data=_encode(payload, bot.service_url),
                                headers={"Content-Type": "application/json"}) as response:
            await response.read()
            status = response.status
    except TimeoutError:
        status = 599  # a hang is as bad as a 5xx
    return Outcome(payload, status, time.monotonic() - started)


def _report(bad: list[Outcome]) -> str:
    lines = [f"{len(bad)} unacceptable answers, first ones:"]
    for o in bad[:5]:
        lines.append(f"  {o.status} after {o.took:.2f}s for {json.dumps(o.payload, default=repr)[:600]}")
    return "\n".join(lines)


async def _still_healthy(bot) -> None:
    status, health = await bot.get("/healthz")
    assert status == 200 and health["database"] == "ok", health
    before = len(bot.connector.sent(personal_conversation(KARI)["id"]))
    fresh = message(bot.service_url, KARI, "hjelp")
    fresh["id"] = "after-the-fuzz"
    status, _ = await bot.post(fresh)
    assert status == 201
    replies = bot.connector.sent(personal_conversation(KARI)["id"])[before:]
    assert len(replies) == 1 and "Dette kan du gjøre" in texts_in(sent_card(replies[0]))
    status, body = await bot.post(execute(bot.service_url, EMMA, "help.show"))
    assert status == 200 and "Dette kan du gjøre" in texts_in(card_of(body))


async def test_seeded_fuzzing_never_gets_a_5xx_and_the_bot_stays_healthy(bot):
    fuzzer = Fuzzer(SEED)
    cases = [fuzzer.case() for _ in range(CASES)]
    outcomes: list[Outcome] = []
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for _, payload in cases:
            outcomes.append(await _send(bot, session, payload))

    bad = [o for o in outcomes if not acceptable(o.payload, o.status)]
    assert not bad, _report(bad)
    assert max(o.took for o in outcomes) < REQUEST_TIMEOUT
    # The generator must reach the bot's logic, not only the 400 gate, or this test proves little.
    statuses = Counter(o.status for o in outcomes)
    kinds = Counter(kind for kind, _ in cases)
    assert statuses[400] >= 50 and statuses[200] + statuses[201] >= 50, statuses
    assert kinds["activity"] >= 150 and kinds["json"] >= 20 and kinds["bytes"] >= 20, kinds
    assert bot.connector.sent(), "no fuzzed activity was ever answered through the connector"
    await _still_healthy(bot)


def test_the_seeded_fuzzer_is_deterministic():
    a, b = Fuzzer(SEED), Fuzzer(SEED)
    assert [_encode(a.case()[1], "u") for _ in range(CASES)] == [_encode(b.case()[1], "u") for _ in range(CASES)]


# --- hypothesis -------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
accounts = st.one_of(st.sampled_from([u.account() for u in EVERYONE] + [{"id": BOT_ID}]),
                     st.fixed_dictionaries({"id": st.text()}, optional={"name": st.text(), "aadObjectId": st.text()}),
                     json_values)
conversations = st.one_of(
    st.sampled_from([personal_conversation(EMMA), {"id": f"{TEAM_ID};messageid=r", "conversationType": "channel"}]),
    st.fixed_dictionaries({"id": st.text(min_size=1)},
                          optional={"tenantId": st.sampled_from([TENANT, "other"]) | st.text(),
                                    "conversationType": st.text(), "isGroup": json_values}),
    json_values,
)
execute_values = st.fixed_dictionaries({"action": st.fixed_dictionaries(
    {"type": st.just("Action.Execute") | st.text(), "verb": st.sampled_from(VERBS) | st.text()},
    optional={"data": json_values})}, optional={"trigger": st.text()})
BASES = [
    message(CONNECTOR, EMMA, "hjelp"), message(CONNECTOR, KARI, "roller", channel=True),
    execute(CONNECTOR, EMMA, "help.show"), execute(CONNECTOR, KARI, "roles.sync", channel=True),
    install_in_team(CONNECTOR), install_personal(CONNECTOR, EMMA),
]
MUTATIONS = {
    "type": st.sampled_from(TYPES) | json_values,
    "serviceUrl": st.just(CONNECTOR) | st.sampled_from(DEAD_URLS + GARBAGE_URLS) | json_values,
    "conversation": conversations,
    "id": st.text(max_size=20) | json_values,
    "name": st.sampled_from(INVOKE_NAMES) | json_values,
    "text": st.sampled_from(TEXTS) | st.text() | json_values,
    "value": execute_values | json_values,
    "from": accounts,
    "recipient": accounts,
    "channelData": st.fixed_dictionaries({}, optional={"tenant": st.just({"id": TENANT}) | json_values,
                                                       "team": st.just({"id": TEAM_ID}) | json_values,
                                                       "eventType": st.text()}) | json_values,
    "entities": st.lists(st.fixed_dictionaries({"type": st.just("mention") | st.text()},
                                               optional={"mentioned": accounts, "text": st.text()}),
                         max_size=2) | json_values,
    "membersAdded": st.lists(accounts, max_size=2) | json_values,
    "locale": st.sampled_from(["nb-NO", "en-US"]) | st.text(max_size=8) | json_values,
    "deliveryMode": st.sampled_from(["expectReplies", "normal"]) | json_values,
}
_field_and_value = st.sampled_from(sorted(MUTATIONS)).flatmap(lambda key: st.tuples(st.just(key), MUTATIONS[key]))


def _mutated(base: dict, changes: list[tuple[str, object]]) -> dict:
    activity = json.loads(json.dumps(base))
    activity.update(dict(changes))
    return activity


# A real Teams activity with one to three fields replaced, so most examples get past the 400 gate.
activities = st.builds(_mutated, st.sampled_from(BASES), st.lists(_field_and_value, min_size=1, max_size=3))
payloads = st.one_of(activities, activities, activities, json_values, st.binary(max_size=300))


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(payload=payloads)
async def test_hypothesis_payloads_never_get_a_5xx(bot, payload):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)) as session:
        outcome = await _send(bot, session, payload)
    assert acceptable(payload, outcome.status), _report([outcome])
