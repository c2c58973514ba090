"""Limits checked before a query runs, each with a message naming the limit and its value."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import AppClient

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def post(http: httpx.AsyncClient, query: str, **kwargs: Any) -> httpx.Response:
    headers = {"Accept": GRAPHQL_RESPONSE, **kwargs.pop("headers", {})}
    return await http.post("/graphql", json={"query": query, **kwargs}, headers=headers)


#: 51 directives, no field selected more than 10 times in one selection set.
DIRECTIVES_51 = (
    "{ rateLimit { "
    + " ".join(
        f"{name} @skip(if: false)"
        for name in ("cost", "limit", "remaining", "used", "resetAt")
        for _ in range(10)
    )
    + " } __typename @skip(if: false) }"
)


def nested(levels: int) -> str:
    """A valid query that goes ``levels`` times from statements to their speakers and back."""
    inner = "id"
    for _ in range(levels):
        inner = f"speaker {{ statements {{ nodes {{ {inner} }} }} }}"
    return "{ statements { nodes { " + inner + " } } }"


@pytest.mark.parametrize(
    ("query", "limit", "words"),
    [
        (nested(4), "depth", "levels deep; the limit is 10"),
        ("{ " + " ".join(f"a{i}: sources {{ totalCount }}" for i in range(16)) + " }", "aliases",
         "more than 15 aliases (limit: 15)"),
        ("{ " + " ".join("a" for _ in range(2_001)) + " }", "tokens", "2000 tokens"),
        (DIRECTIVES_51, "directives", "more than 50 directives"),
        (
            "{ statements(first: 100) { nodes { speaker { statements(first: 100) { nodes {"
            " relations { statement { claim } } } } } } } }",
            "nodes",
            "the limit is 50,000",
        ),
    ],
)  # fmt: skip
async def test_abusive_queries_are_refused_before_running(
    client: httpx.AsyncClient, query: str, limit: str, words: str
) -> None:
    response = await post(client, query)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert words in error["message"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["limit"] == limit


async def test_a_query_too_long_is_refused(client: httpx.AsyncClient) -> None:
    query = "{ sources { totalCount } }" + " " * 15_000
    response = await post(client, query)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert "15,000" in error["message"]


async def test_every_response_reports_its_cost(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ statements(first: 5) { nodes { speaker { name } } } }")
    cost = response.json()["extensions"]["cost"]
    # the connection, 5 statements, 5 speakers
    assert cost == {"requestedNodes": 11, "nodeLimit": 50_000, "points": 1}


async def test_the_cost_follows_variables_and_fragments(client: httpx.AsyncClient) -> None:
    query = """
      query ($n: Int = 3) { statements(first: $n) { ...S } }
      fragment S on StatementConnection { nodes { speaker { name } mentions { name } } }
    """
    response = await post(client, query, variables={"n": 4})
    # 1 connection + 4 statements + 4 speakers + 4 × 10 (assumed) mentions
    assert response.json()["extensions"]["cost"]["requestedNodes"] == 1 + 4 + 4 + 40


async def test_a_feed_page_costs_one_point_whatever_its_size(client: httpx.AsyncClient) -> None:
    """Feed entries count toward the node limit but are priced by the page; what is selected
    under an entry's `node` is priced as usual."""
    page = "changes(first: 100) { cursor pageInfo { hasNextPage } nodes { nodeId record %s } }"
    plain = (await post(client, "{ " + page % "" + " }")).json()["extensions"]["cost"]
    # the connection, its pageInfo, 100 entries (unpriced)
    assert plain == {"requestedNodes": 102, "nodeLimit": 50_000, "points": 1}
    with_nodes = (await post(client, "{ " + page % "node { id }" + " }")).json()
    # and 100 nodes, priced
    assert with_nodes["extensions"]["cost"] == {
        "requestedNodes": 202,
        "nodeLimit": 50_000,
        "points": 2,
    }
    edges = "{ changes(first: 100) { edges { cursor node { nodeId } } } }"
    assert (await post(client, edges)).json()["extensions"]["cost"]["points"] == 1


async def test_the_node_limit_is_configurable(app_client: AppClient) -> None:
    async with app_client(max_nodes=10) as http:
        response = await post(http, "{ statements(first: 5) { nodes { speaker { name } } } }")
    assert response.status_code == 400
    assert "the limit is 10" in response.json()["errors"][0]["message"]


async def test_a_body_too_large_gets_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        content=b'{"query": "' + b" " * 70_000 + b'{ __typename }"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "65,536 bytes" in response.json()["errors"][0]["message"]


async def test_batched_operations_are_off(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=[{"query": "{ __typename }"}] * 2)
    assert response.status_code == 400
    assert "Batched" in response.json()["errors"][0]["message"]


async def test_field_suggestions_stay_on(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ statments { totalCount } }")
    assert "Did you mean 'statements'?" in response.json()["errors"][0]["message"]


async def test_the_ides_introspection_query_passes_every_limit(client: httpx.AsyncClient) -> None:
    from graphql import get_introspection_query

    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    response = await post(client, query)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_cannot_loop_through_the_schema(client: httpx.AsyncClient) -> None:
    cycle = "name"
    for _ in range(5):
        cycle = f"fields {{ type {{ {cycle} }} }}"
    response = await post(client, "{ __schema { types { " + cycle + " } } }")
    assert response.status_code == 400
    assert "introspection depth" in response.json()["errors"][0]["message"]


async def test_every_limit_follows_the_apps_settings(app_client: AppClient) -> None:
    """Each limit is read from the settings given to create_app, not from the environment at
    import time: with values other than the defaults, each one refuses at its own value."""
    tight = {
        "max_depth": 3,
        "max_aliases": 1,
        "max_directives": 1,
        "max_tokens": 40,
        "max_query_chars": 300,
        "max_page_size": 5,
        "default_page_size": 2,
    }
    async with app_client(**tight) as http:

        async def first_error(query: str) -> dict[str, Any]:
            body = (await http.post("/graphql", json={"query": query})).json()
            error: dict[str, Any] = body["errors"][0]
            return error

        deep = await first_error(
            "{ statements { nodes { speaker { statements { totalCount } } } } }"
        )
        assert deep["extensions"]["limit"] == "depth"
        assert "3" in deep["message"]
        aliased = await first_error("{ a: sources { totalCount } b: sources { totalCount } }")
        assert aliased["extensions"]["limit"] == "aliases"
        directives = await first_error(
            "{ sources @include(if: true) { totalCount @include(if: true) } }"
        )
        assert directives["extensions"]["limit"] == "directives"
        tokens = await first_error("{" + "sources{totalCount}" * 10 + "}")
        assert "40" in tokens["message"]
        page = await first_error("{ statements(first: 6) { totalCount } }")
        assert page["extensions"]["code"] == "PAGE_SIZE"
        assert page["extensions"]["maximum"] == 5
        long_query = "{ sources { totalCount } }" + " " * 300
        too_long = (await http.post("/graphql", json={"query": long_query})).json()
        assert too_long["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"
        page_of_two = await http.post("/graphql", json={"query": "{ statements { nodes { id } } }"})
        assert len(page_of_two.json()["data"]["statements"]["nodes"]) == 2
