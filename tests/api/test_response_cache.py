"""The response cache: a repeated query is answered from memory while the data is unchanged,
charged like the query, never served stale and never shared where the answer is personal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.limits import Cost
from claimgraph.api.response_cache import CachedAnswer, ResponseCache
from claimgraph.db.models import Change, ChangeKind
from tests.conftest import AppClient, SqlLog

QUERY = {"query": "{ statements(first: 3) { nodes { claim speaker { name } } } }"}


async def test_a_repeated_query_is_answered_from_the_cache(
    app_client: AppClient, sql_log: SqlLog
) -> None:
    async with app_client(response_cache_bytes=2**20) as http:
        sql_log.active = True
        first = await http.post("/graphql", json=QUERY)
        ran = len(sql_log)
        sql_log.clear()
        again = await http.post("/graphql", json=QUERY)
        sql_log.active = False
    assert again.content == first.content
    assert ran > 2
    assert len(sql_log) == 1, sql_log.statements  # only the data version is read


async def test_a_write_makes_the_cache_miss(
    app_client: AppClient, connection: AsyncConnection
) -> None:
    async with app_client(response_cache_bytes=2**20) as http:
        before = await http.post("/graphql", json=QUERY)
        await connection.execute(
            insert(Change).values(
                node_type="Statement",
                node_slug="x",
                kind=ChangeKind.UPDATED,
                changed_at=dt.datetime.now(dt.UTC),
            )
        )
        after = await http.post("/graphql", json=QUERY)
    assert after.json()["data"] == before.json()["data"]
    # a miss runs the query again, so the rate limit sees a fresh charge either way
    assert int(after.headers["x-ratelimit-used"]) == 2


async def test_cached_answers_are_charged_and_limited(app_client: AppClient) -> None:
    async with app_client(response_cache_bytes=2**20, rate_limit_points=2) as http:
        assert (await http.post("/graphql", json=QUERY)).status_code == 200
        cached = await http.post("/graphql", json=QUERY)
        refused = await http.post("/graphql", json=QUERY)
    assert cached.headers["x-ratelimit-remaining"] == "0"
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_personal_answers_and_errors_are_not_cached(app_client: AppClient) -> None:
    personal = {"query": "{ rateLimit { remaining } }"}
    async with app_client(response_cache_bytes=2**20) as http:
        first = (await http.post("/graphql", json=personal)).json()["data"]["rateLimit"]
        second = (await http.post("/graphql", json=personal)).json()["data"]["rateLimit"]
    assert second["remaining"] == first["remaining"] - 1


def test_the_cache_is_bounded_in_bytes() -> None:
    cache = ResponseCache(max_bytes=8_000)
    for n in range(100):
        cache.put(f"k{n}", CachedAnswer(body=b"x" * 500, cost=Cost(nodes=1, limit=10)))
    assert cache.size <= 8_000
    assert cache.get("k99") is not None
    assert cache.get("k0") is None
    cache.put("huge", CachedAnswer(body=b"x" * 5_000, cost=Cost(nodes=1, limit=10)))
    assert cache.get("huge") is None  # larger than an eighth of the cache: not kept
