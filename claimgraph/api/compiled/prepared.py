"""Prepared queries: once the compiler has answered a document (its text and operation), the
endpoint answers it again, with these variables or others, without Strawberry: it estimates
the cost, charges it, and runs the compiled statement (built for new variables, kept for
known ones). Parsing, validation and the static limits are a small query's main cost, and
each is a function of the document's text alone, so their outcome is the first time's.

Whatever the prepared path cannot answer exactly as Strawberry would, it leaves to Strawberry
(which then raises the error): variables that do not fit, a query the compiler does not cover
with them, one over the node limit, a `node` that names nothing, a statement that fails. The
client is charged once either way (:func:`claimgraph.api.graphql.limits.charge`)."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import DocumentNode, parse
from strawberry.types import ExecutionResult

from claimgraph.api.compiled import compiled_for, run_compiled
from claimgraph.api.cost import TooManyIds, charge, query_cost
from claimgraph.api.lru import Lru, one
from claimgraph.api.session import RequestDb
from claimgraph.api.settings import ApiSettings
from claimgraph.api.state import RequestState

#: A document's text and the operation asked for.
PreparedKey = tuple[str, str | None]


class PreparedQueries:
    """The documents one endpoint's compiler has answered, most recently used kept."""

    def __init__(
        self, schema: strawberry.Schema, settings: ApiSettings, *, capacity: int = 256
    ) -> None:
        self.schema = schema
        self.settings = settings
        self._documents: Lru[PreparedKey, DocumentNode] = Lru(capacity, one)

    def __len__(self) -> int:
        return len(self._documents)

    def learn(self, key: PreparedKey, state: RequestState, result: ExecutionResult) -> None:
        """Remember a document that one compiled statement answered without errors."""
        if state.compiled is None or state.cost is None or result.errors:
            return
        if self._documents.get(key) is None:
            # Strawberry has parsed it within its limits; this parse is once per document.
            self._documents.put(key, parse(key[0]))

    async def answer(
        self,
        key: PreparedKey,
        variables: dict[str, Any] | None,
        db: RequestDb,
        state: RequestState,
    ) -> ExecutionResult | None:
        """The result of a prepared document (a refusal once the client's budget is spent),
        or None when Strawberry must answer it."""
        document = self._documents.get(key)
        if document is None:
            return None
        query, operation = key
        compiled = compiled_for(
            self.schema,
            document,
            query,
            operation,
            variables,
            dialect=db.session.get_bind().dialect.name,
            settings=self.settings,
        )
        if compiled is None:
            return None
        try:
            cost = query_cost(self.schema._schema, document, operation, variables, self.settings)
        except TooManyIds:
            return None  # Strawberry refuses it, with the error
        if cost is None or cost.nodes > cost.limit:
            return None
        extensions = {"cost": cost.as_extension()}
        refusal = charge(state, cost)
        if refusal is not None:
            return ExecutionResult(data=None, errors=[refusal], extensions=extensions)
        data = await run_compiled(db, compiled)
        if data is None:
            return None
        state.compiled = compiled
        return ExecutionResult(data=data, errors=None, extensions=extensions)
