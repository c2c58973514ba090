"""Prepared queries: when a client asks again a query the compiler answered (the same text,
operation and variables), the endpoint charges its cost and runs its statement, and Strawberry
never sees it. Parsing, validation, the limits and the cost estimate are a small query's main
cost, and each is a function of the request's text alone, so their outcome is the first
time's; only the rate-limit charge and the data are new each time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from strawberry.types import ExecutionResult

from claimgraph.api.compiled import CompiledQuery, run_compiled
from claimgraph.api.context import RequestDb, RequestState
from claimgraph.api.limits import Cost, charge
from claimgraph.api.lru import Lru, one

#: A request's text: its document, operation name and variables (as sorted JSON).
PreparedKey = tuple[str, str | None, str]


def prepared_key(
    query: str, operation: str | None, variables: dict[str, Any] | None
) -> PreparedKey:
    return (query, operation, json.dumps(variables, sort_keys=True))


@dataclass(frozen=True)
class Prepared:
    compiled: CompiledQuery
    cost: Cost


class PreparedQueries:
    """The queries one endpoint has answered with a compiled statement, most recently used
    kept (the statements are shared with the compiler's own table)."""

    def __init__(self, capacity: int = 256) -> None:
        self._plans: Lru[PreparedKey, Prepared] = Lru(capacity, one)

    def __len__(self) -> int:
        return len(self._plans)

    def learn(self, key: PreparedKey, state: RequestState, result: ExecutionResult) -> None:
        """Remember a query that one compiled statement answered without errors."""
        if state.compiled is not None and state.cost is not None and not result.errors:
            self._plans.put(key, Prepared(state.compiled, state.cost))

    async def answer(
        self, key: PreparedKey, db: RequestDb, state: RequestState
    ) -> ExecutionResult | None:
        """The result of a prepared query (a refusal once the client's budget is spent), or
        None when it is not prepared or the resolvers must answer it: a node it names is
        gone, or its statement failed. The client is charged either way, once."""
        plan = self._plans.get(key)
        if plan is None:
            return None
        extensions = {"cost": plan.cost.as_extension()}
        refusal = charge(state, plan.cost)
        if refusal is not None:
            return ExecutionResult(data=None, errors=[refusal], extensions=extensions)
        data = await run_compiled(db, plan.compiled)
        if data is None:
            self._plans.discard(key)
            return None
        state.compiled = plan.compiled
        return ExecutionResult(data=data, errors=None, extensions=extensions)
