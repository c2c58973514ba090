"""The migrations build exactly the models' schema, take it down again and build it back, on
both engines; and their files are named as the project says.

The round trips run on scratch databases (a new SQLite file; a PostgreSQL database beside the
configured one), never on the session's seeded database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from claimgraph import migrations
from claimgraph.db.engine import create_engine
from claimgraph.db.models import Base
from claimgraph.db.queries.search import include_object, outside_the_models
from claimgraph.db.settings import normalise_database_url
from tests.conftest import ENGINES, POSTGRES_URL

VERSIONS_DIR = migrations.MIGRATIONS_DIR / "versions"
MODEL_TABLES = set(Base.metadata.tables)
FILE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})_([a-z0-9]+(?:_[a-z0-9]+)*)\.py$")

Schema = dict[str, dict[str, Any]]


# -- scratch databases -----------------------------------------------------------------------


async def _run_outside_transaction(url: str, *statements: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(params=ENGINES)
def scratch_database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database of each engine that this test alone uses, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    assert POSTGRES_URL is not None
    configured = make_url(normalise_database_url(POSTGRES_URL))
    name = f"{configured.database}_migrations"
    admin = configured.render_as_string(hide_password=False)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    asyncio.run(_run_outside_transaction(admin, drop, f'CREATE DATABASE "{name}"'))
    try:
        yield configured.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_run_outside_transaction(admin, drop))


def _reflect(connection: Connection) -> Schema:
    """Tables with their columns, keys, indexes and constraints, as the database reports."""
    inspector = inspect(connection)
    schema: Schema = {}
    for table in inspector.get_table_names():
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (ix["name"] or "", tuple(str(c) for c in ix["column_names"]), ix["unique"])
                for ix in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (uq["name"] or "", tuple(uq["column_names"]))
                for uq in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(ck["name"] or "" for ck in inspector.get_check_constraints(table)),
        }
    return schema


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def _inspect(url: str) -> tuple[Schema, str | None]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            schema = await connection.run_sync(_reflect)
            revision = await connection.run_sync(_revision)
    finally:
        await engine.dispose()
    return schema, revision


def inspect_database(url: str) -> tuple[Schema, str | None]:
    """The schema of the database at ``url`` and its Alembic revision (None: at base)."""
    return asyncio.run(_inspect(url))


def script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrations.alembic_config())


# -- the models and the migrations agree ----------------------------------------------------


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "target_metadata": Base.metadata,
            "include_object": include_object,
        },
    )
    differences: list[Any] = compare_metadata(context, Base.metadata)
    return differences


async def test_autogenerate_finds_nothing_the_migrations_left_out(database_url: str) -> None:
    """On the session database (migrated to head, never ``create_all``), Alembic compares
    the models with what the migrations built and has nothing to add, drop or alter."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == []


def test_alembic_check_passes_on_a_freshly_migrated_database(scratch_database_url: str) -> None:
    """``alembic check`` as a developer runs it, through the project's env.py."""
    migrations.upgrade(scratch_database_url)
    command.check(migrations.alembic_config(scratch_database_url))  # raises on any difference


# -- up, down, and up again -----------------------------------------------------------------


def test_upgrade_downgrade_upgrade_leaves_the_same_schema(scratch_database_url: str) -> None:
    url = scratch_database_url
    head = script().get_current_head()

    migrations.upgrade(url)
    built, revision = inspect_database(url)
    assert {t for t in built if not outside_the_models(t)} == MODEL_TABLES | {"alembic_version"}
    assert revision == head

    migrations.downgrade(url, "base")
    emptied, revision = inspect_database(url)
    assert set(emptied) <= {"alembic_version"}  # every table of the models is gone
    assert revision is None

    migrations.upgrade(url)
    rebuilt, revision = inspect_database(url)
    assert rebuilt == built
    assert revision == head


def test_each_revision_steps_down_and_back_up(scratch_database_url: str) -> None:
    """The stairway: every revision, applied on top of its predecessor, reverts to exactly
    the predecessor's schema and applies again."""
    url = scratch_database_url
    revisions = list(reversed(list(script().walk_revisions())))  # base first
    assert revisions, "no migrations found"
    below, _ = inspect_database(url)
    for revision in revisions:
        migrations.upgrade(url, revision.revision)
        applied, _ = inspect_database(url)
        down = revision.down_revision
        assert down is None or isinstance(down, str), "merge revisions are not expected"
        migrations.downgrade(url, down or "base")
        reverted, _ = inspect_database(url)
        assert reverted.keys() - {"alembic_version"} == below.keys() - {"alembic_version"}
        assert {t: reverted[t] for t in below if t != "alembic_version"} == {
            t: below[t] for t in below if t != "alembic_version"
        }, revision.revision
        migrations.upgrade(url, revision.revision)
        again, _ = inspect_database(url)
        assert again == applied, revision.revision
        below = applied


# -- the files ---------------------------------------------------------------------------------


def migration_files() -> list[str]:
    return sorted(p.name for p in VERSIONS_DIR.glob("*.py"))


def test_migration_files_are_named_by_date_time_and_slug() -> None:
    names = migration_files()
    assert names, f"no migrations in {VERSIONS_DIR}"
    for name in names:
        match = FILE_NAME.match(name)
        assert match, f"{name} is not YYYY-MM-DD-HHMM_slug.py"
        year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
        stamp = dt.datetime(year, month, day, hour, minute)  # a real date and time
        # The name carries the minute Alembic wrote in the file's "Create Date".
        source = (VERSIONS_DIR / name).read_text(encoding="utf-8")
        created = re.search(r"^Create Date: (\d{4}-\d{2}-\d{2} \d{2}:\d{2})", source, re.M)
        assert created, f"{name} has no Create Date"
        assert created.group(1) == stamp.strftime("%Y-%m-%d %H:%M"), name


def test_migrations_form_one_line_in_file_name_order() -> None:
    """One head, and sorting the files by name sorts them by revision order."""
    directory = script()
    assert len(directory.get_heads()) == 1
    in_order = [r.path for r in reversed(list(directory.walk_revisions()))]
    names = [p.rsplit("/", 1)[-1] for p in in_order]
    assert names == migration_files()


def test_the_command_says_what_a_migration_did(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    import claimgraph.cli
    import claimgraph.db.settings
    from claimgraph.cli import app
    from claimgraph.db.settings import DatabaseSettings

    path = tmp_path / "new.sqlite3"
    configured = DatabaseSettings(database_url=f"sqlite+aiosqlite:///{path}")
    monkeypatch.setattr(claimgraph.db.settings, "settings", configured)
    monkeypatch.setattr(claimgraph.cli, "db_settings", configured)
    head = ScriptDirectory.from_config(migrations.alembic_config()).get_current_head()
    runner = CliRunner()

    def say(*arguments: str) -> str:
        result = runner.invoke(app, ["db", *arguments])
        assert result.exit_code == 0, result.output
        return result.stdout.strip()

    where = f"database sqlite+aiosqlite:///{path}"
    assert (
        say("upgrade") == f"{where} was new: created and migrated to revision {head} (the latest)"
    )
    assert (
        say("upgrade") == f"{where} is already at revision {head} (the latest): nothing to migrate"
    )
    assert say("downgrade", "0005") == (
        f"{where} migrated from revision {head} (the latest) to revision 0005"
    )
