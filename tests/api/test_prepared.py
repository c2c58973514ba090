"""Prepared queries: a document the compiler has answered is answered again, with the same
variables or others, without Strawberry (claimgraph.api.compiled.prepared), and nothing a
client sees tells the two apart: the same bytes and headers, the same rate-limit charge and
refusal, the same errors, the data as it is now."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from claimgraph.api.app import Api, create_app
from claimgraph.api.graphql.schema import ClaimgraphSchema
from claimgraph.api.settings import ApiSettings
from claimgraph.db import models as m
from tests.api.test_compiled import HAND_WRITTEN

NODE = "query ($id: ID!) { node(id: $id) { id ... on Statement { claim speaker { name } } } }"
FIRST_CLAIM = "{ statements(first: 1) { nodes { id claim } } }"

#: Headers that differ between any two requests, prepared or not.
PER_REQUEST = {
    "x-request-id",
    "x-ratelimit-remaining",
    "x-ratelimit-used",
    "x-ratelimit-reset",
    "retry-after",
}

Open = Callable[..., Any]


@pytest.fixture
def open_app(connection: AsyncConnection) -> Open:
    """An app on the test's transaction and an HTTP client for it: ``async with
    open_app(**settings) as (app, http)``."""

    @asynccontextmanager
    async def opened(**overrides: Any) -> AsyncIterator[tuple[Api, httpx.AsyncClient]]:
        sessions = async_sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        settings = ApiSettings(**{"response_cache_bytes": 0, **overrides})
        app = create_app(sessions=sessions, settings=settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield app, http

    return opened


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries Strawberry executed (a prepared query never reaches it)."""
    seen: list[str] = []
    execute = ClaimgraphSchema.execute

    async def counted(self: ClaimgraphSchema, query: str | None, *args: Any, **kwargs: Any) -> Any:
        seen.append(query or "")
        return await execute(self, query, *args, **kwargs)

    # Every app's schema (each app builds the one for its settings).
    monkeypatch.setattr(ClaimgraphSchema, "execute", counted)
    return seen


def visible(response: httpx.Response) -> tuple[int, bytes, dict[str, str]]:
    headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}
    return response.status_code, response.content, headers


def used(response: httpx.Response) -> int:
    return int(response.headers["x-ratelimit-used"])


async def post(http: httpx.AsyncClient, query: str, variables: Any = None) -> httpx.Response:
    return await http.post("/graphql", json={"query": query, "variables": variables})


@pytest.mark.parametrize("query", HAND_WRITTEN)
async def test_a_query_asked_again_skips_strawberry_and_answers_the_same(
    open_app: Open, executions: list[str], query: str
) -> None:
    variables = {"skip": True}
    async with open_app() as (app, http):
        first = await post(http, query, variables)
        assert first.status_code == 200
        assert "errors" not in first.json()
        again = [await post(http, query, variables) for _ in range(2)]
        by_get = await http.get("/graphql", params={"query": query, "variables": '{"skip":true}'})
        prepared = len(app.graphql.prepared) == 1
    # Whatever the compiler declines (SQLite's depth limit) goes through Strawberry each time.
    assert len(executions) == (1 if prepared else 4)
    assert prepared or query is HAND_WRITTEN[0]
    for response in again:
        assert visible(response) == visible(first)
    cost = first.json()["extensions"]["cost"]["points"]
    assert [used(r) for r in [first, *again, by_get]] == [cost, 2 * cost, 3 * cost, 4 * cost]
    assert by_get.status_code == 200
    assert by_get.content == first.content


async def test_a_prepared_query_reads_the_data_as_it_is_now(
    open_app: Open, connection: AsyncConnection, executions: list[str]
) -> None:
    async with open_app() as (_app, http):
        before = (await post(http, FIRST_CLAIM)).json()["data"]["statements"]["nodes"][0]
        await connection.execute(
            update(m.Statement)
            .where(m.Statement.claim == before["claim"])
            .values(claim="Rewritten since.")
        )
        after = (await post(http, FIRST_CLAIM)).json()["data"]["statements"]["nodes"][0]
    assert len(executions) == 1
    assert after == {"id": before["id"], "claim": "Rewritten since."}


