"""Which statements a request sees. Lists show PUBLISHED statements (RETRACTED ones only
when a filter asks for them); ``node(id:)`` and links show RETRACTED ones too; DRAFT ones
only an editor sees (an EDIT or ADMIN key), wherever they would appear.

Who is asking is set once per request (:data:`SEES_DRAFTS`, by the HTTP layer that knows
the key), so that every query built while answering it, by the resolvers or the compiler,
reads the same rule. The export and the change feed never show drafts, whoever asks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import ColumnElement, and_, false, select, true

from claimgraph.db.models.enums import StatementStatus
from claimgraph.db.models.statement import Statement as StatementRow
from claimgraph.db.queries.pagination import SqlColumn

#: Whether the request being answered may see draft statements.
SEES_DRAFTS: ContextVar[bool] = ContextVar("claimgraph_sees_drafts", default=False)


@contextmanager
def seeing_drafts(sees: bool) -> Iterator[None]:
    """Answer what runs inside as a request that sees drafts (``sees``) or not would."""
    token = SEES_DRAFTS.set(sees)
    try:
        yield
    finally:
        SEES_DRAFTS.reset(token)


def listed_statuses(asked: Sequence[StatementStatus] | None = None) -> list[StatementStatus]:
    """The statuses a list shows: those ``asked`` for (else PUBLISHED, and DRAFT to an
    editor), never DRAFT to anyone else."""
    sees = SEES_DRAFTS.get()
    if asked is None:
        wanted = [StatementStatus.PUBLISHED, StatementStatus.DRAFT]
    else:
        wanted = [status for status in StatementStatus if status in asked]
    return [status for status in wanted if sees or status != StatementStatus.DRAFT]


def shown_statuses() -> list[StatementStatus]:
    """The statuses a statement asked for by ID (or linked as evidence) may have."""
    return listed_statuses(list(StatementStatus))


def listed(
    status: SqlColumn, asked: Sequence[StatementStatus] | None = None
) -> ColumnElement[bool]:
    """``status`` (a statement's column) is one a list shows."""
    return _among(status, listed_statuses(asked))


def shown(status: SqlColumn) -> ColumnElement[bool]:
    """``status`` (a statement's column) is one ``node(id:)`` answers."""
    return _among(status, shown_statuses())


def _among(status: SqlColumn, statuses: list[StatementStatus]) -> ColumnElement[bool]:
    """``status`` is one of ``statuses``. Where PUBLISHED is one (most rows), said as the
    statuses left out, so that a page is still read in its order's index, not through the
    status index and a sort of every row it finds (SQLite's planner takes an equality)."""
    if not statuses:
        return false()
    if StatementStatus.PUBLISHED not in statuses:
        return status.in_(statuses)
    others = [s for s in StatementStatus if s not in statuses]
    return status.not_in(others) if others else true()


def relation_shown(subject_id: SqlColumn, object_id: SqlColumn) -> ColumnElement[bool]:
    """A relation between statements shows where both its ends may be seen (never a
    draft's relation to anyone who may not see the draft)."""
    seen = select(StatementRow.id).where(shown(StatementRow.status)).correlate(None)
    return and_(subject_id.in_(seen), object_id.in_(seen))


def exported(status: SqlColumn) -> ColumnElement[bool]:
    """``status`` (a statement's column) is one the export and the feed show: not a draft."""
    return status != StatementStatus.DRAFT
