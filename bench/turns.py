"""Message-turn benchmark: N users at once send ordinary commands (hjelp, mine saker, sakskø as a leader) through
/api/messages, against the stock botbuilder echo bot (one reply per message) served the same way in the same run.

    python -m bench.turns [--users 48] [--turns 2] [--rounds 3] [--database sqlite|postgres] [--profile FILE]

The app: ``tests.e2e.harness.start_bot`` (the real ``create_app`` on 127.0.0.1, the fake Bot Connector, scheduler
off) on a temp SQLite file or, with ``--database postgres``, on database ``radsbot_bench_turns`` (dropped and
recreated through ``test``). Seeded: the team install (the real conversationUpdate), the users as members with a
Teams id, UPN, tenant and locale (every third a leader, the others members), and ``--cases`` submitted cases (by
the users, through ``CaseService.submit``), so «mine saker» and «sakskø» list real rows.

The echo bot: ``bench.echo.stock_echo_app`` — a botbuilder ``ActivityHandler`` replying with the text, behind the
**stock** ``CloudAdapter.process`` (the SDK's own adapter and route), anonymous, on 127.0.0.1 with the same fake
connector as serviceUrl, in the same process and event loop as the app.

Load (identical for both, sent by a child process so that the client does not share the servers' event loop):
each user has a lane in their own 1:1 conversation and sends ``--turns`` messages one after the other: users
0, 3, 6, ... (leaders) «sakskø», 1, 4, ... «mine saker», 2, 5, ... «hjelp»; all lanes are released together.
Latency = request sent -> whole answer read (the reply has been posted to the connector by then); throughput =
requests / wall time. Each answer must be HTTP 201, and afterwards the connector must hold exactly one reply per
message in each conversation (the app's help card, list card or queue card; the echo's text).

Fairness: a warm-up per server (one burst), then ``--rounds`` rounds of echo, app; figures pooled over rounds.
Targets (issue 10): p99 <= 2x the echo's, throughput >= 0.5x. Last line: ``message turn p99 ratio vs echo: X.XX``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from bench.child import ChildClient
from bench.databases import bench_database
from bench.vote_latency import percentile

POSTGRES_BENCH_DB = "radsbot_bench_turns"
REQUEST_TIMEOUT = 30.0
COMMANDS = ("sakskø", "mine saker", "hjelp")  # by user index modulo 3; «sakskø» goes to leaders
TARGETS = {"p99": 2.0, "throughput": 0.5}


def _users(n: int):
    from tests.e2e.teams import User

    return [User(f"bruker-{i:03d}", f"Bruker {i:03d}", f"bruker.{i:03d}@siv-demo.no") for i in range(n)]


async def _seed(bot, users, cases: int) -> None:
    from council.members import Member, Role
    from council.submission import Draft
    from tests.e2e.teams import TENANT, install_in_team

    status, _ = await bot.post(install_in_team(bot.service_url))
    assert status in (200, 201), f"install answered {status}"
    unit = bot.settings.units[0]
    members = []
    async with bot.container.uow() as uow:
        for i, user in enumerate(users):
            member = Member(aad_object_id=user.aad, name=user.name, teams_user_id=user.teams_id, upn=user.upn,
                            tenant_id=TENANT, roles=frozenset({Role.LEADER if i % 3 == 0 else Role.MEMBER}),
                            unit=unit, locale="nb-NO")
            await uow.members.save(member)
            members.append(member)
        await uow.commit()
    for k in range(cases):
        submitted = await bot.container.cases.submit(members[k % len(members)], Draft(
            title=f"Sak {k}: rutine for skanning", description="Forslag til felles rutine.", unit=unit,
            case_type="drofting", submission_key=uuid.uuid4().hex))
        assert getattr(submitted, "created", False), submitted
    await bot.deliver()


def _plan(service_url: str, users, turns: int) -> list[list[dict]]:
    from tests.e2e.teams import message

    return [[message(service_url, user, COMMANDS[i % 3]) for _ in range(turns)] for i, user in enumerate(users)]


async def run_plan(session, url: str, plan: list[list[dict]]) -> dict:
    """All lanes released together; each lane's requests one after the other."""
    import aiohttp

    latencies: list[float] = []
    problems: list[str] = []
    headers = {"Content-Type": "application/json"}

    async def lane(activities: list[dict]) -> None:
        for activity in activities:
            payload = json.dumps(activity).encode()
            started = time.perf_counter()
            try:
                async with session.post(url, data=payload, headers=headers) as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
                if response.status != 201:
                    problems.append(f"HTTP {response.status}")
            except (OSError, TimeoutError, aiohttp.ClientError) as error:
                problems.append(type(error).__name__)

    started = time.perf_counter()
    await asyncio.gather(*(lane(activities) for activities in plan))
    return {"latencies": latencies, "wall": time.perf_counter() - started, "problems": problems}


class Client(ChildClient):
    """The load generator in a child process (bench/child.py)."""

    def __init__(self, connections: int) -> None:
        super().__init__("bench.turns", connections)

    async def run(self, url: str, plan: list[list[dict]]) -> dict:
        return await self.ask({"url": url, "plan": plan})


async def _client_process(connections: int) -> None:
    import aiohttp

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections),
                                     timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)) as session:
        while line := await reader.readline():
            command = json.loads(line)
            sys.stdout.write(json.dumps(await run_plan(session, command["url"], command["plan"])) + "\n")
            sys.stdout.flush()


