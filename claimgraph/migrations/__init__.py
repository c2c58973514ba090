"""Alembic migrations: schema only, reversible, named ``YYYY-MM-DD-HHMM_slug.py``.

The database URL comes from :mod:`claimgraph.db.settings`, never from ``alembic.ini``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic config for this package, optionally aimed at ``database_url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option(
        "file_template", "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s"
    )
    config.set_main_option("version_path_separator", "os")
    if database_url is not None:
        config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    """Bring the database at ``database_url`` (default: settings) up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None = None, revision: str = "base") -> None:
    """Take the database at ``database_url`` (default: settings) down to ``revision``."""
    command.downgrade(alembic_config(database_url), revision)


def current_revision(database_url: str | None = None) -> str | None:
    """The revision the database at ``database_url`` (default: settings) is at; None if new."""
    from claimgraph.db.engine import create_engine
    from claimgraph.db.settings import settings

    async def read() -> str | None:
        engine = create_engine(database_url or settings.database_url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_revision()
                )
        finally:
            await engine.dispose()

    return asyncio.run(read())


def head_revision() -> str | None:
    """The latest revision the migrations define."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
