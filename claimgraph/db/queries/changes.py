"""The change log, read: the data version, and the feed partners follow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from claimgraph.db import models as m
from claimgraph.db.queries.pagination import Ordering


async def data_version(db: AsyncSession | AsyncConnection) -> int:
    """The id of the newest change this session or connection sees (0 when the log is empty).
    It moves whenever a write commits; a snapshot read in the same transaction is consistent
    with it."""
    version = await db.scalar(select(func.max(m.Change.id)))
    return int(version or 0)


# -- the feed -------------------------------------------------------------------------------

#: The change log in commit order: by id, which the log assigns in the order loads write.
CHANGE_ORDERING = Ordering([m.Change.id])


@dataclass(frozen=True)
class ChangeEntry:
    """One entry of the log: what happened to which node, when."""

    id: int
    node_type: str
    node_slug: str
    kind: m.ChangeKind
    changed_at: dt.datetime


def changes_query() -> Select[Any]:
    """The whole change log (unordered; page it with :data:`CHANGE_ORDERING`)."""
    c = m.Change
    columns: list[Any] = [c.node_type, c.node_slug, c.kind, c.changed_at]
    return select(*columns)


def change_entry(row: Row[Any]) -> ChangeEntry:
    """A row of :func:`changes_query` with its sort key (the id) appended, as an entry."""
    return ChangeEntry(int(row.id), row.node_type, row.node_slug, row.kind, row.changed_at)
