"""Vote latency benchmark: N concurrent voters casting and changing votes through /api/messages, against a
minimal botbuilder echo bot served the same way on the same machine in the same run.

    python -m bench.vote_latency [--voters 50] [--database sqlite|postgres] [--rounds 4] [--single 60]

The app: ``tests.e2e.harness.start_bot`` (the real ``create_app`` on 127.0.0.1, the fake Bot Connector, scheduler
off) on a temp SQLite file or, with ``--database postgres``, on database ``radsbot_bench_votes`` (dropped and
recreated through ``test``). The council is seeded directly: the team is installed (the real conversationUpdate,
so the channel reference exists), N members with the MEMBER role, a Teams id, UPN, tenant and locale (so no
invoke needs a roster look-up or a member write, as in steady production use) are saved through the members
repository, and the leader opens one named vote with the real ``vote.open`` invoke; its card is delivered. During
the run a background task calls ``container.sweep_outbox()`` in a loop (0.1 s pause between sweeps: what
``VoteService.wake`` -> ``kick`` does in production), so the card UPDATEs flow as in production; only invoke
latency is measured.

The echo bot: ``bench.echo.stock_echo_app``, a botbuilder ``ActivityHandler`` whose ``on_adaptive_card_invoke``
returns a small ``AdaptiveCardInvokeResponse`` card (``on_message`` echoes), on the **stock** SDK adapter
(``CloudAdapter(ConfigurationBotFrameworkAuthentication(...))``, anonymous; invokes through ``process_activity``
with the body serialised once, since the SDK's ``CloudAdapter.process`` answers them 500), on 127.0.0.1 with the
same fake connector as serviceUrl, in the same process and event loop as the app, the connector and the outbox loop.
A speed-up of our own adapter (``bot/adapter.py``) therefore counts in the app's favour.

Load (identical for both): Teams-shaped ``adaptiveCard/action`` invokes (``vote.cast`` from the channel card,
distinct activity ids) over one aiohttp session (connection limit >= 2N), sent by a child process
(``--client``, fed one plan per phase on stdin) so that the load generator does not share the servers' event loop;
``--in-process-client`` runs it in the servers' loop instead. Concurrent phase: N asyncio tasks
released together, each casting then changing its vote (2 invokes, choices varied so that every request is a real
change); latency is the time from sending the request to having read the whole answer; throughput = requests /
wall time of the phase. Single phase: ``--single`` invokes one after another (no concurrency) -> median.

Fairness: after a warm-up (5 invokes one at a time, then one burst of N, each), ``--rounds`` rounds run, each
interleaved echo, app (concurrent), echo, app (single); the figures pool every round's samples (percentiles over
all of them, throughput = all requests / summed wall time), so drift and a noisy moment hit both servers.
Per-round figures are printed too.

Ballots: after the run the vote's tally (``VoteService.view``) and ballots (repository) must hold exactly the N
voters with the choice each voter's last request sent; history rows must equal the accepted changes. Exit status
1 when a ballot is lost or duplicated or a request failed. The last line is ``p99 ratio vs echo: X.XX`` (app p99 /
echo p99 at N concurrent voters).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.child import ChildClient
from bench.databases import bench_database

POSTGRES_BENCH_DB = "radsbot_bench_votes"
DEADLINE_SECONDS = 110.0  # the whole run must stay under two minutes
REQUEST_TIMEOUT = 30.0
WARMUP = 5
OUTBOX_PAUSE = 0.1
CHOICES = ("enig", "uenig", "avstar", "enig_med_merknader")  # council.votes.Choice values
TARGETS = {"p99": 2.0, "throughput": 0.5, "single": 2.0}


# ------------------------------------------------------------------------------------------------ figures


def percentile(samples: list[float], p: float) -> float:
    """Nearest rank: the smallest sample with at least p % of the samples at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)  # seconds
    wall: float = 0.0
    failed: int = 0
    window: tuple[float, float] = (0.0, 0.0)  # time.monotonic() around the phase (same clock as the connector)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.wall if self.wall else 0.0