def _replies_missing(connector, plan: list[list[dict]], before: Counter) -> list[str]:
    """Conversations that did not get exactly one new reply per message sent to them."""
    now = Counter(r.conversation_id for r in connector.requests if r.kind in ("send", "reply") and r.status < 300)
    wrong = []
    for lane in plan:
        conversation = lane[0]["conversation"]["id"]
        if now[conversation] - before[conversation] != len(lane):
            wrong.append(f"{conversation}: {now[conversation] - before[conversation]} replies to {len(lane)}")
    return wrong


async def _bench(args: argparse.Namespace) -> int:
    from bench.echo import serve_echo, stop_servers
    from tests.e2e.harness import start_bot

    logging.getLogger("msrest.serialization").setLevel(logging.ERROR)  # as app.main: noisy about Teams fields
    workdir = Path(tempfile.mkdtemp(prefix="radsbot-turns-"))
    url, where = await bench_database(args.database, POSTGRES_BENCH_DB, workdir)
    users = _users(args.users)
    bot = await start_bot(url)
    echo_runner, echo_url = await serve_echo()
    client = Client(max(100, 2 * args.users))
    samples = {"echo": [], "app": []}
    walls = {"echo": 0.0, "app": 0.0}
    bad: list[str] = []
    profiler = None
    try:
        await client.start()
        await _seed(bot, users, args.cases)
        servers = {"echo": f"{echo_url}/api/messages", "app": f"{bot.url}/api/messages"}

        async def phase(name: str, record: bool) -> None:
            plan = _plan(bot.service_url, users, args.turns)
            before = Counter(r.conversation_id for r in bot.connector.requests
                             if r.kind in ("send", "reply") and r.status < 300)
            if profiler and name == "app" and record:
                profiler.enable()
            result = await client.run(servers[name], plan)
            if profiler and name == "app" and record:
                profiler.disable()
            bad.extend(f"{name}: {p}" for p in result["problems"])
            bad.extend(f"{name}: {p}" for p in _replies_missing(bot.connector, plan, before))
            if record:
                samples[name].append(result["latencies"])
                walls[name] += result["wall"]

        for name in servers:  # connections, caches, first-call paths
            await phase(name, record=False)
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        for _ in range(args.rounds):
            await phase("echo", record=True)
            await phase("app", record=True)
    finally:
        await stop_servers(client, echo_runner, bot)
    if profiler:
        profiler.dump_stats(args.profile)

    rows = {}
    for name in ("echo", "app"):
        pooled = [x for round_ in samples[name] for x in round_]
        rows[name] = {"p50": percentile(pooled, 50), "p99": percentile(pooled, 99), "max": max(pooled),
                      "throughput": len(pooled) / walls[name], "requests": len(pooled)}
    e, a = rows["echo"], rows["app"]
    ratio_p99, ratio_tp = a["p99"] / e["p99"], a["throughput"] / e["throughput"]

    def ms(x: float) -> str:
        return f"{x * 1000:8.1f} ms"

    print("Rådsbot message-turn benchmark (hjelp / mine saker / sakskø vs the stock botbuilder echo bot)")
    print(f"  database:   {where}")
    print(f"  load:       {args.users} users at once, {args.turns} messages each, {args.rounds} round(s) pooled; "
          f"{args.cases} cases seeded; {len(os.sched_getaffinity(0))} CPU(s); client in a child process")
    for k in range(len(samples["app"])):
        print(f"  round {k + 1}:    " + "; ".join(
            f"{name} p50 {percentile(samples[name][k], 50) * 1000:.0f} / p99 "
            f"{percentile(samples[name][k], 99) * 1000:.0f} ms" for name in ("echo", "app")))
    print(f"  {'':18}{'echo':>12}{'app':>12}{'ratio':>8}   target")
    print(f"  {'p50':18}{ms(e['p50']):>12}{ms(a['p50']):>12}{a['p50'] / e['p50']:8.2f}")
    print(f"  {'p99':18}{ms(e['p99']):>12}{ms(a['p99']):>12}{ratio_p99:8.2f}   <= {TARGETS['p99']:g}x  "
          f"{'ok' if ratio_p99 <= TARGETS['p99'] else 'MISSED'}")
    print(f"  {'max':18}{ms(e['max']):>12}{ms(a['max']):>12}")
    print(f"  {'throughput':18}{e['throughput']:10.1f}/s{a['throughput']:10.1f}/s{ratio_tp:8.2f}   "
          f">= {TARGETS['throughput']:g}x  {'ok' if ratio_tp >= TARGETS['throughput'] else 'MISSED'}")
    print(f"  requests:   echo {e['requests']}, app {a['requests']} (plus one warm-up burst each); "
          f"problems: {len(bad)}")
    for problem, count in Counter(bad).most_common(5):
        print(f"    {count} x {problem}")
    print(f"message turn p99 ratio vs echo: {ratio_p99:.2f}")
    return 1 if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=48)
    parser.add_argument("--turns", type=int, default=2, help="messages per user per round, one after the other")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=int, default=12)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--profile", metavar="FILE", help="cProfile of the app's measured phases")
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        asyncio.run(_client_process(args.client))
        return
    sys.exit(asyncio.run(_bench(args)))


if __name__ == "__main__":
    main()
