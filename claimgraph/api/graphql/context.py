"""The GraphQL context: the request's session, settings and state, and its loaders."""

from __future__ import annotations

import functools

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from claimgraph.api.graphql.loaders import Loaders
from claimgraph.api.session import RequestDb
from claimgraph.api.settings import ApiSettings
from claimgraph.api.state import RequestState


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