@dataclass
class Server:
    name: str
    url: str
    concurrent: list[Phase] = field(default_factory=list)
    single: list[Phase] = field(default_factory=list)

    def pooled(self, phases: list[Phase]) -> Phase:
        return Phase([x for p in phases for x in p.latencies], sum(p.wall for p in phases),
                     sum(p.failed for p in phases))


# ------------------------------------------------------------------------------------------------ the echo bot


# ------------------------------------------------------------------------------------------------ the council


def _voters(n: int):
    from tests.e2e.teams import User

    return [User(f"velger-{i:03d}", f"Velger {i:03d}", f"velger.{i:03d}@siv-demo.no") for i in range(n)]



async def _council(bot, voters) -> int:
    """Install in the team, seed the voters, open one named vote as the leader, deliver its card."""
    from council.members import Member, Role
    from tests.e2e.teams import KARI, TEAM_ID, TENANT, card_of, execute, install_in_team, texts_in

    status, _ = await bot.post(install_in_team(bot.service_url))
    assert status in (200, 201), f"install answered {status}"
    unit = bot.settings.units[0]
    async with bot.container.uow() as uow:
        for user in voters:  # what the roster fetch and a first activity would have stored
            await uow.members.save(Member(aad_object_id=user.aad, name=user.name, teams_user_id=user.teams_id,
                                          upn=user.upn, tenant_id=TENANT, roles=frozenset({Role.MEMBER}),
                                          unit=unit, locale="nb-NO"))
        await uow.commit()
    question = "Skal rådet sende høringssvaret?"
    status, body = await bot.post(execute(bot.service_url, KARI, "vote.open", {
        "hearing_id": "", "question": question, "proposal": "Rådet slutter seg til forslaget.",
        "deadline_date": "2026-11-30", "deadline_time": "12:00", "secret": "false", "live_tally": "true",
        "quorum": "more_than_half", "majority": "simple"}))
    assert status == 200 and question in texts_in(card_of(body)), f"vote.open answered {status}"
    [vote] = await bot.container.votes.open_votes()
    assert len(vote.entitled) == len(voters), (len(vote.entitled), len(voters))
    report = await bot.deliver()
    assert report.delivered >= 1 and bot.connector.sent(TEAM_ID), "the vote card was not delivered"
    return vote.id


# ------------------------------------------------------------------------------------------------ the load


class Load:
    """Builds the invokes and remembers, per voter, the choice of its last accepted request."""

    def __init__(self, client: "Client", service_url: str, voters, vote_id: int) -> None:
        self.client = client
        self.service_url = service_url
        self.voters = voters
        self.vote_id = vote_id
        self.turn = [0] * len(voters)  # per voter: requests sent to the app so far (choices rotate by it)
        self.last_sent: dict[str, str] = {}
        self.app_changes = 0  # accepted app casts (each one changes the voter's choice)
        self.bad: list[str] = []

    def activity(self, i: int, for_app: bool) -> dict:
        from tests.e2e.teams import execute

        k = self.turn[i]
        if for_app:
            self.turn[i] += 1
        choice = CHOICES[(i + k) % len(CHOICES)]
        data = {"vote_id": str(self.vote_id), "choice": choice,
                f"comment_{self.vote_id}": "Presiser kapittel 3." if choice == "enig_med_merknader" else ""}
        return execute(self.service_url, self.voters[i], "vote.cast", data, channel=True)

    async def run(self, server: Server, lanes: list[list[int]], concurrent: bool) -> Phase:
        """lanes: voter indexes; each lane's invokes go one after the other, lanes run side by side when
        `concurrent` (else everything is sequential)."""
        for_app = server.name == "app"
        plan = [[self.activity(i, for_app) for i in lane] for lane in lanes]
        began = time.monotonic()
        result = await self.client.run(f"{server.url}/api/messages", plan, concurrent, for_app)
        phase = Phase(result["latencies"], result["wall"], window=(began, time.monotonic()))
        for lane, problems in zip(plan, result["problems"], strict=True):
            for activity, problem in zip(lane, problems, strict=True):
                if problem:
                    phase.failed += 1
                    self.bad.append(f"{server.name}: {problem}")
                elif for_app:
                    self.last_sent[activity["from"]["aadObjectId"]] = activity["value"]["action"]["data"]["choice"]
                    self.app_changes += 1
        return phase


