"""Writing the synthetic corpus: explicit ids after the highest already present, in one
transaction, by COPY on PostgreSQL (asyncpg's ``copy_records_to_table``) or batched
executemany; then ANALYZE."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.seed.synthetic.corpus import (
    Batch,
    SyntheticError,
    slug_prefix,
    statement_slug,
)
from claimgraph.seed.synthetic.generator import Generator

#: The tables whose ids the corpus sets itself.
_ID_TABLES = (
    "actors",
    "roles",
    "agreements",
    "agreement_terms",
    "deployments",
    "events",
    "sources",
    "statements",
    "statement_relations",
)
#: Rows per executemany.
_INSERT_ROWS = 20_000


@dataclass
class SyntheticReport:
    statements: int
    seed: int
    engine: str
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    method: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        rate = self.total_rows / self.seconds if self.seconds else 0.0
        tables = ", ".join(f"{name} {n}" for name, n in sorted(self.rows.items()))
        return (
            f"synthetic corpus (seed {self.seed}) on {self.engine} via {self.method}: "
            f"{self.total_rows} rows in {self.seconds:.1f} s = {rate:,.0f} rows/s "
            f"({self.statements / self.seconds if self.seconds else 0:,.0f} statements/s)\n"
            f"{tables}"
        )


async def corpus_present(connection: AsyncConnection, statements: int, seed: int) -> bool:
    """Whether the corpus of ``statements`` with ``seed`` is already loaded (it is written in
    one transaction, so its last statement stands for all of it)."""
    table = table_of(m.Statement)
    found = await connection.scalar(
        select(func.count())
        .select_from(table)
        .where(table.c.slug == statement_slug(seed, statements - 1))
    )
    return bool(found)


async def write_synthetic(
    connection: AsyncConnection, statements: int, seed: int, *, copy: bool = True
) -> SyntheticReport:
    """Generate and write the corpus through ``connection``; the caller owns the transaction.
    ``copy``: use COPY on PostgreSQL (else batched executemany, as on SQLite)."""
    await _refuse_a_second_corpus(connection, seed)
    base = await _highest_ids(connection)
    sink = await _Sink.open(connection, copy=copy)
    report = SyntheticReport(statements, seed, connection.dialect.name, method=sink.method)
    started = time.perf_counter()
    for batch in _batches(Generator(statements, seed, base)):
        if batch.rows:
            report.rows[batch.table.name] += len(batch.rows)
            await sink.write(batch)
    if connection.dialect.name == "postgresql":
        await _advance_sequences(connection)
    report.seconds = time.perf_counter() - started
    return report


async def load_synthetic(
    engine: AsyncEngine, statements: int, seed: int, *, copy: bool = True, analyze: bool = True
) -> SyntheticReport:
    """Write the corpus in one transaction, then ANALYZE (VACUUM ANALYZE on PostgreSQL)."""
    started = time.perf_counter()
    async with engine.begin() as connection:
        report = await write_synthetic(connection, statements, seed, copy=copy)
    if analyze:
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.exec_driver_sql("VACUUM ANALYZE")
            else:
                await connection.exec_driver_sql("ANALYZE")
                await connection.commit()
    report.seconds = time.perf_counter() - started
    return report


async def _refuse_a_second_corpus(connection: AsyncConnection, seed: int) -> None:
    statement = table_of(m.Statement)
    taken = await connection.scalar(
        select(statement.c.slug).where(statement.c.slug.like(f"{slug_prefix(seed)}%")).limit(1)
    )
    if taken is not None:
        raise SyntheticError(
            f"the database already holds a synthetic corpus with seed {seed} ({taken}); "
            "use another seed or a fresh database"
        )


async def _highest_ids(connection: AsyncConnection) -> dict[str, int]:
    base: dict[str, int] = {}
    for name in _ID_TABLES:
        table = m.Base.metadata.tables[name]
        base[name] = int(await connection.scalar(select(func.max(table.c.id))) or 0)
    return base


def _batches(generator: Generator) -> Iterator[Batch]:
    """Every batch, in write order, generated as it is written."""
    yield from generator.reference_batches()
    for batches in generator.statement_batches():
        yield from batches
    yield from generator.evidence_batches()


async def _advance_sequences(connection: AsyncConnection) -> None:
    """Move PostgreSQL's id sequences past the explicit ids the corpus wrote."""
    for name in _ID_TABLES:
        await connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT max(id) FROM {name}))"
            )
        )


class _Sink:
    """Writes batches through one connection: by COPY when ``raw`` (asyncpg's connection)
    is given, else by executemany."""

    def __init__(self, connection: AsyncConnection, raw: Any) -> None:
        self.connection = connection
        self.raw = raw
        self.method = "executemany" if raw is None else "COPY"

    @classmethod
    async def open(cls, connection: AsyncConnection, *, copy: bool) -> _Sink:
        dialect = connection.dialect.name
        if dialect == "sqlite":
            await connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB
        raw: Any = None
        if copy and dialect == "postgresql":
            raw = (await connection.get_raw_connection()).driver_connection
        return cls(connection, raw)

    async def write(self, batch: Batch) -> None:
        columns = list(batch.columns)
        if self.raw is not None:
            await self.raw.copy_records_to_table(
                batch.table.name, records=batch.rows, columns=columns
            )
            return
        for start in range(0, len(batch.rows), _INSERT_ROWS):
            chunk = batch.rows[start : start + _INSERT_ROWS]
            await self.connection.execute(
                insert(batch.table), [dict(zip(columns, row, strict=True)) for row in chunk]
            )
