"""Rådsbot's test suite: unit, integration (SQLite and PostgreSQL) and end-to-end over HTTP."""
