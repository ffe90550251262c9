"""Test databases: a fresh SQLite file or a reset PostgreSQL schema for every test."""
from __future__ import annotations

import asyncio
import os

import pytest

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def _postgres_reachable() -> str | None:
    import asyncpg

    try:
        connection = await asyncio.wait_for(asyncpg.connect(POSTGRES_URL.replace("+asyncpg", "")), 5)
    except Exception as error:  # any failure: unreachable, auth, missing database
        return f"{type(error).__name__}: {error}"
    await connection.close()
    return None


_reachability: dict[str, str | None] = {}


async def require_postgres() -> None:
    """Skip with a clear reason on a laptop without PostgreSQL; fail in CI, where it is required."""
    if "result" not in _reachability:
        _reachability["result"] = await _postgres_reachable()
    problem = _reachability["result"]
    if problem is None:
        return
    message = f"PostgreSQL at {POSTGRES_URL} is unreachable ({problem})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI requires it", pytrace=False)
    pytest.skip(message + "; start it or set TEST_POSTGRES_URL")


async def reset_postgres() -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", ""))
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