def _check_answer(status: int, raw: bytes, for_app: bool) -> str | None:
    from tests.e2e.teams import texts_in

    if status != 200:
        return f"HTTP {status}"
    try:
        body = json.loads(raw)
    except ValueError:
        return "not JSON"
    if body.get("statusCode") != 200 or body.get("type") != "application/vnd.microsoft.card.adaptive":
        return f"not a card: {str(body)[:120]}"
    if "Du har stemt" not in texts_in(body["value"]):
        return f"the card does not confirm the vote: {texts_in(body['value'])[:160]!r}"
    return None


async def run_plan(session, url: str, plan: list[list[dict]], concurrent: bool, for_app: bool) -> dict:
    """Send the plan and time every request (send -> whole answer read); answers are checked afterwards."""
    import aiohttp

    latencies: list[float] = []
    answers: list[list[tuple[int, bytes] | str]] = [[] for _ in plan]
    payloads = [[json.dumps(activity).encode() for activity in lane] for lane in plan]
    headers = {"Content-Type": "application/json"}

    async def lane(n: int) -> None:
        for payload in payloads[n]:
            started = time.perf_counter()
            try:
                async with session.post(url, data=payload, headers=headers) as response:
                    raw = await response.read()
                latencies.append(time.perf_counter() - started)
                answers[n].append((response.status, raw))
            except (OSError, TimeoutError, aiohttp.ClientError) as error:
                answers[n].append(type(error).__name__)

    started = time.perf_counter()
    if concurrent:
        tasks = [asyncio.create_task(lane(n)) for n in range(len(plan))]  # released together
        await asyncio.gather(*tasks)
    else:
        for n in range(len(plan)):
            await lane(n)
    wall = time.perf_counter() - started
    problems = [[a if isinstance(a, str) else _check_answer(*a, for_app) for a in lane_answers]
                for lane_answers in answers]
    return {"latencies": latencies, "wall": wall, "problems": problems}


class Client:
    """The load generator: in this process, or (default) in a child process (bench/child.py) so that it does
    not take the servers' CPU."""

    def __init__(self, in_process: bool, connections: int) -> None:
        self.in_process = in_process
        self.connections = connections
        self._session = None
        self._child = None if in_process else ChildClient("bench.vote_latency", connections)

    async def start(self) -> None:
        if self._child is None:
            self._session = _session(self.connections)
            return
        await self._child.start()

    async def run(self, url: str, plan: list[list[dict]], concurrent: bool, for_app: bool) -> dict:
        if self._child is None:
            return await run_plan(self._session, url, plan, concurrent, for_app)
        return await self._child.ask({"url": url, "plan": plan, "concurrent": concurrent, "for_app": for_app})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._child is not None:
            await self._child.close()


def _session(connections: int):
    import aiohttp

    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections),
                                 timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT))


async def _client_process(connections: int) -> None:
    """--client: read one plan per line on stdin, answer one result per line on stdout, until EOF."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    async with _session(connections) as session:
        while line := await reader.readline():
            command = json.loads(line)
            result = await run_plan(session, command["url"], command["plan"], command["concurrent"],
                                    command["for_app"])
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()


async def _concurrent(load: Load, server: Server) -> Phase:
    """N voters released together; each casts, then changes its vote (its two invokes one after the other)."""
    return await load.run(server, [[i, i] for i in range(len(load.voters))], concurrent=True)


async def _single(load: Load, server: Server, count: int, offset: int) -> Phase:
    """One invoke at a time; for the app each is a real change of some voter's choice."""
    return await load.run(server, [[(offset + k) % len(load.voters)] for k in range(count)], concurrent=False)


