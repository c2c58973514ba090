"""A hostile client within every documented limit (issue 15), by GraphQL: each attack is
refused before it costs us much, or priced, and every refusal costs a point."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import httpx
from graphql import get_introspection_query

from tests.conftest import AppClient

GRAPHQL_RESPONSE = "application/graphql-response+json"
SOURCE_ID_QUERY = "{ sources(first: 1) { nodes { id } } }"


async def post(http: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await http.post("/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE})


def spreads(count: int) -> str:
    """Finding 1: a small document of many spreads of one small fragment."""
    body = " ".join("...B" for _ in range(count))
    fragment = "fragment B on Query { rateLimit { cost } }"
    return f"query {{ ...A }} fragment A on Query {{ {body} }} {fragment}"


async def test_validation_bombs_are_refused_before_validation_and_cost_a_point(
    app_client: AppClient,
) -> None:
    inline = "fragment A on Query { " + "rateLimit { cost } " * 450 + "} query { ...A }"
    cases = [(spreads(450), "fragmentSpreads"), (spreads(60), "fieldRepeats"), (inline, "fields")]
    async with app_client(max_fields=400) as http:
        for query, limit in cases:
            started = time.perf_counter()
            response = await post(http, {"query": query})
            assert time.perf_counter() - started < 0.25  # seconds, before this change
            assert response.status_code == 400
            [error] = response.json()["errors"]
            assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
            assert error["extensions"]["limit"] == limit
            assert "the limit is" in error["message"]
        assert response.headers["x-ratelimit-used"] == "3"


async def test_an_ides_introspection_query_stays_within_the_shape_limits(
    client: httpx.AsyncClient,
) -> None:
    response = await post(client, {"query": get_introspection_query(descriptions=True)})
    assert response.status_code == 200, response.text
    cost = response.json()["extensions"]["cost"]
    assert cost["points"] >= 10  # introspection_nodes: 1,000 nodes


async def test_repeated_introspection_is_refused_and_priced(client: httpx.AsyncClient) -> None:
    deep = "__schema { types { name fields { name type { name ofType { name } } } } }"
    many = "{ " + " ".join(f"a{i}: {deep}" for i in range(15)) + " }"
    response = await post(client, {"query": many})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["limit"] == "introspection"
    assert "the limit is 2" in error["message"]
    one = await post(client, {"query": "{ " + deep + " }"})
    assert one.json()["extensions"]["cost"]["points"] >= 10


async def test_total_count_and_source_text_are_priced_by_what_they_cost(
    client: httpx.AsyncClient,
) -> None:
    plain = await post(client, {"query": "{ statements(first: 1) { nodes { id } } }"})
    counted = await post(client, {"query": "{ statements(first: 1) { totalCount } }"})
    texts = await post(client, {"query": "{ sources(first: 10) { nodes { text } } }"})
    assert plain.json()["extensions"]["cost"]["requestedNodes"] == 2
    assert counted.json()["extensions"]["cost"]["requestedNodes"] == 1 + 500
    assert texts.json()["extensions"]["cost"]["requestedNodes"] == 1 + 10 + 10 * 20


async def test_nodes_ids_are_capped_on_every_path(app_client: AppClient) -> None:
    for compiled in (True, False):
        async with app_client(compiled_queries=compiled) as http:
            found = await post(http, {"query": SOURCE_ID_QUERY})
            source = found.json()["data"]["sources"]["nodes"][0]["id"]
            query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
            for _ in range(2):  # the second time, prepared (when compiled)
                fine = await post(http, {"query": query, "variables": {"ids": [source] * 50}})
                assert fine.status_code == 200
            refused = await post(http, {"query": query, "variables": {"ids": [source] * 700}})
            assert refused.status_code == 400
            error = refused.json()["errors"][0]
            assert error["extensions"] == {
                "code": "QUERY_TOO_COMPLEX",
                "limit": "ids",
                "value": 100,
            }
            assert "700 IDs" in error["message"]


async def test_a_huge_answer_is_refused_by_size_and_not_cached(app_client: AppClient) -> None:
    query = {"query": "{ statements(first: 100) { nodes { id claim quote speakerRole } } }"}
    async with app_client(max_response_bytes=2048, response_cache_bytes=2**20) as http:
        response = await post(http, query)
        app = http._transport.app
        cached = app.graphql.responses.size
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert "the limit is 2,048" in error["message"]
    assert cached == 0


async def test_large_answers_stay_out_of_the_response_cache(app_client: AppClient) -> None:
    query = {"query": "{ sources(first: 3) { nodes { title text } } }"}
    async with app_client(response_cache_bytes=2**20, response_cache_max_answer=1024) as http:
        response = await post(http, query)
        app = http._transport.app
        assert response.status_code == 200
        assert len(response.content) > 1024
        assert app.graphql.responses.size == 0
        small = await post(http, {"query": "{ sources(first: 1) { nodes { title } } }"})
        assert small.status_code == 200
        assert app.graphql.responses.size > 0


async def test_an_oversized_persisted_query_is_refused_before_it_is_stored(
    app_client: AppClient,
) -> None:
    query = "{ " + "__typename " * 400 + "}"
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    async with app_client(max_query_chars=1000) as http:
        response = await post(http, {"query": query, "extensions": extensions})
        app = http._transport.app
        assert len(app.graphql.persisted) == 0
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"


def test_the_persisted_query_store_is_bounded_in_bytes() -> None:
    from claimgraph.api.http.persisted import PersistedQueries

    store = PersistedQueries(capacity=1000, max_bytes=40_000, max_chars=5_000)
    for n in range(100):
        query = f"{{ q{n} {'x ' * 1000} }}"
        ext = {
            "persistedQuery": {
                "version": 1,
                "sha256Hash": hashlib.sha256(query.encode()).hexdigest(),
            }
        }
        store.resolve(query, ext)
    assert 0 < store.size <= 40_000
    assert 10 < len(store) < 20  # entries of 2.2 KB in 40 KB, not the 1,000 entries allowed


async def test_a_lone_surrogate_is_the_clients_mistake_and_says_where(
    client: httpx.AsyncClient,
) -> None:
    query = "query($t: String!) { statements(filter: {text: $t}) { totalCount } }"
    body = json.dumps({"query": query, "variables": {"t": "PLACEHOLDER"}})
    raw = body.replace("PLACEHOLDER", "x\\ud800y")
    posted = await client.post(
        "/graphql", content=raw, headers={"Content-Type": "application/json"}
    )
    got = await client.get("/graphql", params={"query": query, "variables": '{"t": "\\udfff"}'})
    for response in (posted, got):
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "where": "variables.t"}
        assert "lone UTF-16 surrogate" in error["message"]


async def test_every_refused_request_costs_a_point(app_client: AppClient) -> None:
    async with app_client(rate_limit_points=3) as http:
        for _ in range(3):
            broken = await post(http, {"query": "{ statements("})
            assert broken.status_code == 400
        spent = await post(http, {"query": "{ __typename }"})
    assert broken.headers["x-ratelimit-used"] == "3"
    assert spent.status_code == 429
    assert spent.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
