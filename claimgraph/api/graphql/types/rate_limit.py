"""RateLimit: what this request cost and what is left, as GitHub's API reports it."""

from __future__ import annotations

import datetime as dt

import strawberry

from claimgraph.api.state import RequestState


@strawberry.type(
    description="Your rate limit. Each query costs one point per 100 nodes it could return "
    "(at least one); points are counted per API key, or per address without one, and the "
    "budget refills when the window resets. The same figures come in X-RateLimit-* headers."
)
class RateLimit:
    limit: int = strawberry.field(description="Points in each window.")
    cost: int = strawberry.field(description="Points this query cost.")
    used: int = strawberry.field(description="Points used in this window, this query included.")
    remaining: int = strawberry.field(description="Points left in this window.")
    reset_at: dt.datetime = strawberry.field(description="When the window resets (UTC).")
    node_count: int = strawberry.field(
        description="How many nodes this query could return, as estimated before it ran."
    )

    @classmethod
    def of(cls, state: RequestState) -> RateLimit | None:
        if state.rate is None or state.cost is None:
            return None
        rate = state.rate
        return cls(
            limit=rate.limit,
            cost=state.cost.points,
            used=rate.limit - rate.remaining,
            remaining=rate.remaining,
            reset_at=dt.datetime.fromtimestamp(rate.reset_at, dt.UTC),
            node_count=state.cost.nodes,
        )
