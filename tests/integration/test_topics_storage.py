"""Topics in the database (SQLite and PostgreSQL): migration 0012_topics matches the tables and can be undone, and
the evaluation counts cases by topic in one grouped statement."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import event, select

from council.cases import Case, CaseType
from council.evaluation import Period
from council.topics import TopicsStatus
from storage.db import alembic_config
from storage.tables import case_topics, metadata

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


def a_case(key: str, topics: tuple[str, ...], status: TopicsStatus, at: datetime = T0) -> Case:
    return Case(None, at.year, int(key), f"Sak {key}", "Beskrivelse", "Medisinsk klinikk", CaseType.DROFTING,
                "aad-emma", "Emma", at, key, topics=topics, topics_status=status)


async def test_migration_0012_matches_the_table_definitions(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def diff(connection):
        return compare_metadata(MigrationContext.configure(connection), metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    mentioned = [d for d in differences if {"case_topics", "deviation_ref", "topics_status"}
                 & set(str(d).replace("'", " ").replace("(", " ").replace(",", " ").split())]
    assert mentioned == []


async def test_migration_0012_can_be_undone_and_applied_again(engine, uow):
    async with uow() as u:
        await u.cases.add(a_case("1", ("Avvik",), TopicsStatus.CHOSEN))
        await u.commit()

    def step(connection, revision: str, up: bool) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.upgrade if up else command.downgrade)(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(step, "0011_tab", False)
    async with engine.begin() as connection:
        await connection.run_sync(step, "heads", True)
    async with uow() as u:
        [case] = await u.cases.by_submitter("aad-emma")
        assert (case.topics, case.topics_status) == ((), TopicsStatus.SUGGESTED)  # the column's default
        assert (await u.session.execute(select(case_topics))).all() == []


async def test_the_evaluation_counts_cases_by_topic_confirmed_or_not_in_one_statement(engine, uow):
    async with uow() as u:
        await u.cases.add(a_case("1", ("Fristbrudd", "DIPS"), TopicsStatus.CONFIRMED))
        await u.cases.add(a_case("2", ("Fristbrudd",), TopicsStatus.SUGGESTED))
        await u.cases.add(a_case("3", ("Fristbrudd",), TopicsStatus.CHOSEN))
        await u.cases.add(a_case("4", ("DIPS",), TopicsStatus.CONFIRMED, at=datetime(2020, 1, 6, tzinfo=UTC)))
        await u.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "case_topics" in statement:
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with uow() as u:
            data = await u.evaluation.data(Period(date(2026, 1, 1), date(2026, 12, 31)), date(2026, 12, 1), OSLO)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert data.cases_by_topic == {"Fristbrudd": {"confirmed": 1, "unconfirmed": 2}, "DIPS": {"confirmed": 1}}
    assert len(statements) == 1


async def test_a_case_read_twice_in_one_unit_of_work_writes_its_topics_only_when_they_change(engine, uow):
    async with uow() as u:
        case = await u.cases.add(a_case("1", ("Avvik",), TopicsStatus.CHOSEN))
        await u.commit()
    writes: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT INTO CASE_TOPICS", "DELETE FROM CASE_TOPICS")):
            writes.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with uow() as u:
            loaded = await u.cases.get(case.id)
            assert await u.cases.save(replace(loaded, version=2), 1)
            assert writes == []
            assert await u.cases.save(replace(loaded, topics=("DIPS",), version=3), 2)
            await u.commit()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(writes) == 2  # the old topics out, the new in
