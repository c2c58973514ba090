"""Keyset pages are read through their indexes, however deep the cursor: EXPLAIN proves it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.db.queries import lists, pagination, timeline
from claimgraph.db.queries.lists import DateWindow
from claimgraph.db.queries.pagination import Ordering, PageRequest

DEEP_KEY = {
    "SAID_ON": (dt.date(2024, 9, 1), dt.date(2024, 9, 30), 10**6),
    "REPORTED_ON": (dt.date(2024, 9, 1), dt.date(2024, 9, 30), 10**6),
    "RECORDED_AT": (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 10**6),
}
INDEXES = {
    "SAID_ON": "ix_statements_said_earliest_said_latest_id",
    "REPORTED_ON": "ix_statements_reported_earliest_reported_latest_id",
    "RECORDED_AT": "ix_statements_recorded_at_id",
}


def page_query(ordering: Ordering, key: tuple[Any, ...], *, descending: bool) -> Select[Any]:
    ordering = Ordering(ordering.keys, descending=descending)
    query = lists.statements_query(lists.StatementCriteria()).where(ordering.after(key))
    return query.add_columns(*ordering.keys).order_by(*ordering.order_by()).limit(21)


async def plan(connection: AsyncConnection, query: Select[Any]) -> str:
    compiled = query.compile(connection.sync_engine, compile_kwargs={"literal_binds": True})
    if connection.dialect.name == "postgresql":
        # The seed is tiny, so the planner would rightly scan the table; forbid that to see
        # whether the index serves the keyset condition and the order (as it must at scale).
        await connection.execute(text("SET LOCAL enable_seqscan = off"))
        await connection.execute(text("SET LOCAL enable_sort = off"))
        rows = await connection.execute(text(f"EXPLAIN {compiled}"))
    else:
        rows = await connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize("order", list(INDEXES))
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
async def test_a_deep_page_of_statements_reads_its_index(
    connection: AsyncConnection, order: str, descending: bool
) -> None:
    query = page_query(lists.STATEMENT_ORDERINGS[order], DEEP_KEY[order], descending=descending)
    explained = await plan(connection, query)
    assert INDEXES[order] in explained, explained
    assert "TEMP B-TREE" not in explained.upper(), explained  # no sort of the whole table
    assert " Sort " not in explained, explained


async def test_a_timeline_page_reads_a_page_from_each_kinds_index(
    connection: AsyncConnection,
) -> None:
    """The timeline merges statements and events. Each branch is cut to the page and read
    from its own dates index; only those rows are merged and sorted, never every row the
    window holds (PostgreSQL sorted a whole year of a 1M corpus before this)."""
    query, ordering = timeline.timeline_query(
        window=DateWindow(start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    )
    deep = (dt.date(2019, 6, 1), dt.date(2019, 6, 30), timeline.STATEMENT, 10**6)
    for request in (PageRequest(first=20), PageRequest(first=20, after=deep)):
        explained = await plan(
            connection, pagination.page_query(query, ordering=ordering, request=request)
        )
        assert "ix_statements_said_earliest_said_latest_id" in explained, explained
        assert "ix_events_occurred_earliest_occurred_latest_id" in explained, explained
        if connection.dialect.name == "postgresql":
            assert explained.count("Limit") == 3, explained  # the page, and one per branch
