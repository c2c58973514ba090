"""The desk's writes: a node created or changed, each with its revision and its change-log
entry in the caller's transaction (claimgraph.db.queries.revisions)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.db import models as m
from claimgraph.db.queries.revisions import (
    NODE_TYPES,
    Revised,
    field_changes,
    log_changes,
    record_revisions,
    update_if_current,
)

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
#: How long a made-up slug's words may run before its number (a slug holds 200 at most).
_SLUG_WORDS = 60


async def unique_slug(session: AsyncSession, *, table: Table, words: str) -> str:
    """A slug for a new row of ``table`` made of ``words`` (``us-withdrawal-agreed``), with
    ``-2``, ``-3``, … added when it is taken. Slugs are global IDs: never reused."""
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    base = _NOT_SLUG.sub("-", ascii_words.lower()).strip("-")[:_SLUG_WORDS].strip("-") or "record"
    taken = set(
        await session.scalars(
            select(table.c.slug).where(table.c.slug.like(f"{base}%", escape="\\"))
        )
    )
    number, slug = 1, base
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


async def insert_node(
    session: AsyncSession,
    table: Table,
    values: Mapping[str, Any],
    *,
    revised: Revised,
    now: dt.datetime,
    kind: m.ChangeKind | None = m.ChangeKind.CREATED,
) -> int:
    """Insert a node (revision 1, recorded now) with its first revision and a CREATED entry
    in the change log (none for a draft: ``kind`` None); returns its id.
    ``revised.changes`` lists what else it came with."""
    node_id = (
        await session.execute(
            insert(table).values(**values, recorded_at=now, updated_at=now).returning(table.c.id)
        )
    ).scalar_one()
    revised.changes[:0] = field_changes({}, values)
    node_type = NODE_TYPES[table.name]
    await record_revisions(session, node_type, {(node_id, 1): revised}, now=now)
    if kind is not None:
        await log_changes(session, {(node_type, values["slug"]): kind}, now=now)
    return int(node_id)


async def update_node(
    session: AsyncSession,
    table: Table,
    *,
    id: int,
    slug: str,
    expected: int,
    values: Mapping[str, Any],
    revised: Revised,
    now: dt.datetime,
    kind: m.ChangeKind | None = m.ChangeKind.UPDATED,
) -> int | None:
    """Change a node that is still at revision ``expected``: its columns (``values``), its
    next revision and an entry in the change log (UPDATED; none for a draft, ``kind``
    None). None, and nothing written, when it has moved on since (another edit got there
    first)."""
    number = await update_if_current(
        session, table, id=id, expected=expected, values={**values, "updated_at": now}
    )
    if number is None:
        return None
    node_type = NODE_TYPES[table.name]
    await record_revisions(session, node_type, {(id, number): revised}, now=now)
    if kind is not None:
        await log_changes(session, {(node_type, slug): kind}, now=now)
    return number


async def replace_links(
    session: AsyncSession,
    link: Table,
    *,
    parent: str,
    parent_id: int,
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Make a parent's rows in a link table exactly ``rows``."""
    await session.execute(delete(link).where(link.c[parent] == parent_id))
    if rows:
        await session.execute(insert(link), [{parent: parent_id, **row} for row in rows])


async def current_revision(session: AsyncSession, table: Table, *, id: int) -> int | None:
    """The revision a node is at now (None if it is gone)."""
    found = await session.scalar(select(table.c.revision).where(table.c.id == id))
    return None if found is None else int(found)
