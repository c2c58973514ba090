"""The response cache: a repeated query is answered from memory while the data is unchanged,
charged like the query, never served stale beyond the poll interval and never shared where
the answer is personal.

Two setups. Apps on the test's rolled-back connection have no lifespan, so no poll task:
every request reads the data version, as with ``CLAIMGRAPH_DATA_VERSION_POLL=0``. Apps
``serving`` the engine itself run their lifespan, so the data version is polled in the
background and the cache-hit path in front of the app answers repeats; the writes those tests
make are committed and undone before the test ends.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
from fastapi import Request, Response
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from starlette.types import Message

from claimgraph.api.app import Api, create_app
from claimgraph.api.cost import Cost
from claimgraph.api.http.response_cache import CachedAnswer, Recognised, ResponseCache
from claimgraph.api.settings import ApiSettings
from claimgraph.db.models import ApiKey, Change, ChangeKind, Statement
from claimgraph.db.queries.keys import create_key, revoke_key
from tests.conftest import AppClient, SqlLog
from tests.support.tcp_proxy import proxied_database

QUERY = {"query": "{ statements(first: 3) { nodes { claim speaker { name } } } }"}
JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
#: The poll interval of the serving tests: small, so a write shows within a test.
POLL = 0.05


# -- without a poll task: the version is read for every request ----------------------------


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
    assert ran > 1  # the data version and the query itself
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


# -- with the poll task and the cache-hit path ------------------------------------------------


async def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


@asynccontextmanager
async def serving(
    engine: AsyncEngine, **overrides: Any
) -> AsyncIterator[tuple[Api, httpx.AsyncClient]]:
    """An app on ``engine`` with its lifespan running (as uvicorn runs it), once it knows the
    data version, and a client for it."""
    settings = ApiSettings(
        **{"response_cache_bytes": 2**20, "data_version_poll": POLL, **overrides}
    )
    app = create_app(engine=engine, settings=settings)
    async with app.router.lifespan_context(app):
        if settings.data_version_poll > 0:
            await until(lambda: app.graphql.versions.current is not None)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 4321))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://claimgraph.test"
        ) as http:
            yield app, http


def full_path_calls(app: Api, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many requests reached the GraphQL endpoint (the full path), as a one-item list."""
    calls = [0]
    respond = app.graphql._respond

    async def counting(request: Request) -> Response:
        calls[0] += 1
        return await respond(request)

    monkeypatch.setattr(app.graphql, "_respond", counting)
    return calls


