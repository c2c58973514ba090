"""The desk: API keys with scopes, and the mutations that add and correct reporting
(claimgraph.api.graphql.mutations), through the app on both engines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from claimgraph.db.queries.keys import create_key

SOURCE = to_global_id("Source", "rudaw-2024-09-08-coalition-to-leave-iraq-before-2026")
PATEL = to_global_id("Actor", "vedant-patel")
STATEMENT = to_global_id("Statement", "patel-at-no-point-did-we-discuss-withdrawal")


async def key(connection: AsyncConnection, scope: m.KeyScope, name: str | None = None) -> str:
    """A live key of ``scope`` in the test's transaction."""
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint") as session:
        _, token = await create_key(
            session, name=name or f"desk-{scope.value.lower()}", scope=scope
        )
        await session.commit()
    return token


async def post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def count(connection: AsyncConnection, model: Any) -> int:
    return int(await connection.scalar(select(func.count()).select_from(model)) or 0)


# -- who may write ------------------------------------------------------------------------------

#: One call of each mutation, with input that is valid or names nothing (the scope check
#: comes first either way).
MUTATIONS = {
    "addSource": (
        "AddSourceInput",
        {
            "title": "Scope check",
            "text": "A text for the scope check.",
            "publishedOn": {"edtf": "2024-09"},
        },
        "source { id }",
    ),
    "createStatement": (
        "CreateStatementInput",
        {
            "source": SOURCE,
            "speaker": PATEL,
            "mode": "PARAPHRASE",
            "claim": "A claim for the scope check.",
            "excerpt": {"start": 0, "end": 10},
            "saidOn": {"edtf": "2024-09"},
        },
        "statement { id }",
    ),
    "updateStatement": (
        "UpdateStatementInput",
        {"id": STATEMENT, "expectedRevision": 1, "reason": "scope check", "channel": "briefing"},
        "statement { id }",
    ),
    "retractStatement": (
        "RetractStatementInput",
        {"id": STATEMENT, "reason": "scope check"},
        "statement { id }",
    ),
    "publishStatement": ("PublishStatementInput", {"id": STATEMENT}, "statement { id }"),
    "createActor": ("CreateActorInput", {"name": "Scope Check", "kind": "PERSON"}, "actor { id }"),
    "updateActor": (
        "UpdateActorInput",
        {"id": PATEL, "expectedRevision": 1, "reason": "scope check", "description": "x"},
        "actor { id }",
    ),
}


def mutation_text(name: str) -> str:
    input_type, _, selection = MUTATIONS[name]
    return (
        f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ {selection} "
        "userErrors { field code message } } }"
    )


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("scope", [None, "READ", "EDIT", "ADMIN"])
async def test_every_mutation_needs_an_edit_key(
    client: httpx.AsyncClient, connection: AsyncConnection, name: str, scope: str | None
) -> None:
    """No key: UNAUTHENTICATED; a READ key: FORBIDDEN; EDIT and ADMIN keys run it."""
    token = None if scope is None else await key(connection, m.KeyScope[scope])
    changes = await count(connection, m.Change)
    body = await post(client, mutation_text(name), {"input": MUTATIONS[name][1]}, token)
    if scope in (None, "READ"):
        assert body["data"] is None
        [error] = body["errors"]
        assert error["path"] == [name]
        assert error["extensions"]["code"] == ("UNAUTHENTICATED" if scope is None else "FORBIDDEN")
        assert name in error["message"] and "EDIT" in error["message"]
        assert await count(connection, m.Change) == changes  # nothing written
    else:
        assert "errors" not in body, body
        payload = body["data"][name]
        # publishing a published statement is refused as input; everything else is written
        if name == "publishStatement":
            assert [e["code"] for e in payload["userErrors"]] == ["INVALID"]
        else:
            assert payload["userErrors"] == []
            assert await count(connection, m.Change) == changes + 1
