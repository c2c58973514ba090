"""Revisions and the change log, written: what every write (a seed load, a desk edit) records
in its own transaction, and the history read back.

A node's ``revision`` counts its revisions. An edit names the revision it was made against
(:func:`update_if_current`): the UPDATE matches only while the row is still at that revision,
so of several writers racing from one revision exactly one changes the row, on every engine.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from claimgraph.db import models as m
from claimgraph.db.queries.pagination import Ordering, Page, PageRequest, fetch_page

Db = AsyncConnection | AsyncSession

#: The tables whose rows are nodes of the API, and their node types.
NODE_TYPES = {
    "sources": "Source",
    "statements": "Statement",
    "actors": "Actor",
    "agreements": "Agreement",
    "deployments": "Deployment",
    "events": "Event",
}

#: Columns a revision does not list: bookkeeping, or derived from the columns it lists.
UNTRACKED = frozenset(
    {"id", "slug", "recorded_at", "updated_at", "revision", "search_names", "character_count"}
)


def jsonable(value: Any) -> Any:
    """A column value as JSON: enums by name, dates and times in ISO 8601, lists of them."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [jsonable(item) for item in value]
    return value


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The tracked columns of ``after`` whose value differs from ``before`` (missing: None)."""
    return [
        {"field": name, "before": jsonable(before.get(name)), "after": jsonable(value)}
        for name, value in after.items()
        if name not in UNTRACKED and jsonable(before.get(name)) != jsonable(value)
    ]


@dataclass
class Revised:
    """One revision about to be recorded: who made it, why, and its field changes."""

    editor: str
    reason: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)


def _dialect(db: Db) -> str:
    bind = db.get_bind() if isinstance(db, AsyncSession) else db
    return bind.dialect.name


async def log_changes(
    db: Db, changes: Mapping[tuple[str, str], m.ChangeKind], *, now: dt.datetime
) -> None:
    """Append (node type, slug) -> kind to the change log, in the caller's transaction; the
    newest entry's id is the data version that the feed, ETags and caches follow."""
    if not changes:
        return
    if _dialect(db) == "postgresql":
        # Change ids must commit in id order, or a partner following the feed could pass
        # an id that another writer commits later. Writers take turns from here to their
        # commit (SQLite lets one writer in at a time anyway).
        await db.execute(text("LOCK TABLE changes IN SHARE ROW EXCLUSIVE MODE"))
    await db.execute(
        insert(m.Change),
        [
            {"node_type": t, "node_slug": slug, "kind": kind, "changed_at": now}
            for (t, slug), kind in changes.items()
        ],
    )


async def bump_revisions(db: Db, table: Table, ids: Iterable[int]) -> dict[int, int]:
    """Add one to the revision of each row of ``table`` in ``ids``; id -> new revision."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    result = await db.execute(
        update(table)
        .where(table.c.id.in_(wanted))
        .values(revision=table.c.revision + 1)
        .returning(table.c.id, table.c.revision)
    )
    return {int(id_): int(number) for id_, number in result}


async def update_if_current(
    db: Db, table: Table, *, id: int, expected: int, values: Mapping[str, Any]
) -> int | None:
    """Update row ``id`` only if it is still at revision ``expected``, making it revision
    ``expected + 1``; None (and nothing written) when another write got there first."""
    result = await db.execute(
        update(table)
        .where(table.c.id == id, table.c.revision == expected)
        .values(**values, revision=expected + 1)
        .returning(table.c.revision)
    )
    number = result.scalar_one_or_none()
    return None if number is None else int(number)


async def record_revisions(
    db: Db, node_type: str, revisions: Mapping[tuple[int, int], Revised], *, now: dt.datetime
) -> None:
    """Append revisions of nodes of ``node_type``: (row id, number) -> what changed."""
    if not revisions:
        return
    await db.execute(
        insert(m.Revision),
        [
            {
                "node_type": node_type,
                "node_id": node_id,
                "number": number,
                "recorded_at": now,
                "editor": revised.editor,
                "reason": revised.reason,
                "changes": revised.changes,
            }
            for (node_id, number), revised in sorted(revisions.items())
        ],
    )


#: A node's history, oldest first.
REVISION_ORDERING = Ordering([m.Revision.number])


async def history_page(
    session: AsyncSession, *, node_type: str, node_id: int, request: PageRequest
) -> Page[m.Revision]:
    """One page of a node's revisions, by number."""
    query = select(m.Revision.number).where(
        m.Revision.node_type == node_type, m.Revision.node_id == node_id
    )
    page = await fetch_page(
        session, query=query, ordering=REVISION_ORDERING, request=request, convert=_first
    )
    rows = await session.scalars(
        select(m.Revision).where(
            m.Revision.node_type == node_type,
            m.Revision.node_id == node_id,
            m.Revision.number.in_(page.items),
        )
    )
    by_number = {row.number: row for row in rows}
    return Page([by_number[n] for n in page.items], page.keys, page.has_next, page.has_previous)


async def count_history(session: AsyncSession, *, node_type: str, node_id: int) -> int:
    """How many revisions a node has."""
    count = await session.scalar(
        select(func.count()).where(m.Revision.node_type == node_type, m.Revision.node_id == node_id)
    )
    return int(count or 0)


def _first(row: Any) -> int:
    return int(row[0])
