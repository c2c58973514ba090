"""The app factory: FastAPI with the GraphQL router, health checks and the IDE."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.routing import request_response
from starlette.types import ASGIApp, Receive, Scope, Send

from claimgraph.api.examples import example_tabs
from claimgraph.api.http.admission import ExportSlots
from claimgraph.api.http.endpoint import GraphQLEndpoint
from claimgraph.api.http.export import add_partner_routes
from claimgraph.api.http.hits import CacheHits
from claimgraph.api.http.jsonld import add_jsonld_routes
from claimgraph.api.http.logs import AccessLog, LineBuffer
from claimgraph.api.ide import ide_assets_app, render_ide_page
from claimgraph.api.settings import ApiSettings
from claimgraph.api.settings import settings as default_settings
from claimgraph.db.engine import (
    create_engine,
    create_read_sessionmaker,
    create_sessionmaker,
    create_write_sessionmaker,
)
from claimgraph.db.settings import settings as db_settings

log = logging.getLogger("claimgraph.api")

GRAPHQL_PATH = "/graphql"
IDE_ASSETS_PATH = f"{GRAPHQL_PATH}/ide-assets"


class Api(FastAPI):
    """FastAPI, with GET and POST on `/graphql` taken before its routing and middleware: to
    the endpoint behind the same CORS and error handling, and the cache-hit path
    (:mod:`claimgraph.api.http.hits`) in front when the response cache is on. FastAPI's layers are
    a fifth of a small query's time; everything else (the IDE's assets, health checks, the
    export, other methods) goes through them as usual."""

    #: The `/graphql` endpoint (its response cache, data version and limiter).
    graphql: GraphQLEndpoint
    #: What answers GET and POST on `/graphql`.
    graphql_app: ASGIApp | None = None
    #: The cache-hit path, when there is one (it is then the start of ``graphql_app``).
    front: CacheHits | None = None
    #: The access log, around everything (``CLAIMGRAPH_ACCESS_LOG``).
    access_log: AccessLog | None = None
    #: How many bulk exports run (per client and in all).
    export_slots: ExportSlots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.access_log is not None:
            await self.access_log(scope, receive, send)
        else:
            await self.route(scope, receive, send)

    async def route(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.graphql_app is not None
            and scope["type"] == "http"
            and scope["path"] == GRAPHQL_PATH
            and scope["method"] in ("GET", "POST")
        ):
            await self.graphql_app(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def cors_options(settings: ApiSettings) -> dict[str, Any]:
    """The CORS middleware's options: the app's, and the cache-hit path's."""
    return {
        "allow_origins": settings.cors_origins,
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["*"],
        "expose_headers": [
            "ETag",
            "X-Request-ID",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Used",
            "X-RateLimit-Reset",
            "Retry-After",
        ],
        "max_age": 600,
    }


def engine_options(settings: ApiSettings, *, export: bool = False) -> dict[str, Any]:
    """The options of an engine the app owns. On PostgreSQL the server stops a statement
    that outlives a request (``statement_timeout``) and a transaction left idle
    (``idle_in_transaction_session_timeout``), whatever happens to the process that asked.
    The export engine's pool holds ``max_exports`` connections and its statements may run
    long (an export reads the corpus), but it may not sit idle past the stall limit."""
    if not db_settings.database_url.startswith("postgresql"):
        return {}
    milliseconds = int(settings.request_timeout * 1000)
    server: dict[str, str] = {"idle_in_transaction_session_timeout": str(milliseconds)}
    options: dict[str, Any] = {}
    if export:
        stall = int(settings.export_stall_timeout * 1000) + 5_000  # the app drops it first
        server = {"idle_in_transaction_session_timeout": str(stall)}
        options = {"pool_size": settings.max_exports, "max_overflow": 0}
    else:
        server["statement_timeout"] = str(milliseconds)
    return {**options, "connect_args": {"server_settings": server}}


