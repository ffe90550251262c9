"""The tab's pages with ten years of synthetic history: median and 95th percentile per page, against /healthz.

    python -m bench.tab [--database sqlite|postgres] [--rounds 15]

Serves the real app (create_app, local mode) on 127.0.0.1 with 2,500 cases, 120 meetings, 300 hearings,
1,500 action items and 30 theme meetings (bench/synthetic.py), signs in as the leader through the identity
chooser, and requests every page and download `rounds` times after one warm-up request each. A page is what a
person waits for on screen (HTML); downloads (CSV, Excel, the evaluation report) are printed too but are
files the browser saves, built on demand, and do not count as the slowest page. The last line is
``slowest page p95 ratio to /healthz p95: X``.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.databases import bench_database
from bench.synthetic import fill
from council.evaluation import percentile
from tests.e2e.harness import start_bot
from tests.e2e.teams import KARI
from tests.web.conftest import TabClient
from tests.web.seed import seed_members

PAGES = ("/tab/saker", "/tab/saker?q=fristbrudd&sort=title&dir=asc", "/tab/saker?status=vedtatt&page=3",
         "/tab/saker/1000001", "/tab/medlemmer", "/tab/horinger", "/tab/moter?year=2025", "/tab/evaluering",
         "/tab/evaluering?year=2024", "/tab/vedtak/1")
DOWNLOADS = ("/tab/saker/eksport.csv", "/tab/saker/eksport.xlsx", "/tab/evaluering/rapport.docx",
             "/tab/evaluering/rapport.pdf")


async def _timings(client: TabClient, path: str, rounds: int) -> list[float]:
    await client.get_bytes(path)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        status, _, _ = await client.get_bytes(path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return times


async def main(database: str, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        url, described = await bench_database(database, "radsbot_bench_tab", Path(workdir))
        harness = await start_bot(url)
        try:
            c = harness.container
            await seed_members(c)
            await fill(c.engine, today=date(2026, 11, 26), units=c.settings.units)
            client = await TabClient(harness.url).sign_in_as(KARI.aad)
            print(f"database: {described}; {rounds} rounds per page after one warm-up")
            p95s = {}
            for path in ("/healthz", *PAGES, *DOWNLOADS):
                times = await _timings(client, path, rounds)
                p95s[path] = percentile(times, 0.95)
                print(f"{path:50s} median {statistics.median(times):8.1f} ms   p95 {p95s[path]:8.1f} ms")
            await client.close()
        finally:
            await harness.close()
            await harness.connector.stop()
    slowest = max(PAGES, key=p95s.__getitem__)
    print(f"slowest page: {slowest}")
    print(f"slowest page p95 ratio to /healthz p95: {p95s[slowest] / p95s['/healthz']:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database, arguments.rounds))
