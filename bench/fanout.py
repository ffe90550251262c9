"""Fan-out benchmark: N recipients through the outbox against the fake connector enforcing Teams' limits.

    python -m bench.fanout [--recipients 1000] [--database sqlite|postgres] [--kill] [--create-chats]
                           [--processes N]  (N > 1 needs --database postgres)

The benchmark process seeds the database (N members, each with a stored 1:1 conversation reference, and N
SEND_PERSONAL messages queued through ``council.services.outbox.queue`` in one transaction), runs the fake Bot
Connector (``tools.connector.FakeConnector`` with 50 requests/s per app, 7/s and 60 per 30 s per
conversation, 429 + Retry-After when exceeded) on 127.0.0.1 and spawns the sender as a separate process
(``python -m bench.fanout --worker ...``): the unmodified ``OutboxService`` + ``TeamsNotifier`` + ``CloudAdapter``,
swept the way the app's scheduler does it (``deliver_due`` every ``outbox_sweep_seconds``, one run at a time).

Theoretical minimum: every recipient costs one write request (two with --create-chats: create the 1:1 chat,
then send) and the app may make at most 50 per second, so the minimum is requests / 50 s. (The per-conversation
limits do not bind: one message per conversation.) Completion time runs from the sender's start (just before its
first claim, after imports and set-up) until the connector recorded the last delivered message; both processes
read time.monotonic(), which on Linux is one system-wide clock.

--kill SIGKILLs the sender once the connector has received 43 % (~40 %, in the middle of a 200-message claim),
waits for the lease (default 3 s) to expire and starts a new sender; the total then includes that gap, and a
second ratio excludes it. A message whose request was in flight at the kill becomes 'uncertain' and is never
resent (at most once); uncertain messages the connector did not receive are counted as lost.

--processes N runs N senders at once on one PostgreSQL database, as N app processes would: they share the
app's budget through the database (storage/pacing.py). The connector's write requests of all senders together
are counted in every 1-s window [t, t + 1 s) that starts at a request; a window over 50 fails the run.

The last line is always ``ratio to theoretical minimum: X.XX``; the exit status is 1 when a message was lost or
duplicated (or the run did not finish).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from bisect import bisect_left
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench.databases import bench_database

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_BENCH_DB = "radsbot_bench"
APP_RATE = 50.0  # Teams: requests per second per bot app (all conversations)
CONV_PER_SECOND = 7
CONV_PER_30S = 60
SWEEP_SECONDS = 2.0  # Settings.outbox_sweep_seconds: how often the app's scheduler runs deliver_due
TENANT = "bench-tenant"
BOT_ID = "28:radsbot"
DEADLINE_SECONDS = 100.0  # the whole run must stay under two minutes


# --------------------------------------------------------------------------------------------- the sender


async def _sender(args: argparse.Namespace) -> None:
    """A sender process as the app runs it: OutboxService + TeamsNotifier, deliver_due on a 2 s interval."""
    from bot.adapter import build_adapter
    from bot.notifier import TeamsNotifier
    from council.clock import SystemClock
    from council.outbox import SharedWindow, Status
    from council.owners import owner_alive, process_owner
    from council.services.outbox import OutboxService
    from council.settings import Limits, Settings
    from storage.db import make_engine
    from storage.pacing import shared_budget
    from storage.uow import unit_of_work_factory

    engine = make_engine(args.worker)
    limits = Limits(per_app_per_second=APP_RATE, per_conversation_per_second=CONV_PER_SECOND,
                    per_conversation_per_30s=CONV_PER_30S)
    budget = shared_budget(engine, "teams-app:bench", SharedWindow.for_rate(APP_RATE))
    outbox = OutboxService(unit_of_work_factory(engine), SystemClock(), limits,
                           owner=process_owner(), batch=args.batch, concurrency=args.concurrency,
                           lease=timedelta(seconds=args.lease), owner_alive=owner_alive, budget=budget)
    outbox.notifier = TeamsNotifier(build_adapter(Settings()), "")
    started = time.monotonic()
    print(f"start {started!r}", flush=True)
    sweeps = 0
    while True:
        report = await outbox.deliver_due()
        sweeps += 1
        ended = time.monotonic()
        print("sweep " + json.dumps({"at": ended, "delivered": report.delivered, "retried": report.retried,
                                     "failed": report.failed, "errors": dict(report.errors)}), flush=True)
        counts = await outbox.counts()
        if not counts.get(Status.PENDING.value) and not counts.get(Status.SENDING.value):
            break
        # IntervalTrigger(seconds=2), max_instances=1: the next run is the first tick after this one ended.
        next_tick = started + math.ceil((ended - started) / SWEEP_SECONDS + 1e-9) * SWEEP_SECONDS
        await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
    print(f"done {time.monotonic()!r} sweeps {sweeps}", flush=True)
    if budget is not None:
        await budget.close()
    await engine.dispose()


def _run_sender(args: argparse.Namespace) -> None:
    if not args.profile:
        asyncio.run(_sender(args))
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        asyncio.run(_sender(args))
    finally:
        profiler.disable()
        profiler.dump_stats(args.profile)


# ---------------------------------------------------------------------------------------------- the bench


class Sender:
    """One spawned sender process and what it printed."""

    def __init__(self, process: asyncio.subprocess.Process, stderr_path: Path) -> None:
        self.process = process
        self.stderr_path = stderr_path
        self.started: float | None = None
        self.done: float | None = None
        self.sweeps: list[dict] = []
        self.ready = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            line = raw.decode().strip()
            if line.startswith("start "):
                self.started = float(line.split()[1])
                self.ready.set()
            elif line.startswith("sweep "):
                self.sweeps.append(json.loads(line[6:]))
            elif line.startswith("done "):
                self.done = float(line.split()[1])
        self.ready.set()

    async def wait(self, timeout: float) -> int | None:
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            await self._reader
            return None
        await self._reader
        return self.process.returncode

    def stderr_tail(self, chars: int = 3000) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


async def _spawn(url: str, args: argparse.Namespace, workdir: Path, n: int) -> Sender:
    command = [sys.executable, "-m", "bench.fanout", "--worker", url, "--lease", str(args.lease),
               "--batch", str(args.batch), "--concurrency", str(args.concurrency)]
    if args.profile:
        command += ["--profile", f"{args.profile}.{n}" if args.kill or args.processes > 1 else args.profile]
    stderr_path = workdir / f"sender-{n}.stderr"
    with stderr_path.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                       stderr=stderr)
    return Sender(process, stderr_path)



async def _seed(uow_factory, service_url: str, recipients: int, create_chats: bool, run: str) -> dict[str, str]:
    """Members (+ their 1:1 references) and one SEND_PERSONAL per member, queued in one transaction."""
    from council.clock import SystemClock
    from council.conversations import ConversationKind, ConversationRef
    from council.members import Member
    from council.outbox import Operation
    from council.services.outbox import queue

    clock = SystemClock()
    texts: dict[str, str] = {}
    async with uow_factory() as uow:
        if create_chats:  # a new 1:1 chat is created at the service URL of any reference in the tenant
            await uow.conversations.save(ConversationRef(
                conversation_id="19:bench-general@thread.tacv2", kind=ConversationKind.CHANNEL,
                service_url=service_url, tenant_id=TENANT, bot_id=BOT_ID, team_id="19:bench-general@thread.tacv2",
                channel_id="19:bench-general@thread.tacv2"), clock.now())
        for i in range(recipients):
            aad = f"00000000-0000-4000-8000-{i:012d}"
            await uow.members.save(Member(aad_object_id=aad, name=f"Mottaker {i}", teams_user_id=f"29:bench-{i}",
                                          tenant_id=TENANT))
            if not create_chats:
                await uow.conversations.save(ConversationRef(
                    conversation_id=f"a:1:1-29:bench-{i}", kind=ConversationKind.PERSONAL, service_url=service_url,
                    tenant_id=TENANT, bot_id=BOT_ID, user_aad_id=aad), clock.now())
        for i in range(recipients):
            text = f"Fan-out {run} #{i:05d}"
            key = f"bench:fanout:{run}:{i}"
            texts[key] = text
            added = await queue(uow, clock, key=key, operation=Operation.SEND_PERSONAL,
                                target=f"00000000-0000-4000-8000-{i:012d}",
                                activity={"type": "message", "text": text})
            assert added, key
        await uow.commit()
    return texts


async def _drive(args: argparse.Namespace, url: str, connector, workdir: Path, deadline: float) -> dict:
    """Run the sender (killing and restarting it with --kill) until it finishes or the deadline passes."""
    run: dict = {"senders": [], "kill_at": None, "kill_count": None, "restart_ready": None, "finished": False}
    senders: list[Sender] = run["senders"]
    try:
        for n in range(1, args.processes + 1):
            senders.append(await _spawn(url, args, workdir, n))
        if args.kill:
            target = math.ceil(args.recipients * args.kill_at)
            seen = 0

            def reached(record) -> bool:  # called in this loop as the connector records each request
                nonlocal seen
                seen += record.kind == "send" and 200 <= record.status < 300
                return seen >= target

            try:  # SIGKILL as the target-th message is recorded: the next ones are still on their way
                await connector.wait_for(reached, timeout=max(1.0, deadline - time.monotonic()))
            except AssertionError:
                pass
            if senders[0].process.returncode is None:
                senders[0].process.send_signal(signal.SIGKILL)
                run["kill_at"] = time.monotonic()
                await senders[0].wait(10)
                run["kill_count"] = len(connector.sent())
                restart_after = 0.0 if args.restart_after is None else args.restart_after
                await asyncio.sleep(restart_after)  # at once: the new sender sees its predecessor's pid is gone
                senders.append(await _spawn(url, args, workdir, 2))
                await asyncio.wait_for(senders[1].ready.wait(), 30)
                run["restart_ready"] = senders[1].started
        exits = [await sender.wait(max(1.0, deadline - time.monotonic())) for sender in senders[-args.processes:]]
        run["finished"] = all(code == 0 for code in exits)
    finally:
        for sender in senders:  # never leave a sender behind (timeout, Ctrl-C)
            if sender.process.returncode is None:
                sender.process.kill()
                await sender.process.wait()
    await asyncio.sleep(0.05)  # let the connector finish recording
    return run


async def _bench(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from council.outbox import Status
    from storage.db import make_engine, migrate
    from storage.tables import outbox as outbox_table
    from storage.uow import unit_of_work_factory
    from tools.connector import FakeConnector, RateLimits

    bench_started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="radsbot-fanout-"))
    url, where = await bench_database(args.database, args.postgres_db, workdir)
    engine = make_engine(url)
    await migrate(engine)
    uow = unit_of_work_factory(engine)
    connector = FakeConnector(limits=RateLimits(per_app_per_second=APP_RATE,
                                                per_conversation_per_second=CONV_PER_SECOND,
                                                per_conversation_per_30s=CONV_PER_30S))
    await connector.start()
    try:
        texts = await _seed(uow, connector.url, args.recipients, args.create_chats,
                            f"{os.getpid()}-{int(time.time())}")
        await engine.dispose()  # the bench holds no connection while the sender runs
        seeded = time.monotonic()
        run = await _drive(args, url, connector, workdir, bench_started + DEADLINE_SECONDS)
    finally:
        await connector.stop()
    senders: list[Sender] = run["senders"]
    kill_at, restart_ready = run["kill_at"], run["restart_ready"]

    # ------------------------------------------------------------------------------------- what happened
    delivered_records = [r for r in connector.requests if r.kind == "send" and 200 <= r.status < 300]
    received = Counter((r.body or {}).get("text") for r in delivered_records)
    queued = set(texts.values())
    missing = sorted(queued - set(received))
    duplicates = sum(n - 1 for text, n in received.items() if text in queued and n > 1)
    strangers = sum(n for text, n in received.items() if text not in queued)
    writes = [r for r in connector.requests if r.kind in ("send", "create")]
    creates_ok = sum(1 for r in writes if r.kind == "create" and 200 <= r.status < 300)
    other_errors = Counter(r.status for r in writes if not r.throttled and not 200 <= r.status < 300)

    engine = make_engine(url)
    async with unit_of_work_factory(engine)() as u:
        counts = await u.outbox.counts()
        rows = (await u.session.execute(select(outbox_table.c.delivery_key, outbox_table.c.status,
                                               outbox_table.c.attempts))).all()
    await engine.dispose()
    uncertain = [texts[r.delivery_key] for r in rows if r.status == Status.UNCERTAIN.value]
    uncertain_received = sum(1 for text in uncertain if text in received)
    retried_rows = sum(1 for r in rows if r.attempts > 0)

    starts = [sender.started for sender in senders if sender.started]
    first = min(starts) if starts else seeded
    last = max((r.at for r in delivered_records), default=time.monotonic())
    first_request = min((r.at for r in writes), default=last)
    first_try: dict[str, float] = {}
    for r in connector.requests:
        if r.kind == "send":
            first_try.setdefault((r.body or {}).get("text"), r.at)
    last_first_try = max(first_try.values(), default=last)
    completion = last - first
    busiest, busiest_at = busiest_second([r.at for r in writes])
    per_second = Counter(int(r.at - first) for r in writes)
    over_limit = busiest > APP_RATE
    gap = (restart_ready - kill_at) if (kill_at is not None and restart_ready is not None) else 0.0
    requests_per_recipient = 2 if args.create_chats else 1
    minimum = args.recipients * requests_per_recipient / APP_RATE
    ratio = completion / minimum
    if args.dump:
        with open(args.dump, "w") as out:
            for r in connector.requests:
                out.write(json.dumps({"at": r.at - first, "kind": r.kind, "status": r.status,
                                      "text": (r.body or {}).get("text")}) + "\n")

    print("Rådsbot fan-out benchmark (outbox -> fake Bot Connector with Teams' limits)")
    print(f"  database:             {where}")
    mode = "no 1:1 chat stored: create it, then send (2 requests each)" if args.create_chats \
        else "1:1 reference stored (1 request each)"
    print(f"  recipients:           {args.recipients} ({mode})")
    print(f"  limits:               {APP_RATE:g} req/s per app, {CONV_PER_SECOND}/s and {CONV_PER_30S}/30 s per "
          "conversation (the connector enforces them, the sender paces to them)")
    senders_text = "separate process" if args.processes == 1 else (
        f"{args.processes} separate processes sharing the app's budget through PostgreSQL (storage/pacing.py)")
    print(f"  sender:               {senders_text}, batch {args.batch}, concurrency {args.concurrency}, "
          f"lease {args.lease:g} s, deliver_due every {SWEEP_SECONDS:g} s")
    print(f"  theoretical minimum:  {minimum:.2f} s  (= {args.recipients} x {requests_per_recipient} request(s) "
          f"/ {APP_RATE:g} per s)")
    print(f"  completion time:      {completion:.2f} s  (sender start -> last message recorded by the connector)")
    print(f"    start-up to first request {first_request - first:.2f} s, first -> last request "
          f"{last - first_request:.2f} s")
    print(f"  requests:             {len(writes)} writes ({len(delivered_records)} sends delivered"
          + (f", {creates_ok} chats created" if args.create_chats else "") + ")")
    print(f"  429s received:        {connector.throttled}")
    print(f"  busiest 1-s window:   {busiest} write requests (limit {APP_RATE:g}), starting {busiest_at - first:.2f} s "
          "after the start (sliding: every window [t, t + 1 s) that starts at a request, all senders together"
          + ("; OVER THE LIMIT" if over_limit else "") + ")")
    print(f"    per whole second:   max {max(per_second.values(), default=0)}, "
          f"{sum(1 for n in per_second.values() if n > APP_RATE)} second(s) over {APP_RATE:g}")
    if last > last_first_try + 0.001:
        print(f"    every message had been tried once {last_first_try - first:.2f} s after the start; "
              f"retries after 429 added {last - last_first_try:.2f} s")
    if other_errors:
        print(f"  other errors:         {dict(other_errors)}")
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"  sender CPU:           {cpu.ru_utime + cpu.ru_stime:.1f} s (user {cpu.ru_utime:.1f}, system "
          f"{cpu.ru_stime:.1f}) over {completion:.1f} s, all sender processes; "
          f"{len(os.sched_getaffinity(0))} CPU(s) here")
    print(f"  received:             {len(set(received) & queued)} of {len(queued)} queued messages"
          + (f" (+{strangers} unexpected)" if strangers else ""))
    print(f"  outbox rows:          {dict(sorted(counts.items()))}; with >= 1 failed attempt: {retried_rows}")
    for n, sender in enumerate(senders, 1):
        errors: Counter = Counter()
        for sweep in sender.sweeps:
            errors.update(sweep["errors"])
        print(f"  sender {n}:             {len(sender.sweeps)} deliver_due run(s), delivered "
              f"{sum(s['delivered'] for s in sender.sweeps)}, retried {sum(s['retried'] for s in sender.sweeps)}, "
              f"failed {sum(s['failed'] for s in sender.sweeps)}" + (f", errors {dict(errors)}" if errors else "")
              + (f", exit {sender.process.returncode}" if sender.process.returncode not in (0, None) else ""))
    if args.kill:
        if kill_at is None:
            print("  kill:                 the sender finished (or never reached the mark) before the kill")
        else:
            print(f"  kill:                 SIGKILL at {kill_at - first:.2f} s with {run['kill_count']} received; "
                  f"new sender ready {gap:.2f} s later ("
                  + ("started at once; it takes over the dead sender's claims because that pid is gone)"
                     if args.restart_after is None else f"started after {args.restart_after:g} s, then start-up)"))
            print(f"  uncertain:            {len(uncertain)} (in flight at the kill, never resent); received by "
                  f"the connector: {uncertain_received}; not received: {len(uncertain) - uncertain_received} "
                  "(counted as lost)")
            print(f"  excluding the restart gap: {completion - gap:.2f} s, ratio {(completion - gap) / minimum:.2f}")
    print(f"  lost:                 {len(missing)}" + (f" (e.g. {missing[:3]})" if missing else ""))
    print(f"  duplicated:           {duplicates}")
    print(f"  benchmark wall time:  {time.monotonic() - bench_started:.1f} s (set-up and seeding "
          f"{seeded - bench_started:.1f} s)")
    failed = bool(missing or duplicates or not run["finished"] or over_limit)
    if not run["finished"]:
        print("  THE SENDER DID NOT FINISH (timed out or crashed); its stderr ends with:")
        print(senders[-1].stderr_tail() if senders else "(no sender)")
    if failed:
        print("  FAIL: " + ", ".join(what for what, bad in (
            ("messages lost", missing), ("duplicates", duplicates), ("sender did not finish", not run["finished"]),
            ("over the app's rate limit", over_limit))
            if bad) + f" (files in {workdir})")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"ratio to theoretical minimum: {ratio:.2f}")
    return 1 if failed else 0


def busiest_second(times: list[float]) -> tuple[int, float]:
    """The most requests in any window [t, t + 1 s) that starts at a request, and that window's start."""
    times = sorted(times)
    best, at = 0, times[0] if times else 0.0
    for i, start in enumerate(times):
        count = bisect_left(times, start + 1.0) - i
        if count > best:
            best, at = count, start
    return best, at


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--processes", type=int, default=1,
                        help="sender processes at once (more than 1 needs --database postgres, as the app does)")
    parser.add_argument("--postgres-db", default=POSTGRES_BENCH_DB,
                        help=f"the PostgreSQL database to drop and recreate ({POSTGRES_BENCH_DB})")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the sender at ~40%% (mid-batch) and restart it")
    parser.add_argument("--kill-at", type=float, default=0.43,
                        help="fraction received when the sender is killed (0.43: ~40 %%, mid-batch)")
    parser.add_argument("--create-chats", action="store_true",
                        help="no 1:1 reference stored: each recipient needs a create-conversation call first")
    parser.add_argument("--restart-after", type=float, metavar="SECONDS",
                        help="with --kill: start the new sender this long after the kill (default: at once)")
    parser.add_argument("--lease", type=float, default=3.0, help="OutboxService lease in seconds (3)")
    parser.add_argument("--batch", type=int, default=200, help="OutboxService claim batch (200, the default)")
    parser.add_argument("--concurrency", type=int, default=32, help="OutboxService concurrency (32, the default)")
    parser.add_argument("--profile", metavar="FILE", help="write the sender's cProfile stats to FILE")
    parser.add_argument("--dump", metavar="FILE", help="write the connector's request log (JSON lines) to FILE")
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.processes > 1 and not args.worker and args.database != "postgres":
        parser.error("--processes > 1 needs --database postgres (SQLite serves one process)")
    if args.processes > 1 and args.kill:
        parser.error("--kill runs one sender (it kills and restarts it)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.worker:
        _run_sender(args)
        return 0
    return asyncio.run(_bench(args))


if __name__ == "__main__":
    sys.exit(main())