@dataclass(frozen=True)
class _Databases:
    """The app's sessions: reads, writes (mutations), and exports, which read on a pool of
    their own so that downloads never take the API's connections; and the engines the app
    made itself (it disposes of them when it stops)."""

    reads: async_sessionmaker[AsyncSession]
    writes: async_sessionmaker[AsyncSession]
    exports: async_sessionmaker[AsyncSession]
    owned: tuple[AsyncEngine, ...]

    @classmethod
    def of(
        cls,
        engine: AsyncEngine | None,
        sessions: async_sessionmaker[AsyncSession] | None,
        settings: ApiSettings,
    ) -> _Databases:
        """From what the caller gave: the configured database, an engine, or sessions
        (tests bind them to their own connection, for reads, writes and exports alike)."""
        if sessions is not None:
            return cls(sessions, sessions, sessions, ())
        if engine is not None:
            reads = create_read_sessionmaker(engine)
            return cls(reads, create_write_sessionmaker(engine), reads, ())
        api = create_engine(**engine_options(settings))
        exports = create_engine(**engine_options(settings, export=True))
        return cls(
            create_read_sessionmaker(api),
            create_write_sessionmaker(api),
            create_sessionmaker(exports),
            (api, exports),
        )


def create_app(
    *,
    engine: AsyncEngine | None = None,
    sessions: async_sessionmaker[AsyncSession] | None = None,
    settings: ApiSettings | None = None,
) -> Api:
    """The ASGI app. Without arguments it connects to the configured ``DATABASE_URL``; tests
    pass ``sessions`` bound to their own connection."""
    settings = settings or default_settings
    db = _Databases.of(engine, sessions, settings)
    session_factory = db.reads

    def ide_page() -> str:
        return render_ide_page(
            endpoint=GRAPHQL_PATH, assets_url=IDE_ASSETS_PATH, tabs=example_tabs()
        )

    # One session per request, opened by the endpoint: a read one, never committed, or for a
    # mutation a write one, committed once it has run.
    endpoint = GraphQLEndpoint(
        sessions=session_factory,
        settings=settings,
        ide_page=ide_page,
        write_sessions=db.writes,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The data version is read in the background (CLAIMGRAPH_DATA_VERSION_POLL), not per
        # request; without a lifespan (tests' ASGI clients) every request reads it.
        await endpoint.versions.start()
        try:
            yield
        finally:
            await endpoint.versions.stop()
            if app.access_log is not None:
                app.access_log.sink.flush()
            for own in db.owned:
                await own.dispose()

    app = Api(
        title="claimgraph",
        summary="Who said what, when, and where it was reported.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )

    _add_graphql(app, endpoint, settings)
    if settings.access_log:
        app.access_log = AccessLog(app.route, LineBuffer())

    _add_health_routes(app, session_factory)
    # Partners' routes besides GraphQL: the bulk export, and statements as JSON-LD.
    app.export_slots = add_partner_routes(
        app, sessions=db.exports, settings=settings, limiter=endpoint.limiter
    )
    add_jsonld_routes(app, sessions=session_factory, settings=settings, limiter=endpoint.limiter)
    return app


def _add_graphql(app: Api, endpoint: GraphQLEndpoint, settings: ApiSettings) -> None:
    """``/graphql`` and the IDE's assets, with the fast ways in front of the endpoint."""
    app.graphql = endpoint
    app.add_api_route(GRAPHQL_PATH, endpoint, methods=["GET", "POST"], include_in_schema=False)
    assets = ide_assets_app()
    if assets is not None:
        app.mount(IDE_ASSETS_PATH, assets, name="ide-assets")
    app.add_middleware(CORSMiddleware, **cors_options(settings))
    # The same route, its CORS and a 500 for what escapes, without FastAPI's layers.
    app.graphql_app = ServerErrorMiddleware(
        CORSMiddleware(request_response(endpoint), **cors_options(settings))
    )
    if endpoint.responses.enabled and settings.data_version_poll > 0:
        # Repeated queries are answered before the endpoint's request parsing.
        app.front = CacheHits(
            app.graphql_app, endpoint=endpoint, path=GRAPHQL_PATH, cors=cors_options(settings)
        )
        app.graphql_app = app.front


def _add_health_routes(app: Api, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Liveness, readiness (the database answers) and a map of the routes."""

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """The process is up (says nothing about the database)."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False, response_model=None)
    async def readyz() -> Any:
        """The database answers."""
        try:
            async with sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any failure to reach the database means not ready
            log.warning("readiness check failed: %s", error)
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable"}, status_code=503
            )
        return {"status": "ok", "database": "ok"}

    @app.get("/", include_in_schema=False, response_model=None)
    async def root() -> Any:
        return JSONResponse({"graphql": GRAPHQL_PATH, "health": "/healthz", "ready": "/readyz"})