@contextmanager
def sql_on(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements ``engine`` runs in the block (SQLite's explicit BEGIN aside)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.strip().upper() != "BEGIN":
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


@asynccontextmanager
async def edited(engine: AsyncEngine) -> AsyncIterator[None]:
    """A committed write (every claim edited, a change logged), undone afterwards."""
    async with engine.begin() as connection:
        saved = (await connection.execute(select(Statement.id, Statement.claim))).all()
        await connection.execute(update(Statement).values(claim=Statement.claim + " [edited]"))
        change = await connection.scalar(
            insert(Change)
            .values(
                node_type="Statement",
                node_slug="cache-test",
                kind=ChangeKind.UPDATED,
                changed_at=dt.datetime.now(dt.UTC),
            )
            .returning(Change.id)
        )
    try:
        yield
    finally:
        async with engine.begin() as connection:
            await connection.execute(delete(Change).where(Change.id == change))
            for statement_id, claim in saved:
                await connection.execute(
                    update(Statement).where(Statement.id == statement_id).values(claim=claim)
                )


def headers_but(response: httpx.Response, *varying: str) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.multi_items() if k not in varying)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_hit_is_the_full_paths_answer_byte_for_byte(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    ask: dict[str, Any] = {"params": QUERY} if method == "GET" else {"json": QUERY}
    headers = {"Origin": "https://newsroom.example", "X-Request-ID": "caller-request-0001"}
    async with serving(engine, data_version_poll=3600) as (app, http):
        calls = full_path_calls(app, monkeypatch)
        first = await http.request(method, "/graphql", headers=headers, **ask)
        with sql_on(engine) as statements:
            again = await http.request(method, "/graphql", headers=headers, **ask)
        other = await http.request(method, "/graphql", headers={"X-Request-ID": "no!"}, **ask)
    assert calls == [1]  # the repeats never reached the endpoint
    assert statements == []  # nor the database
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    varying = ("date", "x-ratelimit-remaining", "x-ratelimit-used")
    assert headers_but(again, *varying) == headers_but(first, *varying)
    assert again.headers["access-control-allow-origin"] == "*"  # CORS applies to hits too
    assert again.headers["x-request-id"] == "caller-request-0001"
    assert int(again.headers["x-ratelimit-used"]) == 2 * int(first.headers["x-ratelimit-used"])
    assert len(other.headers["x-request-id"]) == 32  # not the caller's insane one: a new one
    if method == "GET":
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["cache-control"].startswith("public")
    else:
        assert again.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("origin", [None, "https://allowed.example", "https://other.example"])
async def test_hits_carry_the_cors_headers_of_the_full_path(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch, origin: str | None
) -> None:
    headers = {} if origin is None else {"Origin": origin}
    async with serving(engine, cors_origins=["https://allowed.example"]) as (app, http):
        calls = full_path_calls(app, monkeypatch)
        first = await http.post("/graphql", json=QUERY, headers=headers)
        hits = [await http.post("/graphql", json=QUERY, headers=headers) for _ in range(2)]
        other = await http.post("/graphql", json=QUERY, headers={"Origin": "https://x.example"})
    assert calls == [1]
    varying = ("date", "x-ratelimit-remaining", "x-ratelimit-used", "x-request-id")
    for hit in hits:
        assert headers_but(hit, *varying) == headers_but(first, *varying)
    allowed = hits[0].headers.get("access-control-allow-origin")
    assert allowed == ("https://allowed.example" if origin == "https://allowed.example" else None)
    assert "Origin" in hits[0].headers["vary"]
    assert "access-control-allow-origin" not in other.headers


async def test_bodies_in_pieces_too_large_or_chunked_are_read_as_the_full_path_reads_them(
    engine: AsyncEngine,
) -> None:
    body = json.dumps(QUERY).encode()

    async def post(pieces: list[bytes], length: int | None) -> tuple[int, bytes]:
        """POST ``pieces`` as separate ASGI messages, straight to the app."""
        messages: list[Message] = [
            {"type": "http.request", "body": piece, "more_body": n < len(pieces) - 1}
            for n, piece in enumerate(pieces)
        ]
        sent: list[Message] = []

        async def receive() -> Message:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        headers = [(b"content-type", b"application/json"), (b"accept", b"application/json")]
        if length is not None:
            headers.append((b"content-length", str(length).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("203.0.113.7", 4321),
            "server": ("claimgraph.test", 80),
        }
        await app(scope, receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    async with serving(engine, max_body_bytes=1024) as (app, _http):
        whole = await post([body], len(body))
        pieces = [await post([body[:10], body[10:20], body[20:]], len(body)) for _ in range(2)]
        chunked = await post([body[:10], body[10:]], None)
        large = json.dumps({**QUERY, "variables": {"pad": "x" * 2000}}).encode()
        too_large = await post([large[:1000], large[1000:]], len(large))
        understated = await post([large[:1000], large[1000:]], 500)
    assert whole[0] == 200
    assert pieces == [whole, whole]
    assert chunked == whole
    assert too_large[0] == 413
    assert understated[0] == 413


async def test_a_write_is_seen_within_the_poll_interval(engine: AsyncEngine) -> None:
    async with serving(engine) as (app, http):
        before = await http.post("/graphql", json=QUERY)
        assert (await http.post("/graphql", json=QUERY)).content == before.content
        version = app.graphql.versions.current
        async with edited(engine):
            written = time.monotonic()
            after = await http.post("/graphql", json=QUERY)
            while after.content == before.content:
                # generous for a busy machine; the interval itself is POLL
                assert time.monotonic() - written < POLL + 5, "the write was never seen"
                await asyncio.sleep(0.01)
                after = await http.post("/graphql", json=QUERY)
            assert app.graphql.versions.current != version
            assert "[edited]" in after.text
            assert (await http.post("/graphql", json=QUERY)).content == after.content


async def test_with_no_poll_every_request_reads_the_version(engine: AsyncEngine) -> None:
    async with serving(engine, data_version_poll=0) as (app, http):
        assert app.graphql.versions.current is None
        assert app.front is None  # no cache-hit path: it needs the version in memory
        before = await http.post("/graphql", json=QUERY)
        with sql_on(engine) as statements:
            cached = await http.post("/graphql", json=QUERY)
        async with edited(engine):
            after = await http.post("/graphql", json=QUERY)  # at once, no waiting
    assert cached.content == before.content
    assert len(statements) == 1, statements  # the data version, read for this request
    assert "[edited]" in after.text
    assert "[edited]" not in before.text


async def test_hits_are_charged_and_refused_when_the_budget_is_spent(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with serving(engine, rate_limit_points=3) as (app, http):
        calls = full_path_calls(app, monkeypatch)
        answers = [await http.post("/graphql", json=QUERY) for _ in range(4)]
    assert calls == [1]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    refused = answers[-1]
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["content-type"] == JSON
    assert refused.headers["cache-control"] == "no-store"
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"


async def test_a_conditional_get_is_answered_304_from_memory(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with serving(engine) as (app, http):
        calls = full_path_calls(app, monkeypatch)
        first = await http.get("/graphql", params=QUERY)
        etag = first.headers["etag"]
        same = await http.get("/graphql", params=QUERY, headers={"If-None-Match": etag})
        other = await http.get("/graphql", params=QUERY, headers={"If-None-Match": '"x"'})
        assert calls == [1]
        version = app.graphql.versions.current
        async with edited(engine):
            await until(lambda: app.graphql.versions.current != version)
            moved = await http.get("/graphql", params=QUERY, headers={"If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["etag"] == etag
    assert same.headers["vary"].startswith("Accept")
    assert "x-ratelimit-used" not in same.headers  # a 304 is not charged, as on the full path
    assert other.status_code == 200
    assert other.content == first.content
    assert moved.status_code == 200
    assert moved.headers["etag"] != etag
    assert "[edited]" in moved.text


async def test_requests_that_differ_never_share_an_answer(engine: AsyncEngine) -> None:
    document = (
        "query A($n: Int) { statements(first: $n) { nodes { claim } } } "
        "query B { sources { totalCount } }"
    )
    asks: list[tuple[str, dict[str, Any], str]] = [
        ("POST", {"json": {"query": document, "variables": {"n": 1}, "operationName": "A"}}, JSON),
        ("POST", {"json": {"query": document, "variables": {"n": 2}, "operationName": "A"}}, JSON),
        ("POST", {"json": {"query": document, "operationName": "B"}}, JSON),
        (
            "POST",
            {"json": {"query": document, "variables": {"n": 1}, "operationName": "A"}},
            GRAPHQL_RESPONSE,
        ),
        ("GET", {"params": {"query": document, "operationName": "B"}}, JSON),
    ]
    async with serving(engine) as (_app, http):
        rounds = [
            [
                await http.request(method, "/graphql", headers={"Accept": accept}, **ask)
                for method, ask, accept in asks
            ]
            for _ in range(2)
        ]
    first, again = rounds
    for one, two, (_method, _ask, accept) in zip(first, again, asks, strict=True):
        assert two.content == one.content
        assert two.headers["content-type"] == one.headers["content-type"] == accept
    assert len({answer.content for answer in first[:3]}) == 3
    assert len(first[1].json()["data"]["statements"]["nodes"]) == 2
    assert first[2].json()["data"] == {"sources": {"totalCount": 1}}
    assert "etag" in again[4].headers
    assert "etag" not in again[2].headers  # the same query by POST: no-store, no ETag


async def test_a_revoked_key_is_refused_even_when_the_query_is_cached(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session:
        _, token = await create_key(session, name="cache-test-partner")
        await session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    try:
        async with serving(engine) as (_app, http):
            assert (await http.post("/graphql", json=QUERY, headers=bearer)).status_code == 200
            for _ in range(2):  # anonymous: the second is a hit
                assert (await http.post("/graphql", json=QUERY)).status_code == 200
            async with AsyncSession(engine) as session:
                assert await revoke_key(session, name="cache-test-partner")
                await session.commit()
            refused = await http.post("/graphql", json=QUERY, headers=bearer)
            anonymous = await http.post("/graphql", json=QUERY)
    finally:
        async with engine.begin() as connection:
            await connection.execute(delete(ApiKey).where(ApiKey.name == "cache-test-partner"))
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert anonymous.status_code == 200


async def test_answers_that_depend_on_the_caller_or_fail_are_never_cached(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    personal = {"query": "{ rateLimit { remaining } statements(first: 1) { totalCount } }"}
    failing = {"query": '{ node(id: "nope") { id } }'}
    async with serving(engine) as (app, http):
        calls = full_path_calls(app, monkeypatch)
        remaining = [
            (await http.post("/graphql", json=personal)).json()["data"]["rateLimit"]["remaining"]
            for _ in range(3)
        ]
        for _ in range(2):
            assert (await http.post("/graphql", json=failing)).json()["errors"]
        for _ in range(2):
            page = await http.get("/graphql", headers={"Accept": "text/html"})
            assert "claimgraph-ide-config" in page.text
    assert remaining[0] > remaining[1] > remaining[2]
    assert calls == [3 + 2 + 2]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def test_a_query_named_by_its_hash_is_answered_only_while_the_store_holds_it(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def persisted(query: str) -> str:
        return json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}})

    sources, actors = "{ sources { totalCount } }", "{ actors { totalCount } }"
    async with serving(engine, persisted_queries=1) as (app, http):
        calls = full_path_calls(app, monkeypatch)
        for _ in range(2):  # registrations always reach the store
            registered = await http.get(
                "/graphql", params={"query": sources, "extensions": persisted(sources)}
            )
            assert registered.status_code == 200
        by_hash = [
            await http.get("/graphql", params={"extensions": persisted(sources)}) for _ in range(2)
        ]
        assert calls == [3]  # the second request by hash was a hit
        await http.get("/graphql", params={"query": actors, "extensions": persisted(actors)})
        forgotten = await http.get("/graphql", params={"extensions": persisted(sources)})
    assert by_hash[1].content == by_hash[0].content == registered.content
    assert forgotten.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_the_cache_and_its_memo_are_bounded_in_bytes() -> None:
    cache = ResponseCache(max_bytes=80_000)  # 70,000 for answers, 10,000 for the memo
    cost = Cost(nodes=1, limit=10)
    for n in range(100):
        cache.put(1, f"k{n}", CachedAnswer(body=b"x" * 5_000, cost=cost, etag='"e"'))
        cache.remember(
            ("POST", JSON.encode(), JSON.encode(), b"q" * 300 + bytes([n])),
            Recognised(key=f"k{n}", media=JSON),
        )
    assert 60_000 < cache.size <= 80_000
    assert cache.get(1, "k99") is not None
    assert cache.get(1, "k0") is None
    assert cache.get(2, "k99") is None  # another data version
    assert cache.recognise(("POST", JSON.encode(), JSON.encode(), b"q" * 300 + bytes([99])))
    assert cache.recognise(("POST", JSON.encode(), JSON.encode(), b"q" * 300 + bytes([0]))) is None
    cache.put(1, "huge", CachedAnswer(body=b"x" * 10_000, cost=cost, etag='"e"'))
    assert cache.get(1, "huge") is None  # larger than an eighth of its table: not kept
    cache.retire(2)
    assert cache.get(1, "k99") is None  # the version moved on: its answers are dropped


async def test_a_busy_cache_stays_within_its_bytes(engine: AsyncEngine) -> None:
    budget = 32 * 1024
    query = "query Q($n: Int) { statements(first: $n) { nodes { claim quote } } }"
    async with serving(engine, response_cache_bytes=budget) as (app, http):
        for accept in (JSON, GRAPHQL_RESPONSE):
            for n in range(1, 25):
                ask = {"query": query, "variables": {"n": n}}
                for _ in range(2):
                    answer = await http.post("/graphql", json=ask, headers={"Accept": accept})
                    assert len(answer.json()["data"]["statements"]["nodes"]) == n
                assert app.graphql.responses.size <= budget


async def test_cached_answers_outlive_the_database_and_misses_get_503(
    database_url: str, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    miss = {"query": "{ actors { totalCount } }"}
    async with (
        proxied_database(database_url) as (proxy, proxied),
        serving(proxied) as (_app, http),
    ):
        cached = await http.post("/graphql", json=QUERY)
        assert cached.status_code == 200
        await proxy.stop()
        await asyncio.sleep(10 * POLL)  # the poll fails, again and again
        again = await http.post("/graphql", json=QUERY)
        missed = await http.post("/graphql", json=miss)
        missed_get = await http.get("/graphql", params=miss)
        assert (await http.get("/readyz")).status_code == 503
        failures = [r for r in caplog.records if "cannot read the data version" in r.message]
        assert len(failures) == 1  # logged once, not every poll
        await proxy.start()
        deadline = time.monotonic() + 10
        while (recovered := await http.post("/graphql", json=miss)).status_code != 200:
            assert time.monotonic() < deadline, "service did not resume within 10 s"
            await asyncio.sleep(0.2)
    assert again.status_code == 200  # right as of the last version known
    assert again.content == cached.content
    for response in (missed, missed_get):
        assert response.status_code == 503
        assert response.headers["retry-after"]
        assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert recovered.status_code == 200
