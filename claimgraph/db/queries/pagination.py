"""Keyset pagination: pages are cut by comparing sort keys, never by OFFSET, so page 50,000
costs what page 1 costs. A key is the tuple of a row's sort values, ending in its id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    Subquery,
    func,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

T = TypeVar("T")
Key = tuple[Any, ...]
#: A sort key or filter column: a Core column or a mapped attribute.
SqlColumn = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class PageRequest:
    """At most one of ``first``/``last``; ``after``/``before`` are decoded keys."""

    first: int | None = None
    after: Key | None = None
    last: int | None = None
    before: Key | None = None

    @property
    def backward(self) -> bool:
        return self.last is not None

    @property
    def size(self) -> int:
        size = self.last if self.backward else self.first
        assert size is not None, "the API layer always sets first or last"
        return size


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    keys: list[Key]
    has_next: bool
    has_previous: bool


@dataclass(frozen=True)
class Ordering:
    """The sort keys of a list, all in one direction (so a tuple comparison cuts the page)."""

    keys: Sequence[SqlColumn]
    descending: bool = False

    def order_by(self, *, reverse: bool = False) -> list[ColumnElement[Any]]:
        down = self.descending != reverse
        return [key.desc() if down else key.asc() for key in self.keys]

    def after(self, key: Key, *, reverse: bool = False) -> ColumnElement[bool]:
        """Rows strictly after ``key`` in this order (before it, when ``reverse``)."""
        row, bound = tuple_(*self.keys), tuple_(*key)
        return row < bound if self.descending != reverse else row > bound

    def coerce(self, values: Sequence[Any]) -> Key:
        """Turn decoded JSON values back into a key of this ordering, or raise ValueError."""
        if len(values) != len(self.keys):
            raise ValueError(f"expected {len(self.keys)} sort values, got {len(values)}")
        return tuple(_coerce(value, key) for value, key in zip(values, self.keys, strict=True))


def _coerce(value: Any, key: SqlColumn) -> Any:
    python_type = key.type.python_type
    if python_type is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if python_type is dt.datetime and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if python_type is int and isinstance(value, int) and not isinstance(value, bool):
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"sort value {value} is out of range")
        return value
    if python_type is str and isinstance(value, str):
        # What no database text holds: NUL (PostgreSQL refuses it) and lone surrogates (not
        # UTF-8). Other control characters can be in a name, so its cursor must carry them.
        if any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value):
            raise ValueError("sort value holds NUL or a lone surrogate, which no text can")
        return value
    raise ValueError(f"sort value {value!r} does not fit {python_type.__name__}")


def json_key(key: Key) -> list[Any]:
    """A key as JSON-ready values (dates and timestamps as ISO 8601 text)."""
    return [value.isoformat() if isinstance(value, dt.date) else value for value in key]


def page_query(query: Select[Any], *, ordering: Ordering, request: PageRequest) -> Select[Any]:
    """The rows of one page of ``query`` and one more (which tells whether more follow): cut
    by the request's cursors, with the ordering's keys appended as the last columns, in
    page order (reversed when paging backward)."""
    merged = _merged(query, ordering)
    if merged is not None:
        query, ordering = _cut_branches(merged, query, ordering, request)
    return _cut(query.add_columns(*ordering.keys), ordering, request)


def _cut(query: Select[Any], ordering: Ordering, request: PageRequest) -> Select[Any]:
    """``query`` past the request's cursors, in page order, one row longer than the page."""
    backward = request.backward
    start, stop = (request.before, request.after) if backward else (request.after, request.before)
    if start is not None:
        query = query.where(ordering.after(start, reverse=backward))
    if stop is not None:
        query = query.where(ordering.after(stop, reverse=not backward))
    return query.order_by(*ordering.order_by(reverse=backward)).limit(request.size + 1)


def _merged(query: Select[Any], ordering: Ordering) -> Subquery | None:
    """The UNION ALL that ``query`` lists as it is (the timeline, search), if it is one."""
    froms = query.get_final_froms()
    if query.whereclause is not None or len(froms) != 1:
        return None
    union = froms[0]
    if not isinstance(union, Subquery) or not isinstance(union.element, CompoundSelect):
        return None
    columns = [*query.selected_columns, *ordering.keys]
    if not all(getattr(c, "table", None) is union for c in columns):
        return None
    return union


