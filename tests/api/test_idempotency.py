"""The `Idempotency-Key` header on mutations (claimgraph.api.http.idempotency): the same key
and request within 24 hours get the first answer again, byte for byte; the same key with
another request is refused with IDEMPOTENCY_KEY_REUSED; keys are per client; two concurrent
requests with one key write once. On both engines."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from claimgraph.api.app import create_app
from claimgraph.api.settings import ApiSettings
from claimgraph.db import models as m
from claimgraph.db.queries.keys import create_key
from tests.api.test_desk import key
from tests.conftest import ENGINES, POSTGRES_URL
from tests.support.isolated import isolated_engine

CREATE = """mutation ($input: CreateActorInput!) {
  createActor(input: $input) { actor { id name revision } userErrors { field code message } }
}"""


def request(name: str) -> dict[str, Any]:
    return {"query": CREATE, "variables": {"input": {"name": name, "kind": "PERSON"}}}


async def send(
    http: httpx.AsyncClient, token: str, body: dict[str, Any], idempotency_key: str | None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return await http.post("/graphql", json=body, headers=headers)


async def actors_named(connection: AsyncConnection, name: str) -> int:
    found = await connection.scalar(
        select(func.count()).select_from(m.Actor).where(m.Actor.name == name)
    )
    return int(found or 0)


async def test_the_same_key_and_request_get_the_first_answer_again(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    first = await send(client, token, request("Ada Desk"), "create-ada-1")
    assert first.status_code == 200
    assert first.json()["data"]["createActor"]["actor"]["name"] == "Ada Desk"
    again = await send(client, token, request("Ada Desk"), "create-ada-1")
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await actors_named(connection, "Ada Desk") == 1
    # Without a key the same request is another write.
    await send(client, token, request("Ada Desk"), None)
    assert await actors_named(connection, "Ada Desk") == 2


async def test_the_same_key_with_another_request_is_refused(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    await send(client, token, request("Ada Desk"), "create-ada-2")
    refused = await send(client, token, request("Bea Desk"), "create-ada-2")
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert "Idempotency-Key header" in error["message"]
    assert "create-ada-2" in error["message"]
    assert await actors_named(connection, "Bea Desk") == 0


async def test_keys_are_per_client(client: httpx.AsyncClient, connection: AsyncConnection) -> None:
    one = await key(connection, m.KeyScope.EDIT, "desk-one")
    two = await key(connection, m.KeyScope.EDIT, "desk-two")
    first = await send(client, one, request("Ada Desk"), "shared")
    second = await send(client, two, request("Ada Desk"), "shared")
    assert "idempotent-replayed" not in second.headers
    assert (
        first.json()["data"]["createActor"]["actor"]["id"]
        != (second.json()["data"]["createActor"]["actor"]["id"])
    )
    assert await actors_named(connection, "Ada Desk") == 2


@pytest.mark.parametrize(
    ("sent", "why"),
    [("x" * 256, "256 characters long"), ("", "0 characters long"), ("caf\u00e9", "other")],
)
async def test_a_bad_key_is_refused_saying_why(
    client: httpx.AsyncClient, connection: AsyncConnection, sent: str, why: str
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    headers = [(b"authorization", f"Bearer {token}".encode()), (b"idempotency-key", sent.encode())]
    response = await client.post("/graphql", json=request("Ada Desk"), headers=headers)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_IDEMPOTENCY_KEY"
    assert "Idempotency-Key header: give 1 to 255 printable ASCII characters" in error["message"]
    assert why in error["message"]
    assert await actors_named(connection, "Ada Desk") == 0


async def test_a_key_is_free_again_after_24_hours(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    await send(client, token, request("Ada Desk"), "daily")
    kept = m.IdempotencyKey
    await connection.execute(
        update(kept).values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=24, minutes=1))
    )
    again = await send(client, token, request("Bea Desk"), "daily")
    assert again.status_code == 200
    assert "idempotent-replayed" not in again.headers
    assert await actors_named(connection, "Bea Desk") == 1
    rows = (await connection.execute(select(kept.key, kept.fingerprint))).all()
    assert len(rows) == 1  # the expired answer is gone, the new one kept


@pytest.mark.parametrize("kind", ENGINES)
async def test_two_concurrent_requests_with_one_key_write_once(kind: str, tmp_path: Path) -> None:
    async with isolated_engine(kind, tmp_path, POSTGRES_URL) as engine:
        async with async_sessionmaker(engine)() as session, session.begin():
            _, token = await create_key(session, name="twice", scope=m.KeyScope.EDIT)
        app = create_app(
            engine=engine, settings=ApiSettings(response_cache_bytes=0, data_version_poll=0)
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://twice.test") as http:
            responses = await asyncio.gather(
                *(send(http, token, request("Ada Twice"), "one-key") for _ in range(2))
            )
        assert [r.status_code for r in responses] == [200, 200]
        assert responses[0].content == responses[1].content
        replayed = sorted(str(r.headers.get("idempotent-replayed")) for r in responses)
        assert replayed == ["None", "true"]  # one ran, the other got its answer
        async with engine.connect() as connection:
            assert await actors_named(connection, "Ada Twice") == 1
