"""``claimgraph ingest --load``: the source and its proposals written to DATABASE_URL as DRAFT
statements (with the new actors) in one transaction, by the desk's own edits; a load that
fails writes nothing, neither rows nor files, and says why. On both engines, each in a
database of its own (the command commits)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

import claimgraph.db.engine
from claimgraph.cli import app
from claimgraph.db import models as m
from claimgraph.db.engine import create_engine
from claimgraph.db.settings import DatabaseSettings, normalise_database_url
from claimgraph.migrations import upgrade
from claimgraph.seed.loader import load_seed
from tests.conftest import ENGINES, POSTGRES_URL, reset_postgres

ARTICLE = Path(__file__).parent / "gold" / "veloria-ports-strike" / "article.txt"


def own_postgres_database() -> str:
    """A PostgreSQL database beside the tests' one (``<name>_cli``), created if need be."""
    assert POSTGRES_URL is not None
    url = make_url(normalise_database_url(POSTGRES_URL))
    name = f"{url.database}_cli"

    async def create() -> None:
        engine = create_engine(url.render_as_string(hide_password=False))
        try:
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                found = await connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                )
                if not found:
                    await connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await engine.dispose()

    asyncio.run(create())
    own = url.set(database=name).render_as_string(hide_password=False)
    reset_postgres(own)
    return own


@pytest.fixture(params=ENGINES)
def cli_database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A fresh database, migrated and seeded, that ``claimgraph`` reaches by DATABASE_URL."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    else:
        url = own_postgres_database()
    upgrade(url)

    async def seed() -> None:
        engine = create_engine(url)
        try:
            await load_seed(engine)
        finally:
            await engine.dispose()

    asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(claimgraph.db.engine, "settings", DatabaseSettings())
    return url


def ingest_load(out: Path) -> tuple[int, str]:
    arguments = ["ingest", str(ARTICLE), "--url", "https://example.org/veloria"]
    arguments += ["--published", "2024-03-14", "--publisher", "Meridian Wire"]
    result = CliRunner().invoke(app, [*arguments, "--out", str(out), "--load"])
    return result.exit_code, result.output


def query(url: str, statement: Any) -> list[Any]:
    async def run() -> list[Any]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return list((await connection.execute(statement)).all())
        finally:
            await engine.dispose()

    return asyncio.run(run())


def counts(url: str) -> tuple[int, int, int]:
    [row] = query(
        url,
        select(
            select(func.count()).select_from(m.Statement).scalar_subquery(),
            select(func.count()).select_from(m.Actor).scalar_subquery(),
            select(func.count()).select_from(m.Source).scalar_subquery(),
        ),
    )
    return tuple(row)


def test_load_writes_the_source_and_draft_statements(cli_database: str, tmp_path: Path) -> None:
    statements, actors, sources = counts(cli_database)
    code, output = ingest_load(tmp_path / "out")
    assert code == 0, output
    loaded = int(output.split("DATABASE_URL: loaded ")[1].split()[0])
    assert loaded > 5
    assert counts(cli_database)[0] == statements + loaded
    assert counts(cli_database)[2] == sources + 1
    assert counts(cli_database)[1] > actors  # Lena Varga, Petr Halloran, Meridian Wire
    [(source_id, publisher)] = query(
        cli_database,
        select(m.Source.id, m.Actor.name)
        .join(m.Actor, m.Actor.id == m.Source.publisher_id)
        .where(m.Source.text == ARTICLE.read_text(encoding="utf-8")),
    )
    assert publisher == "Meridian Wire"
    drafts = query(
        cli_database,
        select(m.Statement.status, m.Revision.editor, m.Revision.reason)
        .join(m.Revision, m.Revision.node_id == m.Statement.id)
        .where(m.Statement.source_id == source_id, m.Revision.node_type == "Statement"),
    )
    assert len(drafts) == loaded
    assert {(status, editor) for status, editor, _ in drafts} == {
        (m.StatementStatus.DRAFT, "extract:article.txt")
    }
    assert all(reason.startswith("proposed by the extractor: rule ") for *_, reason in drafts)
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 1


def test_a_failed_load_writes_nothing(cli_database: str, tmp_path: Path) -> None:
    code, output = ingest_load(tmp_path / "first")
    assert code == 0, output
    before = counts(cli_database)
    code, output = ingest_load(tmp_path / "again")
    assert code == 1
    assert "--load: nothing was loaded" in output
    assert "this text is the source" in output
    assert counts(cli_database) == before  # not even the new actors
    assert not (tmp_path / "again").exists()
