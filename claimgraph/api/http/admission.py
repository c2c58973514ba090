"""Admission to the routes beside `/graphql` (the bulk export, JSON-LD): each is charged to
the client's rate-limit budget like a query, and exports are bounded in number, per client
and in all, so slow or greedy downloads cannot take what the API needs."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from fastapi.responses import JSONResponse

from claimgraph.api.http.params import anonymous_client
from claimgraph.api.http.ratelimit import RateDecision, RateLimiter
from claimgraph.api.settings import ApiSettings


class Refused(Exception):
    """A request turned away before any work, with the response that says why."""

    def __init__(self, response: JSONResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def refusal(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def client_of(request: Request) -> str:
    """The rate-limit client of a request on these routes: its address."""
    return anonymous_client(request.client.host if request.client else None)


def charge_route(
    limiter: RateLimiter, settings: ApiSettings, client: str, points: int
) -> RateDecision:
    """Take ``points`` from ``client``'s budget; raises :class:`Refused` (429) when spent."""
    rate = limiter.charge(client, points, budget=settings.rate_limit_points)
    if not rate.allowed:
        headers = {**rate.headers(), "Retry-After": str(rate.retry_after(time.time()))}
        raise Refused(
            refusal(
                429,
                f"Rate limit exceeded: this costs {points} points and {rate.remaining} of "
                f"{rate.limit} remain until the window resets (X-RateLimit-Reset).",
                "RATE_LIMITED",
                headers,
            )
        )
    return rate


class ExportSlots:
    """How many exports run, per client and in all; a slot is held while one streams."""

    def __init__(self, *, per_client: int, total: int) -> None:
        self.per_client = per_client
        self.total = total
        self._running: Counter[str] = Counter()

    @property
    def running(self) -> int:
        return sum(self._running.values())

    def take(self, client: str) -> None:
        """Take a slot for ``client``; raises :class:`Refused` when there is none."""
        if self._running[client] >= self.per_client:
            raise Refused(
                refusal(
                    429,
                    f"You are running {self._running[client]} exports; the limit is "
                    f"{self.per_client} at once. Wait for one to finish.",
                    "TOO_MANY_EXPORTS",
                    {"Retry-After": "30"},
                )
            )
        if self.running >= self.total:
            raise Refused(
                refusal(
                    503,
                    f"The server is running {self.total} exports, its limit; try again shortly.",
                    "SERVICE_UNAVAILABLE",
                    {"Retry-After": "30"},
                )
            )
        self._running[client] += 1

    def give_back(self, client: str) -> None:
        self._running[client] -= 1
        if self._running[client] <= 0:
            del self._running[client]

    @contextmanager
    def held(self, client: str) -> Iterator[None]:
        """A slot taken for ``client`` for the block (see :meth:`take`)."""
        self.take(client)
        try:
            yield
        finally:
            self.give_back(client)
