"""The HTTP surface: health and readiness, and what a client sees when its request is wrong:
a GraphQL error that says where and what, and never a stack trace, SQL or a file path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from claimgraph.api.app import create_app
from claimgraph.api.ids import to_global_id
from claimgraph.api.settings import ApiSettings
from claimgraph.db.engine import create_engine

#: What must never reach a client: Python tracebacks, SQL, source file paths.
LEAKS = ("Traceback", "SELECT", ".py", 'File "', "sqlalchemy", "asyncpg")


def assert_no_leak(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} in the response: {text[:2000]}"


def location_of(query: str, needle: str) -> dict[str, int]:
    """The 1-based line and column of the first ``needle`` in ``query``."""
    offset = query.index(needle)
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return {"line": line, "column": column}


async def post(client: httpx.AsyncClient, query: str, variables: Any = None) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables or {}})


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_with_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_readyz_without_the_database_is_503_and_says_no_more(tmp_path: Path) -> None:
    # A directory where the database file should be: SQLite cannot open it.
    unopenable = tmp_path / "db.sqlite3"
    unopenable.mkdir()
    engine = create_engine(f"sqlite+aiosqlite:///{unopenable}")
    app = create_app(sessions=async_sessionmaker(bind=engine), settings=ApiSettings())
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://claimgraph.test"
        ) as http:
            ready = await http.get("/readyz")
            healthy = await http.get("/healthz")
    finally:
        await engine.dispose()
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unreachable"}
    assert_no_leak(ready.text)
    assert str(tmp_path) not in ready.text
    # The process itself is up.
    assert (healthy.status_code, healthy.json()) == (200, {"status": "ok"})


SYNTAX_ERROR = """
query {
  statements(first: 3 {
    totalCount
  }
}
"""


async def test_a_syntax_error_says_where(client: httpx.AsyncClient) -> None:
    response = await post(client, SYNTAX_ERROR)
    assert response.status_code in (200, 400)
    body = response.json()
    assert body.get("data") is None
    [error] = body["errors"]
    assert error["message"].startswith("Syntax Error:")
    assert error["locations"] == [location_of(SYNTAX_ERROR, "{\n    totalCount")]
    assert_no_leak(response.text)


UNKNOWN_FIELD = """
query {
  statements(first: 3) {
    nodes {
      id
      claimz
    }
  }
}
"""


async def test_an_unknown_field_is_named_with_a_suggestion(client: httpx.AsyncClient) -> None:
    response = await post(client, UNKNOWN_FIELD)
    assert response.status_code in (200, 400)
    body = response.json()
    assert body.get("data") is None
    [error] = body["errors"]
    assert "'claimz'" in error["message"]
    assert "'Statement'" in error["message"]
    assert "Did you mean 'claim'?" in error["message"]
    assert error["locations"] == [location_of(UNKNOWN_FIELD, "claimz")]
    assert_no_leak(response.text)


async def test_an_unknown_argument_is_named_with_a_suggestion(client: httpx.AsyncClient) -> None:
    query = "{ statements(frist: 3) { totalCount } }"
    response = await post(client, query)
    [error] = response.json()["errors"]
    assert "'frist'" in error["message"]
    assert "'first'" in error["message"]
    assert error["locations"] == [location_of(query, "frist")]


async def test_a_field_error_says_where_and_which_path(client: httpx.AsyncClient) -> None:
    query = """{
  ok: statements(first: 1) { totalCount }
  bad: statements(first: 101) { totalCount }
}"""
    body = (await post(client, query)).json()
    # The whole response is null: a list's connection is non-null, so its error nulls `data`.
    assert body["data"] is None
    [error] = body["errors"]
    assert error["path"] == ["bad"]
    assert error["locations"] == [location_of(query, "bad")]


BAD_REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("syntax error", {"json": {"query": SYNTAX_ERROR}}),
    ("unknown field", {"json": {"query": UNKNOWN_FIELD}}),
    ("malformed ID", {"json": {"query": '{ node(id: "nope") { id } }'}}),
    ("unknown ID", {"json": {"query": f'{{ node(id: "{to_global_id("Actor", "x")}") {{ id }} }}'}}),
    (
        "ID with a NUL slug",
        {
            "json": {
                "query": "query ($id: ID!) { node(id: $id) { id } }",
                "variables": {"id": to_global_id("Statement", "\x00")},
            }
        },
    ),
    ("bad cursor", {"json": {"query": '{ statements(after: "garbage") { totalCount } }'}}),
    ("page too big", {"json": {"query": "{ statements(first: 1000) { totalCount } }"}}),
    ("first and last", {"json": {"query": "{ statements(first: 1, last: 1) { totalCount } }"}}),
    (
        "bad date",
        {
            "json": {
                "query": '{ events(filter: {occurredBetween: {from: "2024-02-30"}}) { '
                "totalCount } }"
            }
        },
    ),
    (
        "empty range",
        {
            "json": {
                "query": '{ timeline(between: {from: "2024-02-02", to: "2024-02-01"}) { '
                "totalCount } }"
            }
        },
    ),
    ("bad country", {"json": {"query": '{ actors(filter: {country: "Iraq"}) { totalCount } }'}}),
    ("blank search", {"json": {"query": '{ search(text: " ") { totalCount } }'}}),
    (
        "NUL in search",
        {
            "json": {
                "query": "query ($t: String!) { search(text: $t) { totalCount } }",
                "variables": {"t": "a\x00b"},
            }
        },
    ),
    (
        "NUL in a filter",
        {
            "json": {
                "query": "query ($t: String) { statements(filter: {text: $t}) { totalCount } }",
                "variables": {"t": "\x00"},
            }
        },
    ),
    (
        "wrong variable type",
        {
            "json": {
                "query": "query ($n: Int) { statements(first: $n) { totalCount } }",
                "variables": {"n": "x"},
            }
        },
    ),
    (
        "deep nonsense",
        {
            "json": {
                "query": "{ statements { nodes { speaker { statements { nodes { nope } } } } } }"
            }
        },
    ),
    ("mutation", {"json": {"query": "mutation { x }"}}),
    ("no query", {"json": {}}),
    ("not JSON", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
    ("a list body", {"json": [1, 2]}),
]


@pytest.mark.parametrize(
    "request_kwargs", [kw for _, kw in BAD_REQUESTS], ids=[n for n, _ in BAD_REQUESTS]
)
async def test_no_bad_request_leaks_internals_or_fails_the_server(
    client: httpx.AsyncClient, request_kwargs: dict[str, Any]
) -> None:
    response = await client.post("/graphql", **request_kwargs)
    assert response.status_code < 500
    assert_no_leak(response.text)


async def test_a_bad_query_by_get_leaks_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ statements { nodes { claimz } } }"})
    assert response.status_code < 500
    assert_no_leak(response.text)
    assert "claimz" in response.text


VARIABLE_ERRORS = [
    # (query, variables, what the message must name)
    ("query ($n: Int) { statements(first: $n) { totalCount } }", {"n": "3"}, "$n"),
    ("query ($n: Int!) { statements(first: $n) { totalCount } }", {}, "$n"),
    (
        "query ($m: [StatementMode!]) { statements(filter: {mode: $m}) { totalCount } }",
        {"m": ["QUOTE"]},
        "$m",
    ),
    (
        "query ($d: Date) { statements(filter: {saidBetween: {from: $d}}) { totalCount } }",
        {"d": "2024-13-01"},
        "$d",
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "name"),
    VARIABLE_ERRORS,
    ids=["string-for-Int", "missing-required", "unknown-enum-value", "impossible-date"],
)
async def test_a_bad_variable_is_named_not_masked(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], name: str
) -> None:
    response = await post(client, query, variables)
    assert response.status_code < 500
    [error] = response.json()["errors"]
    assert error["message"] != "Unexpected error."
    assert name in error["message"]
