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
        assert name in error["message"]
        assert "EDIT" in error["message"]
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


# -- corrections, their checks and their history ------------------------------------------------

UPDATE = """mutation ($input: UpdateStatementInput!) {
  updateStatement(input: $input) {
    statement {
      claim revision
      history { totalCount nodes { number editor reason changes { field before after } } }
    }
    userErrors { field code message }
  }
}"""
CREATE = """mutation ($input: CreateStatementInput!) {
  createStatement(input: $input) {
    statement {
      id claim quote excerpt { start end text } saidOn { edtf precision } revision status
    }
    userErrors { field code message }
  }
}"""


async def test_a_correction_is_a_revision_with_its_editor_reason_and_changes(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT, "night-desk")
    variables = {
        "input": {
            "id": STATEMENT,
            "expectedRevision": 1,
            "reason": "the briefing was on 6 September",
            "channel": "State Department press briefing",
        }
    }
    body = await post(client, UPDATE, variables, token)
    payload = body["data"]["updateStatement"]
    assert payload["userErrors"] == []
    history = payload["statement"]["history"]
    assert payload["statement"]["revision"] == 2
    assert history["totalCount"] == 2
    first, second = history["nodes"]
    assert first["number"] == 1
    assert first["editor"].startswith("seed:")
    assert second == {
        "number": 2,
        "editor": "night-desk",
        "reason": "the briefing was on 6 September",
        "changes": [
            {
                "field": "channel",
                "before": "press conference",
                "after": "State Department press briefing",
            }
        ],
    }
    # the same correction again is stale: nothing more is written
    again = (await post(client, UPDATE, variables, token))["data"]["updateStatement"]
    assert again["statement"] is None
    assert again["userErrors"] == [
        {
            "field": ["input", "expectedRevision"],
            "code": "STALE_REVISION",
            "message": "expectedRevision: the record is at revision 2, not 1: it changed since "
            "you read it. Read it again and redo your edit.",
        }
    ]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (
            {"excerpt": {"text": "not in the article at all"}},
            ["input", "excerpt", "text"],
            "EXCERPT_NOT_FOUND",
        ),
        ({"excerpt": {"text": "the"}}, ["input", "excerpt", "text"], "EXCERPT_AMBIGUOUS"),
        ({"excerpt": {"start": 5, "end": 2}}, ["input", "excerpt"], "INVALID"),
        ({"excerpt": {}}, ["input", "excerpt"], "INVALID"),
        ({"quote": "words nobody said"}, ["input", "quote"], "QUOTE_OUTSIDE_EXCERPT"),
        ({"saidOn": {"edtf": "2024-13-45"}}, ["input", "saidOn", "edtf"], "INVALID_DATE"),
        ({"speaker": to_global_id("Actor", "nobody-at-all")}, ["input", "speaker"], "NOT_FOUND"),
        ({"speaker": "not an id"}, ["input", "speaker"], "NOT_FOUND"),
        ({"mentions": [PATEL, STATEMENT]}, ["input", "mentions", "1"], "NOT_FOUND"),
        ({"claim": ""}, ["input", "claim"], "INVALID"),
    ],
)
async def test_bad_input_is_a_user_error_at_its_field_and_writes_nothing(
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    change: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    before = (await count(connection, m.Statement), await count(connection, m.Revision))
    statement = {
        "source": SOURCE,
        "speaker": PATEL,
        "mode": "PARAPHRASE",
        "claim": "The State Department denies a withdrawal was discussed.",
        "excerpt": {"text": "At no point did we discuss the withdrawal of US forces from Iraq"},
        "saidOn": {"edtf": "2024-09"},
        **change,
    }
    body = await post(client, CREATE, {"input": statement}, token)
    payload = body["data"]["createStatement"]
    assert payload["statement"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    assert payload["userErrors"][0]["message"]
    assert (await count(connection, m.Statement), await count(connection, m.Revision)) == before


async def test_a_statement_is_created_from_its_excerpt_text_with_vague_dates(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    source = await connection.scalar(
        select(m.Source.text).where(
            m.Source.slug == "rudaw-2024-09-08-coalition-to-leave-iraq-before-2026"
        )
    )
    assert source is not None
    excerpt = "At no point did we discuss the withdrawal of US forces from Iraq"
    start = source.index(excerpt)
    statement = {
        "source": SOURCE,
        "speaker": PATEL,
        "mode": "DIRECT_QUOTE",
        "claim": "Patel says a withdrawal was never discussed.",
        "quote": "did we discuss the withdrawal",
        "excerpt": {"text": excerpt},
        "saidOn": {"edtf": "2024-09~"},
    }
    body = await post(client, CREATE, {"input": statement}, token)
    payload = body["data"]["createStatement"]
    assert payload["userErrors"] == []
    created = payload["statement"]
    assert created["excerpt"] == {"start": start, "end": start + len(excerpt), "text": excerpt}
    assert created["saidOn"] == {"edtf": "2024-09~", "precision": "MONTH"}
    assert (created["revision"], created["status"]) == (1, "PUBLISHED")
    assert created["id"] == to_global_id("Statement", "patel-says-a-withdrawal-was-never-discussed")
