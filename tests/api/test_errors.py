"""Honest errors: a client's mistakes verbatim with a code, our failures masked with a request
ID that the server log carries with the stack trace; nothing internal ever reaches a client."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from tests.conftest import AppClient

SOURCES = "{ statements(first: 2) { nodes { claim source { title } } } }"


def break_source_loads(monkeypatch: pytest.MonkeyPatch, failure: Any) -> None:
    """Make every batch load of rows by id (sources included) fail the given way."""
    from claimgraph.api.graphql import loaders
    from claimgraph.db.queries.batch import rows_by_ids as original

    async def failing(session: Any, *, model: Any, ids: Any) -> Any:
        if model.__name__ == "Source":
            return await failure()
        return await original(session, model=model, ids=ids)

    monkeypatch.setattr(loaders, "rows_by_ids", failing)


async def test_an_unexpected_failure_is_masked_with_a_request_id_that_the_log_keeps(
    app_client: AppClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode() -> Any:
        raise RuntimeError("SELECT secret FROM /srv/claimgraph/db.py")

    break_source_loads(monkeypatch, explode)
    # The resolvers' path (the compiled one would not reach the broken loader).
    async with app_client(compiled_queries=False) as http:
        with caplog.at_level(logging.ERROR, logger="claimgraph.api"):
            response = await http.post("/graphql", json={"query": SOURCES})
    request_id = response.headers["x-request-id"]
    text = response.text
    for leak in ("SELECT", "secret", ".py", "Traceback", "RuntimeError"):
        assert leak not in text
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert request_id in error["message"]
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged, "the log must carry the request ID"
    assert logged[0].exc_info is not None, "and the stack trace"


async def test_the_callers_request_id_is_kept_when_it_is_sane(client: httpx.AsyncClient) -> None:
    kept = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-ID": "newsroom-42abc"}
    )
    assert kept.headers["x-request-id"] == "newsroom-42abc"
    replaced = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Request-ID": "<script>"}
    )
    assert replaced.headers["x-request-id"] != "<script>"


async def test_a_slow_query_is_stopped_with_a_clear_error(
    app_client: AppClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def hang() -> Any:
        # Longer than the timeout is enough: the response waits for the load to settle.
        await asyncio.sleep(1)

    break_source_loads(monkeypatch, hang)
    async with app_client(request_timeout=0.2, compiled_queries=False) as http:
        response = await http.post("/graphql", json={"query": SOURCES})
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert "0.2 s" in error["message"]


async def test_a_failing_compiled_statement_is_answered_by_the_resolvers(
    app_client: AppClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from claimgraph.api import compiled

    async def broken(session: Any, statement: Any) -> Any:
        raise RuntimeError("the compiled statement failed")

    async with app_client(compiled_queries=False) as http:
        expected = (await http.post("/graphql", json={"query": SOURCES})).json()
    monkeypatch.setattr(compiled, "_fetch", broken)
    async with app_client() as http:
        with caplog.at_level(logging.WARNING, logger="claimgraph.api"):
            response = await http.post("/graphql", json={"query": SOURCES})
    assert response.json() == expected
    assert "compiled query failed" in caplog.text


@pytest.mark.parametrize(
    ("query", "variables", "code", "words"),
    [
        ("{ statements(", {}, "GRAPHQL_PARSE_FAILED", "Syntax Error"),
        ("{ statements { nodes { claimz } } }", {}, "GRAPHQL_VALIDATION_FAILED", "claim"),
        ('{ node(id: "abc") { id } }', {}, "INVALID_ID", "not a claimgraph ID"),
        ('{ statements(after: "abc") { totalCount } }', {}, "INVALID_CURSOR", "not a cursor"),
        (
            '{ statements(filter: {saidBetween: {from: "2024-09-01", to: "2024-01-01"}})'
            " { totalCount } }",
            {},
            "BAD_USER_INPUT",
            "is after `to`",
        ),
        (
            "query ($m: [StatementMode!]) { statements(filter: {mode: $m}) { totalCount } }",
            {"m": ["SHOUTED"]},
            "GRAPHQL_VALIDATION_FAILED",
            "SHOUTED",
        ),
        (
            "query ($d: Date) { statements(filter: {saidBetween: {from: $d}}) { totalCount } }",
            {"d": "2024-02-30"},
            "GRAPHQL_VALIDATION_FAILED",
            "'2024-02-30' is not a date; give a day (2024-08-14), a month (2024-08) or a year",
        ),
    ],
    ids=["syntax", "unknown-field", "bad-id", "bad-cursor", "empty-range", "enum", "date"],
)
async def test_client_mistakes_come_back_precisely(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], code: str, words: str
) -> None:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code < 500
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert words in error["message"]
    assert "Unexpected" not in error["message"]