async def _outbox_loop(bot, stop: asyncio.Event, stats: dict) -> None:
    """The outbox job over and over while the load runs (production: every cast wakes it)."""
    while not stop.is_set():
        try:
            report = await bot.container.sweep_outbox()
            stats["sweeps"] += 1
            stats["delivered"] += report.delivered
        except Exception as error:  # keep delivering; report it
            stats["errors"][type(error).__name__] += 1
        try:
            await asyncio.wait_for(stop.wait(), OUTBOX_PAUSE)
        except TimeoutError:
            pass


def _updates_during(connector, windows: list[tuple[float, float]]) -> dict:
    """Card UPDATEs the connector accepted inside the given phases, and the longest stretch without one."""
    times = sorted(r.at for r in connector.requests if r.kind == "update" and 200 <= r.status < 300)
    updates, gap = 0, 0.0
    for start, end in windows:
        inside = [t for t in times if start <= t <= end]
        updates += len(inside)
        marks = [start, *inside, end]
        gap = max(gap, max(b - a for a, b in zip(marks, marks[1:], strict=False)))
    return {"updates": updates, "gap": gap, "seconds": sum(end - start for start, end in windows)}


# ------------------------------------------------------------------------------------------------ ballots


async def _ballots(bot, load: Load) -> dict:
    from sqlalchemy import func, select

    from storage.tables import vote_ballot_history
    from tests.e2e.teams import KARI

    leader = next(m for m in await bot.container.members.members() if m.aad_object_id == KARI.aad)
    view = await bot.container.votes.view(leader, load.vote_id)
    async with bot.container.uow() as uow:
        stored = await uow.votes.ballots(load.vote_id)
        history = (await uow.session.execute(select(func.count()).select_from(vote_ballot_history)
                                             .where(vote_ballot_history.c.vote_id == load.vote_id))).scalar_one()
    per_voter = Counter(b.voter for b in stored)
    final = {b.voter: b.choice.value for b in stored}
    expected = load.last_sent
    lost = sorted(v for v in expected if final.get(v) != expected[v])
    strangers = sorted(set(final) - set(expected))
    duplicated = sum(n - 1 for n in per_voter.values() if n > 1) + max(0, view.tally.voted - len(expected)) \
        + len(strangers)
    tally_counts = {c.value: n for c, n in view.tally.counts.items() if n}
    expected_counts = dict(Counter(expected.values()))
    return {"lost": lost, "duplicated": duplicated, "voted": view.tally.voted, "ballots": len(stored),
            "voters": len(expected), "tally": tally_counts, "expected": expected_counts,
            "tally_ok": tally_counts == expected_counts and view.tally.voted == len(expected),
            "history": history, "changes": load.app_changes}


# ------------------------------------------------------------------------------------------------ the run


