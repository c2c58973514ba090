"""What every part of the synthetic corpus shares: its slugs, its fixed clock, its sizes, the
batches its rows are written in, and the seeded draws that ids and days come from."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Table

from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.seed.synthetic.dates import Dates

SLUG_PREFIX = "syn-"
#: When the corpus was "recorded": fixed, so timestamps are deterministic too.
RECORDED_AT = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
FIRST_DAY = dt.date(2005, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)


class SyntheticError(Exception):
    """The corpus cannot be written (e.g. it is already there)."""


def slug_prefix(seed: int) -> str:
    return f"{SLUG_PREFIX}{seed}-"


def statement_slug(seed: int, index: int) -> str:
    """The slug of the ``index``-th statement (0-based) of the corpus with ``seed``."""
    return f"{slug_prefix(seed)}st-{index}"


@dataclass(frozen=True)
class Sizes:
    """How many of each record a corpus of ``statements`` holds (about)."""

    statements: int
    actors: int
    publishers: int
    agreements: int
    deployments: int
    events: int

    @classmethod
    def for_statements(cls, statements: int) -> Sizes:
        if statements < 1:
            raise SyntheticError("give at least one statement")
        return cls(
            statements=statements,
            actors=max(40, statements // 200),  # people; governments, bodies, forces come on top
            publishers=max(5, min(400, statements // 2500)),
            agreements=max(5, statements // 2000),
            deployments=max(5, statements // 2000),
            events=max(10, statements // 500),
        )


def insert_columns(table: Table, names: Iterable[str]) -> tuple[str, ...]:
    """The columns a row giving values for ``names`` is written to, in that order.

    Generated (``Computed``) columns are left out: the database fills them. Columns of the
    table that the row does not name take their defaults, so a new nullable or defaulted
    column needs no change to the generator.
    """
    names = tuple(names)
    unknown = [name for name in names if name not in table.c]
    if unknown:
        raise SyntheticError(f"table {table.name} has no column {', '.join(unknown)}")
    return tuple(name for name in names if table.c[name].computed is None)


class Batch:
    """Rows for one table, as tuples in ``columns`` order; the first row added sets the
    columns (see :func:`insert_columns`), and every row names the same ones."""

    def __init__(self, table: type[m.Base] | Table) -> None:
        self.table = table_of(table)
        self.columns: tuple[str, ...] = ()
        self.rows: list[tuple[Any, ...]] = []
        self._row: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None

    def add(self, **values: Any) -> None:
        if self._row is None:
            self.columns = insert_columns(self.table, values)
            get = itemgetter(*self.columns)  # a tuple for two or more names, else a value
            self._row = get if len(self.columns) > 1 else lambda row: (get(row),)
        self.rows.append(self._row(values))


class Draw:
    """The one seeded RNG every record is drawn from, and the ids, days and change-log rows
    built on it. Ids start after ``base`` (the highest id already in each table)."""

    def __init__(self, seed: int, base: Mapping[str, int]) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.dates = Dates()
        self.base = base
        self.prefix = slug_prefix(seed)

    def id(self, table: str, index: int) -> int:
        return self.base.get(table, 0) + index + 1

    def day(self, lo: dt.date = FIRST_DAY, hi: dt.date = LAST_DAY) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))


def log_created(changes: Batch, node_type: str, slug: str) -> None:
    """Log the creation of a node, as a load would."""
    changes.add(
        node_type=node_type, node_slug=slug, kind=m.ChangeKind.CREATED.value, changed_at=RECORDED_AT
    )
