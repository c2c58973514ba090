"""The API's read sessions: on PostgreSQL each statement runs by itself, with no BEGIN and
ROLLBACK around it (two round trips a one-statement query would otherwise pay for)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from claimgraph.db.engine import create_read_sessionmaker, create_sessionmaker


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
