"""The request's one database session, serialised: GraphQL resolves sibling fields
concurrently, and an AsyncSession allows one operation at a time."""

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
                return await function(self.session, *args, **kwargs)

        task = asyncio.ensure_future(turn())
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return await asyncio.shield(task)

    async def settle(self) -> None:
        """Wait for every query still running on the session (their results are unused)."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
