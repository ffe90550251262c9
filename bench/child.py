"""The load generator in a child process: 2 cores, one for the servers' event loop, one for the client's.

The child is `python -m <module> --client <connections>`; it reads one JSON command per line and answers
one JSON line per command."""
from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ChildClient:
    def __init__(self, module: str, connections: int) -> None:
        self._module = module
        self.connections = connections
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", self._module, "--client", str(self.connections), cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=64 * 1024 * 1024)

    async def ask(self, command: dict) -> dict:
        assert self._process is not None and self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps(command).encode() + b"\n")
        await self._process.stdin.drain()
        line = await self._process.stdout.readline()
        if not line:
            raise RuntimeError("the load generator process died")
        return json.loads(line)

    async def close(self) -> None:
        if self._process is not None and self._process.returncode is None:
            assert self._process.stdin
            self._process.stdin.close()
            try:
                await asyncio.wait_for(self._process.wait(), 5)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()
