"""Rate limits by cost points per client, with GitHub's headers and `rateLimit` field, and
API keys that give a partner its own, larger budget."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from claimgraph.db.queries.keys import create_key, revoke_key
from tests.conftest import AppClient

RATE = "{ rateLimit { limit cost used remaining resetAt nodeCount } sources { __typename } }"


async def new_key(connection: AsyncConnection, name: str) -> str:
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint") as session:
        _, token = await create_key(session, name=name)
        await session.commit()
    return token


async def test_each_query_is_charged_and_reported(app_client: AppClient) -> None:
    async with app_client(rate_limit_points=10) as http:
        first = await http.post("/graphql", json={"query": RATE})
        second = await http.post("/graphql", json={"query": RATE})
    rate = second.json()["data"]["rateLimit"]
    assert rate["limit"] == 10
    assert (rate["cost"], rate["used"], rate["remaining"]) == (1, 2, 8)
    assert rate["nodeCount"] == 2  # the rate limit object and the sources connection
    assert second.headers["x-ratelimit-limit"] == "10"
    assert second.headers["x-ratelimit-remaining"] == "8"
    assert int(second.headers["x-ratelimit-reset"]) > 0
    assert first.headers["x-ratelimit-remaining"] == "9"


async def test_an_exhausted_client_gets_429_with_retry_after(app_client: AppClient) -> None:
    async with app_client(rate_limit_points=2) as http:
        for _ in range(2):
            assert (await http.post("/graphql", json={"query": RATE})).status_code == 200
        refused = await http.post("/graphql", json={"query": RATE})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-ratelimit-remaining"] == "0"
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert "Rate limit exceeded" in error["message"]
    assert "data" not in refused.json() or refused.json()["data"] is None


async def test_expensive_queries_cost_more_points(app_client: AppClient) -> None:
    query = "{ statements(first: 100) { nodes { relations { statement { claim } } } } }"
    async with app_client() as http:
        response = await http.post("/graphql", json={"query": query})
    cost = response.json()["extensions"]["cost"]
    assert cost["requestedNodes"] == 1 + 100 + 100 * 10 + 100 * 10
    assert cost["points"] == 22
    assert response.headers["x-ratelimit-used"] == "22"


async def test_an_api_key_has_its_own_larger_budget(
    app_client: AppClient, connection: AsyncConnection
) -> None:
    token = await new_key(connection, "fact-checkers")
    bearer = {"Authorization": f"Bearer {token}"}
    async with app_client(rate_limit_points=1, rate_limit_keyed_points=100) as http:
        assert (await http.post("/graphql", json={"query": RATE})).status_code == 200
        assert (await http.post("/graphql", json={"query": RATE})).status_code == 429
        keyed = await http.post("/graphql", json={"query": RATE}, headers=bearer)
    assert keyed.status_code == 200
    assert keyed.json()["data"]["rateLimit"]["limit"] == 100


async def test_a_bad_or_revoked_key_is_refused_not_ignored(
    app_client: AppClient, connection: AsyncConnection
) -> None:
    token = await new_key(connection, "old-partner")
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint") as session:
        assert await revoke_key(session, name="old-partner")
        await session.commit()
    async with app_client() as http:
        revoked = await http.post(
            "/graphql", json={"query": RATE}, headers={"Authorization": f"Bearer {token}"}
        )
        unknown = await http.post(
            "/graphql", json={"query": RATE}, headers={"Authorization": "Bearer cg_nope"}
        )
        malformed = await http.post(
            "/graphql", json={"query": RATE}, headers={"Authorization": "Basic abc"}
        )
    for response in (revoked, unknown, malformed):
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_keys_are_stored_only_as_hashes(connection: AsyncConnection) -> None:
    from sqlalchemy import select

    from claimgraph.db.models import ApiKey

    token = await new_key(connection, "newsroom")
    row = (await connection.execute(select(ApiKey).where(ApiKey.name == "newsroom"))).one()
    assert token not in {str(value) for value in row}
    assert row.prefix == token[:10]


def test_the_in_memory_limiter_refills_each_window() -> None:
    from claimgraph.api.http.ratelimit import InMemoryRateLimiter

    now = [1_000.0]
    limiter = InMemoryRateLimiter(window=60, clock=lambda: now[0])
    assert limiter.charge("ip:1", 3, budget=5).remaining == 2
    refused = limiter.charge("ip:1", 3, budget=5)
    assert not refused.allowed
    assert refused.remaining == 2
    assert limiter.charge("ip:2", 5, budget=5).allowed  # clients are separate
    now[0] += 60
    assert limiter.charge("ip:1", 3, budget=5).allowed


async def test_anonymous_reading_stays_open(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ sources { totalCount } }"})
    assert response.status_code == 200