def _cut_branches(
    union: Subquery, query: Select[Any], ordering: Ordering, request: PageRequest
) -> tuple[Select[Any], Ordering]:
    """``query`` over ``union`` with every branch already cut to the page: each branch reads
    its page from its own index, and only those rows are merged. (PostgreSQL would otherwise
    sort every row of every branch: a branch's kind is a constant, so the branch's index
    order does not match the list's.)"""
    names = [key.name for key in ordering.keys]
    branches = []
    for branch in union.element.selects:  # type: ignore[attr-defined]
        own = Ordering([branch.selected_columns[name] for name in names], ordering.descending)
        cut = _cut(branch, own, request)
        branches.append(select(cut.subquery()))  # a subquery: SQLite takes no ORDER BY inside
    merged = union_all(*branches).subquery(union.name)
    outer = select(*(merged.c[column.name] for column in query.selected_columns))
    return outer, Ordering([merged.c[name] for name in names], ordering.descending)


async def fetch_page(
    session: AsyncSession,
    *,
    query: Select[Any],
    ordering: Ordering,
    request: PageRequest,
    convert: Callable[[Row[Any]], T],
) -> Page[T]:
    """One page of ``query`` in ``ordering``, cut by the request's cursors."""
    backward = request.backward
    page = page_query(query, ordering=ordering, request=request)
    rows = list((await session.execute(page)).all())
    more = len(rows) > request.size
    rows = rows[: request.size]
    if backward:
        rows.reverse()
    width = len(ordering.keys)
    items = [convert(row) for row in rows]
    keys = [tuple(row[-width:]) for row in rows]
    # Past a cursor there is, by construction, at least the row the cursor was taken from.
    return Page(
        items,
        keys,
        has_next=more if not backward else request.before is not None,
        has_previous=more if backward else request.after is not None,
    )


async def fetch_child_pages(
    session: AsyncSession,
    *,
    query: Select[Any],
    parent: SqlColumn,
    parents: Sequence[Any],
    ordering: Ordering,
    first: int,
    after: Key | None,
    convert: Callable[[Row[Any]], T],
) -> dict[Any, Page[T]]:
    """The first ``first`` rows after ``after`` for each of ``parents``, in one statement.

    A plain LIMIT would cap the whole batch; ``ROW_NUMBER() OVER (PARTITION BY parent)``
    pages each parent on its own.
    """
    if after is not None:
        query = query.where(ordering.after(after))
    position = func.row_number().over(partition_by=parent, order_by=ordering.order_by())
    inner = (
        query.add_columns(
            parent.label("page_parent"), position.label("page_position"), *ordering.keys
        )
        .where(parent.in_(parents))
        .subquery()
    )
    outer = (
        select(inner)
        .where(inner.c.page_position <= first + 1)
        .order_by(inner.c.page_parent, inner.c.page_position)
    )
    width = len(ordering.keys)
    grouped: dict[Any, list[Row[Any]]] = {key: [] for key in parents}
    for row in (await session.execute(outer)).all():
        grouped[row._mapping["page_parent"]].append(row)
    pages: dict[Any, Page[T]] = {}
    for key, rows in grouped.items():
        more = len(rows) > first
        rows = rows[:first]
        pages[key] = Page(
            [convert(row) for row in rows],
            [tuple(row[-width:]) for row in rows],
            has_next=more,
            has_previous=after is not None,
        )
    return pages


async def count_rows(session: AsyncSession, *, query: Select[Any]) -> int:
    """How many rows ``query`` returns."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return int(total or 0)


async def count_per_parent(
    session: AsyncSession, *, query: Select[Any], parent: SqlColumn, parents: Sequence[Any]
) -> dict[Any, int]:
    """How many rows ``query`` has for each of ``parents``, in one statement."""
    inner = query.add_columns(parent.label("page_parent")).where(parent.in_(parents)).subquery()
    rows = await session.execute(
        select(inner.c.page_parent, func.count()).group_by(inner.c.page_parent)
    )
    counts = dict.fromkeys(parents, 0)
    counts.update({key: int(n) for key, n in rows.all()})
    return counts
