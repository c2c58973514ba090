"""GraphQL over HTTP: methods, media types, status codes, caching, persisted queries, CORS."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from claimgraph.api.app import create_app
from claimgraph.api.settings import ApiSettings

GRAPHQL_RESPONSE = "application/graphql-response+json"
COUNT = "{ statements { totalCount } }"
AUDIT = Path(__file__).resolve().parent / "audit"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def test_get_and_post_give_the_same_answer(client: httpx.AsyncClient) -> None:
    by_get = await client.get("/graphql", params={"query": COUNT})
    by_post = await client.post("/graphql", json={"query": COUNT})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json() == by_post.json()
    assert by_get.json()["data"] == {"statements": {"totalCount": 24}}


async def test_variables_and_operation_name_travel_by_get(client: httpx.AsyncClient) -> None:
    query = (
        "query A { sources { totalCount } } "
        "query B($n: Int) { actors(first: $n) { nodes { name } } }"
    )
    response = await client.get(
        "/graphql",
        params={"query": query, "variables": json.dumps({"n": 2}), "operationName": "B"},
    )
    assert len(response.json()["data"]["actors"]["nodes"]) == 2


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
    ],
)
async def test_the_response_media_type_is_negotiated(
    client: httpx.AsyncClient, accept: str | None, media: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = await client.post("/graphql", json={"query": COUNT}, headers=headers)
    assert response.headers["content-type"].split(";")[0] == media


async def test_an_unacceptable_media_type_gets_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": COUNT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert GRAPHQL_RESPONSE in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("document", "words"),
    [("{ statements { ", "Syntax Error"), ("{ statement { id } }", "Did you mean")],
)
async def test_a_document_that_cannot_run_is_a_400_with_graphql_response_json(
    client: httpx.AsyncClient, document: str, words: str
) -> None:
    strict = await client.post(
        "/graphql", json={"query": document}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert strict.status_code == 400
    assert "data" not in strict.json()
    assert words in strict.json()["errors"][0]["message"]
    legacy = await client.post("/graphql", json={"query": document})
    assert legacy.status_code == 200  # application/json keeps 200, as the spec says
    assert words in legacy.json()["errors"][0]["message"]


async def test_field_errors_keep_200_and_data(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": '{ sources { totalCount } node(id: "nope") { id } }'},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"sources": {"totalCount": 1}, "node": None}
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"


async def test_mutations_are_refused_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "mutation { x }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_refused_with_the_ones_allowed(
    client: httpx.AsyncClient, method: str
) -> None:
    response = await client.request(method, "/graphql", json={"query": COUNT})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST"}


async def test_an_unexpected_failure_is_a_bare_500_that_tells_nothing(
    connection: AsyncConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    app = create_app(sessions=sessions, settings=ApiSettings(cors_origins=["*"]))

    async def broken(_request: object) -> None:
        raise RuntimeError("a bug of ours, with a secret in it")

    monkeypatch.setattr(app.graphql, "_respond", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post("/graphql", json={"query": COUNT})
    assert response.status_code == 500
    assert response.text == "Internal Server Error"


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "JSON"),
        ({"content": b"query=x", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
        ({"json": [{"query": COUNT}, {"query": COUNT}]}, 400, "Batched"),
        ({"json": {"variables": {}}}, 400, "query"),
        ({"json": {"query": COUNT, "variables": [1]}}, 400, "variables"),
        ({"json": {"query": 42}}, 400, "query"),
    ],
)
async def test_malformed_requests_say_what_is_wrong(
    client: httpx.AsyncClient, kwargs: dict[str, Any], status: int, words: str
) -> None:
    response = await client.post("/graphql", **kwargs)
    assert response.status_code == status
    assert words in response.json()["errors"][0]["message"]


async def test_get_responses_carry_an_etag_and_answer_304(client: httpx.AsyncClient) -> None:
    first = await client.get("/graphql", params={"query": COUNT})
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert "Accept" in first.headers["vary"]
    again = await client.get("/graphql", params={"query": COUNT}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert again.content == b""
    other = await client.get("/graphql", params={"query": "{ actors { totalCount } }"})
    assert other.headers["etag"] != etag  # the ETag covers the request, not just the data


async def test_the_etag_moves_when_the_data_changes(
    client: httpx.AsyncClient, connection: Any
) -> None:
    from sqlalchemy import insert

    from claimgraph.db.models import Change, ChangeKind
    from tests.conftest import SEEDED_AT

    before = (await client.get("/graphql", params={"query": COUNT})).headers["etag"]
    await connection.execute(
        insert(Change).values(
            node_type="Source", node_slug="x", kind=ChangeKind.UPDATED, changed_at=SEEDED_AT
        )
    )
    after = (await client.get("/graphql", params={"query": COUNT})).headers["etag"]
    assert before != after


async def test_errors_and_posts_are_not_cached(client: httpx.AsyncClient) -> None:
    failed = await client.get("/graphql", params={"query": '{ node(id: "x") { id } }'})
    assert failed.headers["cache-control"] == "no-store"
    assert "etag" not in failed.headers
    posted = await client.post("/graphql", json={"query": COUNT})
    assert posted.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_automatic_persisted_queries(client: httpx.AsyncClient, method: str) -> None:
    query = "{ agreements { totalCount } }"
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}}

    async def send(payload: dict[str, Any]) -> httpx.Response:
        if method == "GET":
            params = {k: json.dumps(v) if k == "extensions" else v for k, v in payload.items()}
            return await client.get("/graphql", params=params)
        return await client.post("/graphql", json=payload)

    unknown = await send({"extensions": persisted})
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = await send({"query": query, "extensions": persisted})
    assert registered.json()["data"] == {"agreements": {"totalCount": 2}}
    by_hash = await send({"extensions": persisted})
    assert by_hash.json()["data"] == {"agreements": {"totalCount": 2}}


async def test_a_persisted_query_must_match_its_hash(client: httpx.AsyncClient) -> None:
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": sha256("something else")}}
    response = await client.post("/graphql", json={"query": COUNT, "extensions": wrong})
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


def test_the_persisted_query_store_is_bounded() -> None:
    from claimgraph.api.http.persisted import PersistedQueries

    store = PersistedQueries(capacity=3)
    for n in range(10):
        query = f"{{ q{n} }}"
        ext = {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}}
        assert store.resolve(query, ext) == query
    assert len(store) == 3


async def test_cors_lets_browsers_of_allowed_origins_read_the_api(
    client: httpx.AsyncClient,
) -> None:
    preflight = await client.options(
        "/graphql",
        headers={
            "Origin": "https://newsroom.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://newsroom.example")
    response = await client.get(
        "/graphql", params={"query": COUNT}, headers={"Origin": "https://newsroom.example"}
    )
    assert "etag" in response.headers["access-control-expose-headers"].lower()


async def test_cors_origins_are_configurable(connection: Any) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from claimgraph.api.app import create_app
    from claimgraph.api.settings import ApiSettings

    app = create_app(
        sessions=async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        settings=ApiSettings(cors_origins=["https://allowed.example"]),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        allowed = await http.get("/healthz", headers={"Origin": "https://allowed.example"})
        other = await http.get("/healthz", headers={"Origin": "https://other.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
    assert "access-control-allow-origin" not in other.headers


async def test_browsers_get_the_ide(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "claimgraph-ide-config" in page.text


@pytest.mark.skipif(shutil.which("npm") is None, reason="the audit needs Node.js and npm")
def test_the_graphql_over_http_audit_passes_without_warnings(live_server: str) -> None:
    if not (AUDIT / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=AUDIT, check=True)
    run = subprocess.run(
        ["node", "audit.mjs", f"{live_server}/graphql"],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(run.stdout)
    problems = [r for r in report["results"] if r["status"] in ("warn", "error")]
    assert (report["error"], report["warn"]) == (0, 0), problems
    assert report["ok"] >= 50
