"""Corrections stay visible, drafts stay private (issue 12): lists leave RETRACTED
statements out unless `filter.status` asks; `node(id:)` answers them. A DRAFT is seen only
with an EDIT (or ADMIN) key, in every list, `node`, nested list, timeline and search, and
reaches no change feed entry, export or cached answer until it is published. On both engines."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from tests.api.test_desk import PATEL, SOURCE, STATEMENT, key, post
from tests.conftest import AppClient

DRAFT_CLAIM = "Patel says the talks on the coalition's future were private."
DRAFT = to_global_id("Statement", "patel-says-the-talks-on-the-coalition-s-future-were-private")

CREATE = """
mutation ($input: CreateStatementInput!) {
  createStatement(input: $input) { statement { id status revision } userErrors { code message } }
}"""
PUBLISH = """
mutation ($id: ID!) {
  publishStatement(input: {id: $id, reason: "checked"}) {
    statement { id status } userErrors { code }
  }
}"""
RETRACT = """
mutation ($id: ID!) {
  retractStatement(input: {id: $id, reason: "the quote was misattributed"}) {
    statement { id status } userErrors { code }
  }
}"""

#: Every place a statement may be seen, in one query.
SEEN = """
query ($id: ID!, $source: ID!, $speaker: ID!, $status: [StatementStatus!]) {
  node(id: $id) { id ... on Statement { status retraction { reason } } }
  statements(first: 100, filter: {source: $source, status: $status}) { nodes { id } }
  speaker: node(id: $speaker) { ... on Actor { statements(first: 100) { nodes { id } } } }
  source: node(id: $source) { ... on Source { statements(first: 100) { nodes { id } } } }
  timeline(first: 100, actor: $speaker, between: {from: "2024-09", to: "2024-09"}) {
    nodes { ... on Statement { id } }
  }
  search(text: "coalition future private", first: 100) { nodes { ... on Statement { id } } }
}"""


def ids_in(data: dict[str, Any]) -> dict[str, set[str]]:
    """Where each statement ID shows up in :data:`SEEN`'s answer."""
    return {
        "node": {data["node"]["id"]} if data["node"] else set(),
        "statements": {n["id"] for n in data["statements"]["nodes"]},
        "speaker": {n["id"] for n in data["speaker"]["statements"]["nodes"]},
        "source": {n["id"] for n in data["source"]["statements"]["nodes"]},
        "timeline": {n["id"] for n in data["timeline"]["nodes"] if n},
        "search": {n["id"] for n in data["search"]["nodes"] if n},
    }


async def seen(
    client: httpx.AsyncClient, id_: str, token: str | None, status: list[str] | None = None
) -> tuple[dict[str, Any], dict[str, set[str]]]:
    variables = {"id": id_, "source": SOURCE, "speaker": PATEL, "status": status}
    body = await post(client, SEEN, variables, token)
    # A statement this key may not see is not found, as one that never existed.
    for error in body.get("errors", []):
        assert (error["path"], error["extensions"]["code"]) == (["node"], "NOT_FOUND"), body
    return body["data"], ids_in(body["data"])


async def create_draft(client: httpx.AsyncClient, token: str) -> None:
    statement = {
        "source": SOURCE,
        "speaker": PATEL,
        "mode": "PARAPHRASE",
        "claim": DRAFT_CLAIM,
        "excerpt": {"text": "At no point did we discuss the withdrawal of US forces from Iraq"},
        "saidOn": {"edtf": "2024-09-08"},
        "draft": True,
    }
    body = await post(client, CREATE, {"input": statement}, token)
    payload = body["data"]["createStatement"]
    assert payload["userErrors"] == [], payload
    assert payload["statement"] == {"id": DRAFT, "status": "DRAFT", "revision": 1}


async def changes_of(connection: AsyncConnection, slug: str) -> list[m.ChangeKind]:
    rows = await connection.scalars(
        select(m.Change.kind).where(m.Change.node_type == "Statement", m.Change.node_slug == slug)
    )
    return list(rows)


async def exported_ids(client: httpx.AsyncClient) -> set[str]:
    response = await client.get("/export/statements.jsonl")
    assert response.status_code == 200, response.text
    lines = [orjson.loads(line) for line in response.content.splitlines() if line]
    return {record["id"] for record in lines if record.get("type") == "Statement"}