async def _bench(args: argparse.Namespace) -> int:
    from bench.echo import serve_echo, stop_servers
    from tests.e2e.harness import start_bot

    logging.getLogger("msrest.serialization").setLevel(logging.ERROR)  # as app.main: noisy about Teams fields
    bench_started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="radsbot-votes-"))
    url, where = await bench_database(args.database, POSTGRES_BENCH_DB, workdir)
    voters = _voters(args.voters)
    bot = await start_bot(url)
    echo_runner, echo_url = await serve_echo()
    client = Client(args.in_process_client, max(100, 2 * args.voters))
    stop = asyncio.Event()
    outbox_stats = {"sweeps": 0, "delivered": 0, "errors": Counter()}
    outbox_task = None
    profiler = None
    try:
        await client.start()
        vote_id = await _council(bot, voters)
        seeded = time.monotonic()
        load = Load(client, bot.service_url, voters, vote_id)
        app, echo = Server("app", bot.url), Server("echo", echo_url)
        outbox_task = asyncio.create_task(_outbox_loop(bot, stop, outbox_stats))
        for server in (echo, app):  # a few one at a time, then one burst: connections, caches, first-call paths
            await load.run(server, [[k % len(voters)] for k in range(WARMUP)], concurrent=False)
            await load.run(server, [[i] for i in range(len(voters))], concurrent=True)
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        offset = WARMUP
        for _ in range(args.rounds):
            echo.concurrent.append(await _concurrent(load, echo))
            if profiler:
                profiler.enable()
            app.concurrent.append(await _concurrent(load, app))
            if profiler:
                profiler.disable()
            echo.single.append(await _single(load, echo, args.single, offset))
            if profiler:
                profiler.enable()
            app.single.append(await _single(load, app, args.single, offset))
            if profiler:
                profiler.disable()
            offset += args.single
            if time.monotonic() - bench_started > DEADLINE_SECONDS:
                print(f"  (stopped after {len(app.concurrent)} round(s): {DEADLINE_SECONDS:g} s budget)")
                break
        measured = time.monotonic()
        stop.set()
        await outbox_task
        outbox_task = None
        await bot.deliver()  # what is still queued goes out, so the end state is the production one
        ballots = await _ballots(bot, load)
        async with bot.container.uow() as uow:
            outbox_counts = await uow.outbox.counts()
        card_updates = len(bot.connector.updates())
        during = _updates_during(bot.connector, [p.window for p in app.concurrent])
    finally:
        stop.set()
        if outbox_task is not None:
            outbox_task.cancel()
        await stop_servers(client, echo_runner, bot)
    if profiler:
        profiler.dump_stats(args.profile)

    # ------------------------------------------------------------------------------------- the report
    n = args.voters
    rows = {}
    for server in (echo, app):
        c, s = server.pooled(server.concurrent), server.pooled(server.single)
        rows[server.name] = {"single": statistics.median(s.latencies) if s.latencies else float("nan"),
                             "p50": percentile(c.latencies, 50) if c.latencies else float("nan"),
                             "p99": percentile(c.latencies, 99) if c.latencies else float("nan"),
                             "max": max(c.latencies, default=float("nan")),
                             "throughput": c.throughput, "failed": c.failed + s.failed,
                             "requests": c.requests, "singles": s.requests}
    a, e = rows["app"], rows["echo"]
    ratio_p99 = a["p99"] / e["p99"]
    ratio_tp = a["throughput"] / e["throughput"]
    ratio_single = a["single"] / e["single"]

    def ms(x: float) -> str:
        return f"{x * 1000:7.1f} ms"

    rounds = len(app.concurrent)
    print("Rådsbot vote latency benchmark (vote.cast invokes through /api/messages; echo bot as the yardstick)")
    print(f"  database:        {where}")
    print(f"  voters:          {n} concurrent (each casts, then changes: 2 invokes); single phase: {args.single} "
          f"sequential invokes; {rounds} interleaved round(s), figures pooled over them")
    print(f"  machine:         {len(os.sched_getaffinity(0))} CPU(s); app, echo bot, fake connector and outbox loop "
          "share one process and event loop; the load generator runs "
          + ("in it too (--in-process-client)" if args.in_process_client else "in a child process"))
    for k in range(rounds):
        parts = []
        for server in (echo, app):
            c, s = server.concurrent[k], server.single[k]
            parts.append(f"{server.name} p50 {percentile(c.latencies, 50) * 1000:.0f} / p99 "
                         f"{percentile(c.latencies, 99) * 1000:.0f} ms, {c.throughput:.0f}/s, single "
                         f"{statistics.median(s.latencies) * 1000:.1f} ms")
        print(f"  round {k + 1}:         " + "; ".join(parts))
    print(f"  {'':22}{'echo':>11}{'app':>11}{'ratio':>8}   target")
    print(f"  {'single (median)':22}{ms(e['single']):>11}{ms(a['single']):>11}{ratio_single:8.2f}   "
          f"<= {TARGETS['single']:g}x  {'ok' if ratio_single <= TARGETS['single'] else 'MISSED'}")
    print(f"  {f'{n} concurrent p50':22}{ms(e['p50']):>11}{ms(a['p50']):>11}{a['p50'] / e['p50']:8.2f}")
    print(f"  {f'{n} concurrent p99':22}{ms(e['p99']):>11}{ms(a['p99']):>11}{ratio_p99:8.2f}   "
          f"<= {TARGETS['p99']:g}x  {'ok' if ratio_p99 <= TARGETS['p99'] else 'MISSED'}")
    print(f"  {f'{n} concurrent max':22}{ms(e['max']):>11}{ms(a['max']):>11}")
    print(f"  {'throughput':22}{e['throughput']:9.1f}/s{a['throughput']:9.1f}/s{ratio_tp:8.2f}   "
          f">= {TARGETS['throughput']:g}x  {'ok' if ratio_tp >= TARGETS['throughput'] else 'MISSED'}")
    print(f"  requests:        echo {e['requests']} concurrent + {e['singles']} single, app {a['requests']} + "
          f"{a['singles']} (+{WARMUP + n} warm-up each); failed: echo {e['failed']}, app {a['failed']}")
    for problem, count in Counter(load.bad).most_common(5):
        print(f"    {count} x {problem}")
    print(f"  outbox:          {outbox_stats['sweeps']} outbox sweep(s) completed during the load, {card_updates} "
          f"card update(s) received by the connector in all; rows {dict(sorted(outbox_counts.items()))}"
          + (f"; errors {dict(outbox_stats['errors'])}" if outbox_stats["errors"] else ""))
    print(f"  shared card:     during the app's concurrent phases ({during['seconds']:.1f} s, {a['requests']} casts) "
          f"the connector received {during['updates']} update(s); longest stretch without one {during['gap']:.1f} s")
    print(f"  ballots:         {ballots['ballots']} stored for {ballots['voters']} voters; tally {ballots['voted']} "
          f"voted {ballots['tally']} (expected {ballots['expected']}: {'ok' if ballots['tally_ok'] else 'WRONG'}); "
          f"history rows {ballots['history']} for {ballots['changes']} accepted changes")
    print(f"  lost:            {len(ballots['lost'])}" + (f" (e.g. {ballots['lost'][:3]})" if ballots["lost"] else ""))
    print(f"  duplicated:      {ballots['duplicated']}")
    print(f"  wall time:       {time.monotonic() - bench_started:.1f} s (set-up {seeded - bench_started:.1f} s, "
          f"load {measured - seeded:.1f} s)")
    failed = bool(ballots["lost"] or ballots["duplicated"] or not ballots["tally_ok"] or a["failed"] or e["failed"]
                  or ballots["history"] != ballots["changes"])
    if failed:
        print("  FAIL: lost/duplicated/wrong ballots or failed requests")
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"p99 ratio vs echo: {ratio_p99:.2f}")
    return 1 if failed else 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.vote_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=50, help="concurrent voters (50)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved echo/app rounds, pooled (4)")
    parser.add_argument("--single", type=int, default=60, help="sequential invokes per round for the median (60)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile of the app phases (server process) to FILE")
    parser.add_argument("--in-process-client", action="store_true",
                        help="run the load generator in the servers' event loop instead of a child process")
    parser.add_argument("--client", type=int, metavar="CONNECTIONS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.voters < 1 or args.rounds < 1 or args.single < 1:
        parser.error("--voters, --rounds and --single must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.client:
        asyncio.run(_client_process(args.client))
        return 0
    return asyncio.run(asyncio.wait_for(_bench(args), DEADLINE_SECONDS + 9))


if __name__ == "__main__":
    sys.exit(main())
