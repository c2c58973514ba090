"""What the edits share: a row's stored values, and saving a correction against the revision
the editor read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.mutations.checks import Checks, blank
from claimgraph.api.graphql.mutations.errors import Refused, UserErrorCode, user_error
from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.db.queries.edits import current_revision, update_node
from claimgraph.db.queries.revisions import Revised, field_changes


def row_values(row: Any) -> dict[str, Any]:
    """A node's stored columns by name."""
    return {column.name: getattr(row, column.name) for column in table_of(type(row)).c}


async def correction(
    checks: Checks,
    type_name: str,
    node_id: str,
    expected: int | None,
    reason: str | None,
    *,
    why: str = "say why you correct it",
) -> Any:
    """The record an edit corrects, with a problem if the editor read an older revision or
    gave no reason (every correction says why)."""
    row = await checks.record(type_name, node_id)
    check_revision(checks, row, expected)
    if blank(reason):
        checks.add(UserErrorCode.INVALID, f"reason: {why}", "reason")
    return row


def check_revision(checks: Checks, row: Any, expected: int | None) -> None:
    """A problem if the record has moved on from the revision the editor read."""
    if expected is not None and row.revision != expected:
        checks.add(UserErrorCode.STALE_REVISION, _stale(row.revision, expected), "expectedRevision")


def _stale(current: int | None, expected: int) -> str:
    return (
        f"expectedRevision: the record is at revision {current}, not {expected}: it changed "
        "since you read it. Read it again and redo your edit."
    )


async def save_update(
    session: AsyncSession,
    row: Any,
    new: Mapping[str, Any],
    *,
    expected: int,
    revised: Revised,
    now: dt.datetime,
    kind: m.ChangeKind | None = m.ChangeKind.UPDATED,
) -> bool:
    """Write the columns of ``new`` that differ from ``row`` (and ``revised.changes`` given
    beforehand, the links) as the revision after ``expected``. False when nothing changed;
    STALE_REVISION (nothing written) when another edit got there first."""
    changes = field_changes(row_values(row), new)
    revised.changes[:0] = changes
    if not revised.changes:
        return False
    table = table_of(type(row))
    values = {change["field"]: new[change["field"]] for change in changes}
    number = await update_node(
        session,
        table,
        id=row.id,
        slug=row.slug,
        expected=expected,
        values=values,
        revised=revised,
        now=now,
        kind=kind,
    )
    if number is None:
        current = await current_revision(session, table, id=row.id)
        raise Refused(
            [
                user_error(
                    UserErrorCode.STALE_REVISION, _stale(current, expected), "expectedRevision"
                )
            ]
        )
    return True