async def test_a_retracted_statement_leaves_lists_unless_the_filter_asks_for_it(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    _, before = await seen(client, STATEMENT, None)
    assert STATEMENT in before["statements"]
    assert STATEMENT in before["speaker"]
    body = await post(client, RETRACT, {"id": STATEMENT}, token)
    assert body["data"]["retractStatement"]["statement"]["status"] == "RETRACTED"

    data, after = await seen(client, STATEMENT, None)
    assert data["node"] == {
        "id": STATEMENT,
        "status": "RETRACTED",
        "retraction": {"reason": "the quote was misattributed"},
    }
    for where in ("statements", "speaker", "source", "timeline"):
        assert STATEMENT not in after[where], where
    _, asked = await seen(client, STATEMENT, None, ["RETRACTED"])
    assert asked["statements"] == {STATEMENT}
    _, both = await seen(client, STATEMENT, None, ["PUBLISHED", "RETRACTED"])
    assert both["statements"] == before["statements"]
    _, none = await seen(client, STATEMENT, None, [])
    assert none["statements"] == set()


async def test_a_draft_is_seen_only_with_an_edit_key(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    edit = await key(connection, m.KeyScope.EDIT)
    read = await key(connection, m.KeyScope.READ)
    admin = await key(connection, m.KeyScope.ADMIN)
    await create_draft(client, edit)
    everywhere = {"node", "statements", "speaker", "source", "timeline", "search"}
    for token in (None, read):
        data, found = await seen(client, DRAFT, token)
        assert data["node"] is None
        assert {where for where, ids in found.items() if DRAFT in ids} == set()
        _, asked = await seen(client, DRAFT, token, ["DRAFT"])
        assert asked["statements"] == set()  # asking for drafts shows none without EDIT
    for token in (edit, admin):
        data, found = await seen(client, DRAFT, token)
        assert data["node"]["status"] == "DRAFT"
        assert {where for where, ids in found.items() if DRAFT in ids} == everywhere
        _, asked = await seen(client, DRAFT, token, ["DRAFT"])
        assert asked["statements"] == {DRAFT}


async def test_a_draft_reaches_no_feed_or_export_until_published(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    slug = "patel-says-the-talks-on-the-coalition-s-future-were-private"
    await create_draft(client, token)
    correction = """
    mutation ($id: ID!) {
      updateStatement(input: {id: $id, expectedRevision: 1, reason: "tone", channel: "briefing"}) {
        userErrors { code }
      }
    }"""
    assert (await post(client, correction, {"id": DRAFT}, token))["data"] == {
        "updateStatement": {"userErrors": []}
    }
    assert await changes_of(connection, slug) == []
    assert DRAFT not in await exported_ids(client)

    body = await post(client, PUBLISH, {"id": DRAFT}, token)
    assert body["data"]["publishStatement"] == {
        "statement": {"id": DRAFT, "status": "PUBLISHED"},
        "userErrors": [],
    }
    assert await changes_of(connection, slug) == [m.ChangeKind.CREATED]
    assert DRAFT in await exported_ids(client)
    data, found = await seen(client, DRAFT, None)
    assert data["node"]["status"] == "PUBLISHED"
    assert DRAFT in found["statements"]


async def test_a_draft_is_never_in_the_response_cache(
    app_client: AppClient, connection: AsyncConnection
) -> None:
    async with app_client(response_cache_bytes=2**20) as http:
        token = await key(connection, m.KeyScope.EDIT)
        await create_draft(http, token)
        query = {"query": "query ($id: ID!) { node(id: $id) { id } }", "variables": {"id": DRAFT}}
        auth = {"Authorization": f"Bearer {token}"}
        for _ in range(2):
            editor = await http.post("/graphql", json=query, headers=auth)
            assert editor.json()["data"] == {"node": {"id": DRAFT}}
            assert editor.headers["cache-control"] == "no-store"
            anonymous = (await http.post("/graphql", json=query)).json()
            assert anonymous["data"] == {"node": None}
            assert anonymous["errors"][0]["extensions"]["code"] == "NOT_FOUND"
