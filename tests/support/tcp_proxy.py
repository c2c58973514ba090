"""A TCP proxy for fault tests: it forwards to a real server and can be stopped (refusing new
connections and cutting open ones) and started again on the same port, like a database that
goes away and comes back. It never touches the real server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from claimgraph.db.engine import create_engine


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Refuse new connections and cut every open one."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._pipes):
            writer.transport.abort()
        self._pipes.clear()

    async def _serve(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        try:
            upstream_reader, upstream = await asyncio.open_connection(*self.target)
        except OSError:
            client.transport.abort()
            return
        self._pipes.update({client, upstream})
        await asyncio.gather(
            self._pump(client_reader, upstream), self._pump(upstream_reader, client)
        )

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
        self._pipes.discard(writer)


@contextlib.asynccontextmanager
async def proxied_database(database_url: str) -> AsyncIterator[tuple[TcpProxy, AsyncEngine]]:
    """The test database behind a :class:`TcpProxy`, and an engine that reaches it through the
    proxy. Skips the test on SQLite: a file, not a server that can go away."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("SQLite is a file, not a server that can go away")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    engine = create_engine(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    try:
        yield proxy, engine
    finally:
        await proxy.stop()
        await engine.dispose()
