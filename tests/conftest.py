"""Test fixtures: a database per engine built by ``alembic upgrade head`` and seeded once, and
per test a connection inside a transaction that is rolled back afterwards.

The suite runs on SQLite always and on PostgreSQL when ``CLAIMGRAPH_TEST_DATABASE_URL`` is
set (``.ci/run`` sets it); without it the PostgreSQL half is skipped, not failed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker

from claimgraph import migrations
from claimgraph.api.app import create_app
from claimgraph.api.settings import ApiSettings
from claimgraph.db.engine import create_engine
from claimgraph.db.settings import normalise_database_url
from claimgraph.seed.loader import load_seed
from tests.support.server import running_server

POSTGRES_URL = os.environ.get("CLAIMGRAPH_TEST_DATABASE_URL")
#: When the seed was "recorded" in the test databases, so timestamps are predictable.
SEEDED_AT = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)

ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL,
                reason="PostgreSQL not configured: set CLAIMGRAPH_TEST_DATABASE_URL to run",
            ),
        ],
    ),
]


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL test database (it belongs to the tests)."""
    import asyncio

    async def run() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(run())


def fresh_database_url(kind: str, directory: Path) -> str:
    """An empty database of ``kind``: a new SQLite file, or the emptied PostgreSQL one."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{directory / 'claimgraph-test.sqlite3'}"
    assert POSTGRES_URL is not None
    url = normalise_database_url(POSTGRES_URL)
    reset_postgres(url)
    return url


@pytest.fixture(scope="session", params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of each engine, migrated to head by Alembic (never ``create_all``)."""
    url = fresh_database_url(request.param, tmp_path_factory.mktemp(request.param))
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The migrated database with the shipped seed loaded (once per engine)."""
    engine = create_engine(database_url)
    await load_seed(engine, now=SEEDED_AT)
    yield engine
    await engine.dispose()


@dataclass
class SqlLog:
    """The SQL statements run on a connection (for pinning how many a query needs)."""

    statements: list[str] = field(default_factory=list)
    active: bool = False

    def __len__(self) -> int:
        return len(self.statements)

    def clear(self) -> None:
        self.statements.clear()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction that is rolled back after the test: tests may write."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


@pytest.fixture
def sql_log(connection: AsyncConnection) -> Iterator[SqlLog]:
    log = SqlLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        bookkeeping = statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
        if log.active and not bookkeeping:
            log.statements.append(statement)

    target = connection.sync_connection
    assert target is not None
    event.listen(target, "before_cursor_execute", record)
    yield log
    event.remove(target, "before_cursor_execute", record)


@pytest.fixture
def api_settings() -> ApiSettings:
    # No response cache: tests change rows inside their transaction without writing the change
    # log, which is what moves the data version (tests/api/test_response_cache.py tests it).
    return ApiSettings(
        default_page_size=20, max_page_size=100, cors_origins=["*"], response_cache_bytes=0
    )


@pytest.fixture
async def client(
    connection: AsyncConnection, api_settings: ApiSettings
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app, whose sessions share the test's rolled-back transaction."""
    sessions = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    app = create_app(sessions=sessions, settings=api_settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://claimgraph.test") as http:
        yield http


GraphQL = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def graphql_response(client: httpx.AsyncClient) -> GraphQL:
    """POST a query; return the whole response body (data and errors)."""

    async def post(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        body: dict[str, Any] = response.json()
        return body

    return post


@pytest.fixture
def graphql(graphql_response: GraphQL) -> GraphQL:
    """POST a query that must succeed; return its ``data``."""

    async def post(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await graphql_response(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    return post


@pytest.fixture(scope="session")
def live_server(
    engine: AsyncEngine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real server (uvicorn in a subprocess) on a free loopback port, serving the seeded
    test database of this engine; yields its base URL."""
    log = tmp_path_factory.mktemp("live-server") / "server.log"
    with running_server(database_url, log) as base_url:
        yield base_url


AppClient = Callable[..., Any]


@pytest.fixture
def app_client(connection: AsyncConnection) -> AppClient:
    """An HTTP client for an app with other settings (or another engine), sharing the test's
    transaction unless ``engine`` is given: ``async with app_client(max_nodes=10) as http``."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def open_client(
        engine: AsyncEngine | None = None, **overrides: Any
    ) -> AsyncIterator[httpx.AsyncClient]:
        settings = ApiSettings(**{"response_cache_bytes": 0, **overrides})
        if engine is None:
            sessions = async_sessionmaker(
                bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )
            app = create_app(sessions=sessions, settings=settings)
        else:
            app = create_app(engine=engine, settings=settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://claimgraph.test"
        ) as http:
            yield http

    return open_client
