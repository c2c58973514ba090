"""What the HTTP layer, the limits and the compiled path know of one request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimgraph.db.models.enums import KeyScope

if TYPE_CHECKING:
    from claimgraph.api.compiled import CompiledQuery
    from claimgraph.api.cost import Cost
    from claimgraph.api.http.ratelimit import RateDecision, RateLimiter


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
    #: Points taken before any work (every request costs at least one), counted towards
    #: the query's own price when it is charged.
    paid: int = 0
    #: The answer depends on who asked (it reports their rate limit): never cache it.
    personal: bool = False
    #: The one SQL statement that answered the query (claimgraph.api.compiled), if one did.
    compiled: CompiledQuery | None = None
    #: The API key's scope and name (its revisions' editor); None without a key.
    scope: KeyScope | None = None
    key_name: str | None = None
    #: The request is a mutation: it runs in a transaction, and its answer is never cached.
    writes: bool = False

    @property
    def sees_drafts(self) -> bool:
        """Draft statements are seen only with an EDIT (or ADMIN) key."""
        return self.scope in (KeyScope.EDIT, KeyScope.ADMIN)
