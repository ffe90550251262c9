"""SQLite through aiosqlite with one trip to aiosqlite's thread per statement.

SQLAlchemy 2.0's aiosqlite adapter makes three or four trips to the worker thread for each statement (open a
cursor, execute, fetch, close), and each trip waits for a turn of the event loop. Under load a turn is long, so
a transaction of seven statements took tens of turns while every other cast on that vote waited for it. Here a
statement — execute, fetch and close — is one call in that thread.

This subclasses SQLAlchemy's adapter and hands its call to aiosqlite's queue of work for the thread, as
SQLAlchemy's own adapter does for isolation levels; `requirements.txt` bounds both versions, and the whole test
suite runs through it.
"""
from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)


def _statement(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> tuple:
    """Runs in aiosqlite's thread: the whole statement, so the event loop waits once."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else None
        return cursor.description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        try:
            description, rows, rowcount, lastrowid = self.await_(self._connection._execute(
                _statement, self._connection._conn, operation, parameters, many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        if description:  # as SQLAlchemy's adapter: rows are buffered, counts unknown
            self._rows = deque(rows)
            self.lastrowid = self.rowcount = -1
        else:
            self._rows = deque()
            self.rowcount = rowcount
            self.lastrowid = lastrowid


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return super().cursor(server_side) if server_side else _Cursor(self)


class _Dbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> _Connection:
        return _Connection(self, super().connect(*arg, **kw)._connection)


def one_trip_dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The DBAPI module for `create_async_engine(..., module=...)` on a sqlite+aiosqlite URL."""
    return _Dbapi(aiosqlite, sqlite3)
