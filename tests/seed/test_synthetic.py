"""The synthetic corpus (``claimgraph seed synthetic``): the same size and seed give the same
rows and slugs; every excerpt is a slice of its source's text with the quote inside it; the
corpus keeps to its own ``syn-<seed>-`` slugs; and the API serves it.

The database tests write 300 statements through the rolled-back ``connection`` (COPY on
PostgreSQL runs inside the test's transaction); the CLI test uses its own SQLite file.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Computed, Integer, MetaData, Table, Text, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from typer.testing import CliRunner

from claimgraph.api.ids import to_global_id
from claimgraph.cli import app
from claimgraph.db import models as m
from claimgraph.db.fuzzy_dates import DatePrecision
from claimgraph.seed.synthetic import (
    Batch,
    Generator,
    SyntheticError,
    corpus_present,
    statement_slug,
    write_synthetic,
)
from tests.conftest import GraphQL

N = 300


def corpus(statements: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Every row the generator makes, by table, as column -> value."""
    generator = Generator(statements, seed)
    rows: dict[str, list[dict[str, Any]]] = {}
    batches = list(generator.reference_batches())
    for chunk in generator.statement_batches(chunk_statements=100):
        batches.extend(chunk)
    batches.extend(generator.evidence_batches())
    for batch in batches:
        rows.setdefault(batch.table.name, []).extend(
            dict(zip(batch.columns, row, strict=True)) for row in batch.rows
        )
    return rows


@functools.cache
def seed_shaped_corpus() -> dict[str, list[dict[str, Any]]]:
    """Large enough to hold dates of every precision (made once: edtf parsing is slow)."""
    return corpus(2000, 1)


def test_same_size_and_seed_give_the_same_corpus() -> None:
    first, again, other = corpus(N, 5), corpus(N, 5), corpus(N, 6)
    assert first == again
    assert first["statements"] != other["statements"]
    slugs = [row["slug"] for row in first["statements"]]
    assert slugs == [statement_slug(5, i) for i in range(N)]
    assert all(row["slug"].startswith("syn-5-") for row in first["sources"] + first["actors"])


def test_the_corpus_is_the_pinned_one() -> None:
    """Every value of every row, hashed: reshaping the generator must not change the corpus
    (a deliberate change to it updates the pin)."""
    digest = hashlib.sha256()
    for table, rows in sorted(seed_shaped_corpus().items()):
        digest.update(table.encode())
        for row in rows:
            digest.update(repr(sorted(row.items())).encode())
    assert digest.hexdigest() == (
        "b03989ead427faffca5e434a50c705e1403dc86a1880df3aa2000d3ffb80b9ef"
    )


def test_the_corpus_has_the_shape_of_the_seed() -> None:
    rows = seed_shaped_corpus()
    statements = rows["statements"]
    assert len(statements) == 2000
    assert 40 <= len(rows["sources"]) <= 120  # about one source per 25 statements
    # Zipf-skewed speakers: the busiest speaks far more than the median one.
    spoken = sorted(Counter(row["speaker_id"] for row in statements).values(), reverse=True)
    assert spoken[0] > 10 * spoken[len(spoken) // 2]
    # Fuzzy dates of every precision, with open starts, sets and intervals among them.
    precisions = {row["said_precision"] for row in statements}
    assert precisions == {p.value for p in DatePrecision}
    edtfs = [row["said_edtf"] for row in statements]
    assert any(e.startswith("../") for e in edtfs)
    assert any(e.startswith("[") for e in edtfs)
    assert any("/" in e and not e.startswith("..") for e in edtfs)
    assert any(e.endswith("~") for e in edtfs)
    for table in ("statement_relations", "statement_mentions", "roles", "role_evidence"):
        assert rows[table], table
    for table in ("agreement_terms", "term_evidence", "deployments", "events"):
        assert rows[table], table


def test_a_batch_leaves_unnamed_and_generated_columns_to_the_database() -> None:
    """A column the generator does not name (nullable, defaulted) or cannot write (generated)
    needs no change to it: a batch writes exactly the columns its rows name, less generated
    ones, and refuses a name the table lacks."""
    table = Table(
        "people",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", Text, nullable=False),
        Column("nickname", Text, nullable=True),
        Column("rank", Integer, nullable=False, server_default="0"),
        Column("shout", Text, Computed("upper(name)")),
    )
    batch = Batch(table)
    batch.add(id=1, name="Amira", shout="AMIRA")
    batch.add(id=2, name="Omar", shout="OMAR")
    assert batch.columns == ("id", "name")
    assert batch.rows == [(1, "Amira"), (2, "Omar")]
    with pytest.raises(SyntheticError, match="table people has no column nmae"):
        Batch(table).add(id=3, nmae="Layla")


async def test_writes_a_corpus_whose_excerpts_are_slices_of_its_sources(
    connection: AsyncConnection,
) -> None:
    report = await write_synthetic(connection, N, seed=11)
    assert report.rows["statements"] == N
    assert await corpus_present(connection, N, 11)
    s, source = m.Statement, m.Source
    rows = (
        await connection.execute(
            select(s.slug, s.quote, s.excerpt_start, s.excerpt_end, source.text)
            .join(source, source.id == s.source_id)
            .where(s.slug.like("syn-11-%"))
        )
    ).all()
    assert len(rows) == N
    assert {slug for slug, *_ in rows} == {statement_slug(11, i) for i in range(N)}
    for slug, quote, start, end, text in rows:
        excerpt = text[start:end]
        assert 0 <= start < end <= len(text), slug
        assert excerpt, slug
        assert excerpt.strip() == excerpt, slug
        if quote is not None:
            assert quote in excerpt, slug
    # The curated seed is untouched, and a second load of the same seed is refused.
    curated = await connection.scalar(
        select(func.count()).select_from(s).where(s.slug.not_like("syn-%"))
    )
    assert curated == 24
    with pytest.raises(SyntheticError, match="already holds"):
        await write_synthetic(connection, N, seed=11)


async def test_the_api_serves_the_corpus(connection: AsyncConnection, graphql: GraphQL) -> None:
    await write_synthetic(connection, N, seed=12)
    source = to_global_id("Source", "syn-12-source-0")
    data = await graphql(
        """query($source: ID!) {
          statements(first: 100, filter: {source: $source}) {
            totalCount
            nodes { id quote speaker { name } excerpt { start end text source { text } }
                    relations { kind statement { id } } saidOn { edtf precision } }
          }
        }""",
        {"source": source},
    )
    nodes = data["statements"]["nodes"]
    assert nodes
    assert data["statements"]["totalCount"] == len(nodes)
    for node in nodes:
        excerpt = node["excerpt"]
        assert excerpt["text"] == excerpt["source"]["text"][excerpt["start"] : excerpt["end"]]
        if node["quote"]:
            assert node["quote"] in excerpt["text"]
    found = await graphql(
        "query($id: ID!) { node(id: $id) { id ... on Statement { claim } } }",
        {"id": to_global_id("Statement", statement_slug(12, N - 1))},
    )
    assert found["node"]["claim"]
    timeline = await graphql(
        '{ timeline(first: 20, between: {from: "2010-01-01", to: "2020-12-31"}) '
        "{ nodes { __typename } } }"
    )
    assert timeline["timeline"]["nodes"]


def test_the_command_loads_once_and_reports_its_rate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'synthetic.sqlite3'}"
    arguments = ["seed", "synthetic", "--statements", "60", "--seed", "3", "--database-url", url]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert "rows/s" in result.output
    assert "statements 60" in result.output
    again = CliRunner().invoke(app, arguments)
    assert again.exit_code == 1
    assert "already holds" in again.output
