"""Shared fixtures: every database test runs on SQLite and on PostgreSQL."""
from __future__ import annotations

import socket

import pytest

from tests.databases import POSTGRES_URL, require_postgres, reset_postgres


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests may only talk to loopback."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
            raise ConnectionRefusedError(f"tests must not reach {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/radsbot.db"
    await require_postgres()
    await reset_postgres()
    return POSTGRES_URL