async def test_a_prepared_query_is_refused_alike_once_the_budget_is_spent(
    open_app: Open,
) -> None:
    answers: dict[bool, list[tuple[int, bytes, dict[str, str]]]] = {}
    for compiled in (True, False):
        async with open_app(rate_limit_points=3, compiled_queries=compiled) as (app, http):
            responses = [await post(http, FIRST_CLAIM) for _ in range(4)]
            assert len(app.graphql.prepared) == (1 if compiled else 0)
        answers[compiled] = [visible(response) for response in responses]
        assert "retry-after" in responses[3].headers
    assert answers[True] == answers[False]
    status, body, _ = answers[True][3]
    assert status == 429
    assert b"RATE_LIMITED" in body


async def test_a_prepared_node_that_is_gone_is_answered_by_the_resolvers_and_charged_once(
    open_app: Open, connection: AsyncConnection, executions: list[str]
) -> None:
    async with open_app() as (app, http):
        listed = (await post(http, FIRST_CLAIM)).json()["data"]["statements"]["nodes"][0]
        executions.clear()
        found = await post(http, NODE, {"id": listed["id"]})
        assert found.json()["data"]["node"]["claim"] == listed["claim"]
        assert len(app.graphql.prepared) == 2
        # The statement's slug changes: the ID it had names nothing now.
        await connection.execute(
            update(m.Statement).where(m.Statement.claim == listed["claim"]).values(slug="moved")
        )
        gone = await post(http, NODE, {"id": listed["id"]})
        assert len(app.graphql.prepared) == 2  # the document stays prepared
    [error] = gone.json()["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert gone.json()["extensions"] == found.json()["extensions"]
    assert used(gone) - used(found) == found.json()["extensions"]["cost"]["points"]
    assert len(executions) == 2  # the first ask, and the resolvers' answer to the last


async def test_only_answers_that_one_statement_gave_without_errors_are_prepared(
    open_app: Open,
) -> None:
    async with open_app() as (app, http):
        for query in (
            '{ node(id: "U3RhdGVtZW50Om5vLXN1Y2g") { id } }',  # NOT_FOUND
            "{ rateLimit { cost remaining } }",  # about the caller: the resolvers answer
            "{ statements(first: 1) { nodes { id jsonLd } } }",  # not compiled
            "{ statements(first: 1) { nodes { nope } } }",  # invalid
        ):
            await post(http, query)
            await post(http, query)
        assert len(app.graphql.prepared) == 0
        await post(http, FIRST_CLAIM)
        assert len(app.graphql.prepared) == 1


async def test_without_the_compiler_nothing_is_prepared(
    open_app: Open, executions: list[str]
) -> None:
    async with open_app(compiled_queries=False) as (app, http):
        first, second = [await post(http, FIRST_CLAIM) for _ in range(2)]
        assert len(app.graphql.prepared) == 0
    assert len(executions) == 2
    assert first.content == second.content


async def test_other_variables_of_a_prepared_document_skip_strawberry_too(
    open_app: Open, executions: list[str]
) -> None:
    listing = "{ statements(first: 12) { nodes { id } } }"
    async with open_app(compiled_queries=False) as (_app, http):
        ids = [n["id"] for n in (await post(http, listing)).json()["data"]["statements"]["nodes"]]
        resolved = [visible(await post(http, NODE, {"id": id_})) for id_ in ids]
    executions.clear()
    async with open_app() as (app, http):
        prepared = [visible(await post(http, NODE, {"id": id_})) for id_ in ids]
        assert len(app.graphql.prepared) == 1
    assert len(executions) == 1  # the first ID's; every other one was prepared
    assert prepared == resolved


async def test_variables_a_prepared_document_cannot_take_get_strawberrys_own_errors(
    open_app: Open, executions: list[str]
) -> None:
    query = (
        "query ($n: Int, $after: String) { statements(first: $n, after: $after) { nodes { id } } }"
    )
    asks: list[dict[str, Any]] = [
        {"n": 2},  # prepares the document
        {"n": 5_000},  # over the page size: the resolvers refuse it
        {"n": "two"},  # not an Int
        {"n": 2, "after": "not a cursor"},
        {"n": 60},  # within the page size, over the node limit
        {"n": 3},  # prepared again
    ]
    answers: dict[bool, list[tuple[int, bytes, dict[str, str]]]] = {}
    for compiled in (True, False):
        settings = {"compiled_queries": compiled, "max_page_size": 100, "max_nodes": 50}
        async with open_app(**settings) as (_app, http):
            answers[compiled] = [visible(await post(http, query, ask)) for ask in asks]
    assert answers[True] == answers[False]
    assert len(executions) == 5 + 6  # all but the last with the compiler; all without
    for status, body, _ in answers[True][1:5]:
        assert status == 200
        assert b'"errors"' in body
