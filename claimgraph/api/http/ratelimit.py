"""Rate limits by cost points per window, per client (its API key, else its address).

The state lives in the process by default; :class:`RateLimiter` is the interface a shared
store (Redis, PostgreSQL) would implement for several processes to share one budget.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The outcome of charging a request: GitHub's `rateLimit` fields and HTTP headers."""

    allowed: bool
    limit: int
    cost: int
    remaining: int
    reset_at: float  # epoch seconds when the window restarts

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.reset_at - now))

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
            "X-RateLimit-Used": str(self.limit - self.remaining),
        }


class RateLimiter(Protocol):
    def charge(self, client: str, points: int, *, budget: int) -> RateDecision:
        """Take ``points`` from ``client``'s budget for the current window, if it has them."""


class InMemoryRateLimiter:
    """Fixed windows per client, in this process. Bounded: past ``max_clients`` the least
    recently seen client is forgotten (its budget starts afresh if it comes back), one entry
    per new client, never a rebuild of the table."""

    def __init__(
        self, *, window: int, max_clients: int = 100_000, clock: Callable[[], float] = time.time
    ) -> None:
        self.window = window
        self.max_clients = max_clients
        self.clock = clock
        self._used: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._used)

    def charge(self, client: str, points: int, *, budget: int) -> RateDecision:
        now = self.clock()
        start = now - now % self.window
        with self._lock:
            window_start, used = self._used.pop(client, (start, 0))
            if window_start != start:
                used = 0
            allowed = used + points <= budget
            if allowed:
                used += points
            self._used[client] = (start, used)
            if len(self._used) > self.max_clients:
                self._used.popitem(last=False)
        return RateDecision(
            allowed=allowed,
            limit=budget,
            cost=points,
            remaining=budget - used,
            reset_at=start + self.window,
        )
