"""The API's read sessions: on PostgreSQL each statement runs by itself, with no BEGIN and
ROLLBACK around it (two round trips a one-statement query would otherwise pay for)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from claimgraph.db.engine import create_read_sessionmaker, create_sessionmaker, pool_options
from claimgraph.db.settings import DatabaseSettings


async def in_one_transaction(engine: AsyncEngine, *, reads: bool) -> bool:
    """Whether two statements of one session share a transaction (and so now(), its start)."""
    sessions = create_read_sessionmaker(engine) if reads else create_sessionmaker(engine)
    async with sessions() as session:
        first = await session.scalar(text("SELECT now()"))
        await session.execute(text("SELECT pg_sleep(0.01)"))
        second = await session.scalar(text("SELECT now()"))
    return bool(first == second)


async def test_read_sessions_run_each_statement_by_itself(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's transactions are calls in this process, not round trips")
    assert await in_one_transaction(engine, reads=False)
    assert not await in_one_transaction(engine, reads=True)


async def test_a_steady_load_opens_no_more_sessions_than_the_pool(database_url: str) -> None:
    """32 concurrent readers, ten rounds, through a pool of 4: PostgreSQL sees 4 sessions
    opened, not one per request past the pool (SQLAlchemy's default overflow closes those)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("sessions are PostgreSQL's to count")
    database = DatabaseSettings(database_url=database_url, database_pool_size=4)
    engine = create_async_engine(database_url, **pool_options(database))
    sessions = create_read_sessionmaker(engine)
    pids: set[int] = set()

    async def read() -> None:
        async with sessions() as session:
            pids.add(int(await session.scalar(text("SELECT pg_backend_pid()")) or 0))
            await session.execute(text("SELECT pg_sleep(0.002)"))

    try:
        for _ in range(10):
            await asyncio.gather(*(read() for _ in range(32)))
    finally:
        await engine.dispose()
    assert len(pids) == 4
