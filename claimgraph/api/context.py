"""The per-request context: one database session, serialised, and the request's loaders."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from claimgraph.api.loaders import Loaders
from claimgraph.api.settings import ApiSettings

P = ParamSpec("P")
R = TypeVar("R")


class RequestDb:
    """The request's one session. GraphQL resolves sibling fields concurrently, and an
    AsyncSession allows one operation at a time, so every query takes its turn here."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._turn = asyncio.Lock()

    async def run(
        self,
        function: Callable[Concatenate[AsyncSession, P], Awaitable[R]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """Run a query function (``db.queries``) on this request's session."""
        async with self._turn:
            return await function(self.session, *args, **kwargs)


class Context(BaseContext):
    def __init__(self, session: AsyncSession, settings: ApiSettings) -> None:
        super().__init__()
        self.db = RequestDb(session)
        self.settings = settings
        self.loaders = Loaders(self.db)
