"""The per-request context: one database session, serialised, and the request's loaders."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from claimgraph.api.graphql.limits import Cost
from claimgraph.api.graphql.loaders import Loaders
from claimgraph.api.http.ratelimit import RateDecision, RateLimiter
from claimgraph.api.settings import ApiSettings

if TYPE_CHECKING:
    from claimgraph.api.compiled import CompiledQuery

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


@dataclass
class RequestState:
    """Who is asking and what it costs: set by the HTTP layer and the limits, read by the
    `rateLimit` field and the response headers."""

    request_id: str = ""
    #: Rate limits are kept per client: "key:<name>" with an API key, else "ip:<address>".
    client: str = "anonymous"
    budget: int = 0
    limiter: RateLimiter | None = None
    cost: Cost | None = None
    rate: RateDecision | None = None
    #: The answer depends on who asked (it reports their rate limit): never cache it.
    personal: bool = False
    #: The one SQL statement that answered the query (claimgraph.api.compiled), if one did.
    compiled: CompiledQuery | None = None


class Context(BaseContext):
    def __init__(
        self, session: AsyncSession, settings: ApiSettings, request: RequestState | None = None
    ) -> None:
        super().__init__()
        self.db = RequestDb(session)
        self.settings = settings
        self.request_state = request or RequestState()

    @functools.cached_property
    def loaders(self) -> Loaders:
        # Made when a resolver first needs one: a compiled query never does.
        return Loaders(self.db)
