"""Engines and sessions: one engine per process, one session per unit of work."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from claimgraph.db.settings import DatabaseSettings, settings


def _json_dumps(value: Any) -> str:
    # Keep non-ASCII text as text, so a case-insensitive search over JSON columns sees "Shia’".
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


#: The execution option that marks an engine's transactions as writes (BEGIN IMMEDIATE).
WRITES_OPTION = "claimgraph_writes"

#: The SQL function SQLite connections get for :func:`base64url` (PostgreSQL has `encode`).
SQLITE_BASE64URL = "claimgraph_base64url"


def base64url(text: str) -> str:
    """Unpadded base64url of ``text``'s UTF-8 bytes: how global IDs and cursors are written."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _make_sqlite_transactional(engine: AsyncEngine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, issue BEGIN, so SAVEPOINTs and rollbacks work.

    The recipe from SQLAlchemy's pysqlite notes ("Serializable isolation / Savepoints").
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # For queries that build global IDs and cursors in SQL (claimgraph.api.compiled).
        dbapi_connection.create_function(SQLITE_BASE64URL, 1, base64url, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock at BEGIN (waiting its turn up to the busy timeout):
        # a deferred BEGIN that reads first and writes later can deadlock with another such.
        writes = connection.get_execution_options().get(WRITES_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def pool_options(database: DatabaseSettings) -> dict[str, Any]:
    """The pool's size, overflow, timeout and recycle age, from the settings."""
    return {
        "pool_size": database.database_pool_size,
        "max_overflow": database.database_pool_overflow,
        "pool_timeout": database.database_pool_timeout,
        "pool_recycle": database.database_pool_recycle,
    }


def create_engine(
    url: str | None = None, *, echo: bool | None = None, **options: Any
) -> AsyncEngine:
    """Create the async engine for ``url`` (default: the configured ``DATABASE_URL``);
    ``options`` go to SQLAlchemy (pool sizes, ``connect_args``) over the settings' pool."""
    url = url or settings.database_url
    parsed = make_url(url)
    # No pool pre-ping: it costs every checkout a round trip. A connection found dead is
    # replaced with all its pool (SQLAlchemy's optimistic disconnect handling), and the API
    # runs the read it failed again (claimgraph.api.http.endpoint).
    kwargs: dict[str, Any] = {"json_serializer": _json_dumps}
    sqlite = parsed.get_backend_name() == "sqlite"
    in_memory = sqlite and parsed.database in (None, "", ":memory:")
    if sqlite and parsed.database and not in_memory:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    if not in_memory:  # an in-memory SQLite database is one connection (StaticPool)
        kwargs |= pool_options(settings)
    kwargs |= options
    engine = create_async_engine(
        url, echo=settings.database_echo if echo is None else echo, **kwargs
    )
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactional(engine)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (we never lazy-load)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def create_write_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for writes (the desk's mutations): one transaction each, committed by the
    caller; on SQLite it takes the write lock when it begins."""
    return create_sessionmaker(engine.execution_options(**{WRITES_OPTION: True}))


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for the API's reads. On PostgreSQL their statements run without BEGIN and
    ROLLBACK: at READ COMMITTED a transaction gives each statement nothing its own snapshot
    does not, and the two are round trips a one-statement query would pay for. A read that
    needs one snapshot across statements (the export) asks for its own transaction."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return create_sessionmaker(engine)
