"""The desk relates statements (addRelation, removeRelation), on both engines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from tests.api.test_desk import count, key, post

PATEL = to_global_id("Statement", "patel-at-no-point-did-we-discuss-withdrawal")
JIAD = to_global_id("Statement", "jiad-agreement-reached-withdraw-by-end-2025")
DENIAL = to_global_id("Statement", "state-department-denies-withdrawal-discussed")

ADD = """mutation ($input: AddRelationInput!) {
  addRelation(input: $input) {
    statement {
      id revision
      relations { kind direction note statement { id } }
      history { nodes { number editor reason changes { field before after } } }
    }
    userErrors { field code message }
  }
}"""
REMOVE = ADD.replace("AddRelationInput", "RemoveRelationInput").replace(
    "addRelation", "removeRelation"
)
RELATIONS = """query ($id: ID!) {
  node(id: $id) { ... on Statement { revision relations { kind direction note statement { id } } } }
}"""


async def last_changes(connection: AsyncConnection, n: int) -> list[tuple[str, str, str]]:
    rows = await connection.execute(
        select(m.Change.node_type, m.Change.node_slug, m.Change.kind)
        .order_by(m.Change.id.desc())
        .limit(n)
    )
    return sorted((t, slug, kind.value) for t, slug, kind in rows)


async def test_a_relation_is_added_and_shown_from_both_ends(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT, "night-desk")
    relation = {"subject": PATEL, "kind": "SUPPORTS", "object": DENIAL}
    given = {**relation, "note": "both deny it", "reason": "Patel backs the denial"}
    body = await post(client, ADD, {"input": given}, token)
    payload = body["data"]["addRelation"]
    assert payload["userErrors"] == []
    statement = payload["statement"]
    assert statement["id"] == PATEL
    assert statement["revision"] == 2
    assert {
        "kind": "SUPPORTS",
        "direction": "OUTGOING",
        "note": "both deny it",
        "statement": {"id": DENIAL},
    } in statement["relations"]
    assert statement["history"]["nodes"][-1] == {
        "number": 2,
        "editor": "night-desk",
        "reason": "Patel backs the denial",
        "changes": [
            {
                "field": "relations",
                "before": None,
                "after": {
                    "kind": "SUPPORTS",
                    "object": "state-department-denies-withdrawal-discussed",
                    "note": "both deny it",
                },
            }
        ],
    }
    assert await last_changes(connection, 2) == [
        ("Statement", "patel-at-no-point-did-we-discuss-withdrawal", "UPDATED"),
        ("Statement", "state-department-denies-withdrawal-discussed", "UPDATED"),
    ]
    other = (await post(client, RELATIONS, {"id": DENIAL}, token))["data"]["node"]
    assert {
        "kind": "SUPPORTS",
        "direction": "INCOMING",
        "note": "both deny it",
        "statement": {"id": PATEL},
    } in other["relations"]
    assert other["revision"] == 1  # the object's record is not revised


async def test_a_relation_is_removed_from_both_ends(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT, "night-desk")
    relation = {"subject": PATEL, "kind": "SUPPORTS", "object": DENIAL}
    given = {**relation, "note": "both deny it", "reason": "Patel backs the denial"}
    assert (await post(client, ADD, {"input": given}, token))["data"]["addRelation"][
        "userErrors"
    ] == []
    removed = await post(client, REMOVE, {"input": {**relation, "reason": "wrong"}}, token)
    payload = removed["data"]["removeRelation"]
    assert payload["userErrors"] == []
    assert payload["statement"]["revision"] == 3
    assert [
        (r["kind"], r["direction"])
        for r in payload["statement"]["relations"]
        if r["statement"]["id"] == DENIAL
    ] == [("ELABORATES", "OUTGOING")]  # the seed's stays
    assert payload["statement"]["history"]["nodes"][-1]["changes"] == [
        {
            "field": "relations",
            "before": {
                "kind": "SUPPORTS",
                "object": "state-department-denies-withdrawal-discussed",
                "note": "both deny it",
            },
            "after": None,
        }
    ]
    other = (await post(client, RELATIONS, {"id": DENIAL}, token))["data"]["node"]
    assert [
        (r["kind"], r["direction"]) for r in other["relations"] if r["statement"]["id"] == PATEL
    ] == [("ELABORATES", "INCOMING")]


MISSING = to_global_id("Statement", "no-such-statement")


@pytest.mark.parametrize(
    ("mutation", "change", "field", "code"),
    [
        (ADD, {"subject": MISSING}, ["input", "subject"], "NOT_FOUND"),
        (ADD, {"object": MISSING}, ["input", "object"], "NOT_FOUND"),
        (ADD, {"object": to_global_id("Actor", "vedant-patel")}, ["input", "object"], "NOT_FOUND"),
        (ADD, {"object": "not an id"}, ["input", "object"], "NOT_FOUND"),
        (ADD, {"object": PATEL}, ["input", "object"], "INVALID"),  # itself
        (ADD, {"kind": "CONTRADICTS", "object": JIAD}, ["input", "object"], "INVALID"),  # seeded
        (ADD, {"expectedRevision": 7}, ["input", "expectedRevision"], "STALE_REVISION"),
        (REMOVE, {"kind": "SUPPORTS"}, ["input", "object"], "NOT_FOUND"),  # no such relation
        (REMOVE, {"reason": " "}, ["input", "reason"], "INVALID"),
        (REMOVE, {"subject": MISSING}, ["input", "subject"], "NOT_FOUND"),
    ],
)
async def test_bad_relation_input_is_a_user_error_and_writes_nothing(
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    mutation: str,
    change: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    kind = "SUPPORTS" if mutation == ADD else "CONTRADICTS"
    given = {"subject": PATEL, "kind": kind, "object": DENIAL if mutation == ADD else JIAD}
    given = {**given, "reason": "r", **change}
    relations, changes = (
        await count(connection, m.StatementRelation),
        await count(connection, m.Change),
    )
    body = await post(client, mutation, {"input": given}, token)
    assert "errors" not in body, body
    [payload] = body["data"].values()
    assert payload["statement"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    assert await count(connection, m.StatementRelation) == relations
    assert await count(connection, m.Change) == changes
