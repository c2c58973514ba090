"""The data version, kept in memory: a background task reads it every few seconds, so answering
a repeated query, or a conditional GET, needs no database at all.

Every write moves the version (it is the newest change's id), and the response cache and the
ETags are keyed on it. Read from memory, it may lag a commit by up to the poll interval: for
that long a process may answer with what it answered before the write. With an interval of 0
there is no task and the version is read from the database for every request that needs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from claimgraph.db.queries.changes import data_version

log = logging.getLogger("claimgraph.api")


class DataVersionWatch:
    """The data version as of the last poll, refreshed by :meth:`start`'s task until
    :meth:`stop`. If the database cannot be reached the last version is kept (the answers
    cached for it were right as of that version) and the task keeps trying."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        interval: float,
        timeout: float = 10.0,
        on_change: Callable[[int], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.interval = interval
        self.timeout = timeout
        self.on_change = on_change
        self._current: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    @property
    def current(self) -> int | None:
        """The version read last, while the poll task runs; None when it does not (no
        interval, not started, or no read has succeeded yet)."""
        return self._current if self._task is not None else None

    async def read(self, session: AsyncSession) -> int:
        """The version to answer with: the one in memory, else read on ``session``."""
        current = self.current
        return current if current is not None else await data_version(session)

    async def start(self) -> None:
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._poll(), name="claimgraph-data-version")

    async def stop(self) -> None:
        task, self._task = self._task, None
        self._current = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def refresh(self) -> None:
        """Read the version once; a failure is logged when it starts and when it ends."""
        try:
            async with asyncio.timeout(self.timeout), self.sessions() as session:
                version = await data_version(session)
        except Exception as error:  # the database is away: keep the last version, retry
            if not self._failing:
                self._failing = True
                log.warning(
                    "cannot read the data version (%s); answering from version %s until the "
                    "database is back",
                    error,
                    self._current,
                )
            return
        if self._failing:
            self._failing = False
            log.info("the data version can be read again: %d", version)
        if version != self._current:
            self._current = version
            if self.on_change is not None:
                self.on_change(version)

    async def _poll(self) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(self.interval)
