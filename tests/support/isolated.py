"""A database of its own for a test that must commit (concurrent writers on separate
connections): a new SQLite file, or a new schema in the PostgreSQL test database, migrated
by Alembic and seeded; dropped afterwards."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from claimgraph.db.engine import create_engine
from claimgraph.db.settings import normalise_database_url
from claimgraph.migrations import alembic_config
from claimgraph.seed.loader import load_seed


async def _migrate(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:

        def upgrade(sync_connection: object) -> None:
            config = alembic_config()
            config.attributes["connection"] = sync_connection
            command.upgrade(config, "head")

        await connection.run_sync(upgrade)
        await connection.commit()


@asynccontextmanager
async def isolated_engine(
    kind: str, directory: Path, postgres_url: str | None
) -> AsyncIterator[AsyncEngine]:
    """A migrated, seeded database of ``kind`` that no other test sees."""
    schema = None
    if kind == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{directory / 'isolated.sqlite3'}")
    else:
        assert postgres_url is not None
        url = normalise_database_url(postgres_url)
        schema = f"isolated_{secrets.token_hex(4)}"
        async with create_engine(url).begin() as connection:
            await connection.execute(text(f"CREATE SCHEMA {schema}"))
        # public stays on the path: extensions (pg_trgm's operator classes) live there.
        settings = {"search_path": f"{schema},public"}
        engine = create_async_engine(url, connect_args={"server_settings": settings})
    try:
        await _migrate(engine)
        await load_seed(engine)
        yield engine
    finally:
        await engine.dispose()
        if schema is not None:
            assert postgres_url is not None
            cleanup = create_engine(normalise_database_url(postgres_url))
            async with cleanup.begin() as connection:
                await connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            await cleanup.dispose()
