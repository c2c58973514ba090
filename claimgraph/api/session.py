"""The request's one database session, serialised: GraphQL resolves sibling fields
concurrently, and an AsyncSession allows one operation at a time. A request out of time
stops its statements (:meth:`RequestDb.abort`) rather than waiting for them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

P = ParamSpec("P")
R = TypeVar("R")


class RequestDb:
    """The request's one session. GraphQL resolves sibling fields concurrently, and an
    AsyncSession allows one operation at a time, so every query takes its turn here."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._turn = asyncio.Lock()
        self._running: set[asyncio.Future[Any]] = set()
        #: Stops the statement running on an SQLite connection (sqlite3's interrupt).
        self._interrupt: Callable[[], None] | None = None
        self._aborted = False

    async def run(
        self,
        function: Callable[Concatenate[AsyncSession, P], Awaitable[R]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run a query function (``db.queries``) on this request's session.

        The query runs to its end even if the field that asked is cancelled (graphql-core
        cancels a failed field's siblings): a session interrupted mid-statement cannot be
        closed cleanly. :meth:`settle` waits for such stragglers before the session closes.
        """

        async def turn() -> R:
            async with self._turn:
                if self._aborted:
                    raise asyncio.CancelledError  # the request is out of time: start nothing
                if self._interrupt is None and self.session.get_bind().dialect.name == "sqlite":
                    self._interrupt = await self._sqlite_interrupt()
                return await function(self.session, *args, **kwargs)

        task = asyncio.ensure_future(turn())
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return await asyncio.shield(task)

    async def settle(self) -> None:
        """Wait for every query still running on the session (their results are unused);
        after :meth:`abort`, nothing more (it waited as long as it is worth)."""
        while self._running and not self._aborted:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def abort(self, *, grace: float = 2.0) -> None:
        """Stop every query still running on the session and wait (at most ``grace``
        seconds) for them to end. PostgreSQL: the task is cancelled, and asyncpg asks the
        server to cancel the statement (SQLAlchemy then discards the connection). SQLite:
        the statement is interrupted in its thread and ends with an error; cancelling the
        task would leave the thread running it."""
        self._aborted = True
        running = set(self._running)
        if not running:
            return
        if self._interrupt is not None:
            self._interrupt()
        else:
            for task in running:
                task.cancel()
        await asyncio.wait(running, timeout=grace)
        for task in running:  # retrieved, so an ended task's error is never logged as lost
            if task.done() and not task.cancelled():
                task.exception()

    async def _sqlite_interrupt(self) -> Callable[[], None]:
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        # aiosqlite keeps the sqlite3 connection as ``_conn``; its interrupt() may be called
        # from any thread and stops the statement running in aiosqlite's.
        interrupt: Callable[[], None] = raw.driver_connection._conn.interrupt  # type: ignore[union-attr]
        return interrupt
