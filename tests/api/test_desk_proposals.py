"""Drafts from the extractor (issue 13): `proposeStatements` on a stored source, and the
writer `claimgraph ingest --load` shares with it (load_draft), on both engines: DRAFT
statements only an EDIT key sees, each with the rule and confidence in its revision's reason,
publishable with `publishStatement`; bad input is a user error, never a 500."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

import claimgraph.api.graphql.mutations.proposals as proposals
from claimgraph.api.graphql.mutations.errors import Refused
from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from claimgraph.extract import extract
from claimgraph.extract.known import from_connection
from tests.api.test_desk import PATEL, SOURCE, count, key, post

PROPOSE = """
mutation ($source: ID!) {
  proposeStatements(input: {source: $source}) {
    statements {
      id status mode speaker { id } excerpt { start end text }
      history(first: 5) { nodes { editor reason } }
    }
    userErrors { field code message }
  }
}"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on Statement { status } } }"
PUBLISH = """
mutation ($id: ID!) {
  publishStatement(input: {id: $id, reason: "checked"}) {
    statement { id status } userErrors { code }
  }
}"""
ARTICLE = Path(__file__).parents[1] / "extract" / "gold" / "veloria-ports-strike" / "article.txt"


@pytest.mark.parametrize("scope", [None, "READ", "EDIT", "ADMIN"])
async def test_propose_needs_an_edit_key(
    client: httpx.AsyncClient, connection: AsyncConnection, scope: str | None
) -> None:
    token = None if scope is None else await key(connection, m.KeyScope[scope])
    statements = await count(connection, m.Statement)
    body = await post(client, PROPOSE, {"source": SOURCE}, token)
    if scope in (None, "READ"):
        assert body["data"] is None
        [error] = body["errors"]
        assert error["path"] == ["proposeStatements"]
        assert error["extensions"]["code"] == ("UNAUTHENTICATED" if scope is None else "FORBIDDEN")
        assert await count(connection, m.Statement) == statements
    else:
        assert "errors" not in body, body
        payload = body["data"]["proposeStatements"]
        assert payload["userErrors"] == []
        assert len(payload["statements"]) == await count(connection, m.Statement) - statements


async def test_propose_drafts_the_seed_source(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    """The seed article, read again: its quotes and reported speech as DRAFTs by known
    speakers (no new actor), each saying its rule; hidden from others until published."""
    token = await key(connection, m.KeyScope.EDIT, name="desk-amira")
    actors = await count(connection, m.Actor)
    body = await post(client, PROPOSE, {"source": SOURCE}, token)
    payload = body["data"]["proposeStatements"]
    assert payload["userErrors"] == []
    statements = payload["statements"]
    text = await connection.scalar(
        select(m.Source.text).where(
            m.Source.slug == "rudaw-2024-09-08-coalition-to-leave-iraq-before-2026"
        )
    )
    assert text is not None
    assert {s["status"] for s in statements} == {"DRAFT"}
    # The seed's four quotes: Patel's one quotation (the seed splits it in two) and two more.
    assert sum(s["mode"] == "DIRECT_QUOTE" for s in statements) == 3
    for s in statements:
        excerpt = s["excerpt"]
        assert text[excerpt["start"] : excerpt["end"]] == excerpt["text"]
        [revision] = s["history"]["nodes"]
        assert revision["editor"] == "extract:desk-amira"
        assert revision["reason"].startswith("proposed by the extractor: rule ")
        assert "confidence 0." in revision["reason"]
    assert PATEL in {s["speaker"]["id"] for s in statements}
    assert await count(connection, m.Actor) == actors  # every speaker is known
    first = statements[0]["id"]
    hidden = await post(client, NODE, {"id": first})
    assert hidden["data"]["node"] is None
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    published = await post(client, PUBLISH, {"id": first}, token)
    assert published["data"]["publishStatement"]["statement"]["status"] == "PUBLISHED"
    assert (await post(client, NODE, {"id": first}))["data"]["node"]["status"] == "PUBLISHED"


@pytest.mark.parametrize(
    ("source", "code"),
    [
        (to_global_id("Source", "no-such-source"), "NOT_FOUND"),
        (PATEL, "NOT_FOUND"),  # an Actor's ID
        ("not an id", "NOT_FOUND"),
    ],
)
async def test_propose_refuses_bad_ids(
    client: httpx.AsyncClient, connection: AsyncConnection, source: str, code: str
) -> None:
    token = await key(connection, m.KeyScope.EDIT)
    statements = await count(connection, m.Statement)
    body = await post(client, PROPOSE, {"source": source}, token)
    assert "errors" not in body, body
    payload = body["data"]["proposeStatements"]
    assert payload["statements"] == []
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "source"], code)
    assert await count(connection, m.Statement) == statements


async def test_propose_refuses_a_text_over_the_limit(
    client: httpx.AsyncClient, connection: AsyncConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(proposals, "MAX_TEXT_CHARS", 100)
    token = await key(connection, m.KeyScope.EDIT)
    body = await post(client, PROPOSE, {"source": SOURCE}, token)
    [error] = body["data"]["proposeStatements"]["userErrors"]
    assert error["code"] == "INVALID"
    assert "over the extractor's limit of 100" in error["message"]


async def test_load_draft_writes_drafts_and_new_actors(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    """What `ingest --load` runs: the new actors, the source and DRAFT statements, in the
    caller's one transaction; visible with an EDIT key only, publishable."""
    text = ARTICLE.read_text(encoding="utf-8")
    now = dt.datetime.now(dt.UTC)
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint") as session:
        known = await from_connection(await session.connection())
        draft = extract(
            text, published=dt.date(2024, 3, 14), publisher="Meridian Wire", known_actors=known
        )
        source_id, ids = await proposals.load_draft(
            session, draft, url="https://example.org/a", editor="extract:article.txt", now=now
        )
        await session.commit()
    assert len(ids) == len(draft.proposals) > 5
    rows = (
        await connection.execute(
            select(m.Statement.status, m.Statement.source_id).where(m.Statement.id.in_(ids))
        )
    ).all()
    assert set(rows) == {(m.StatementStatus.DRAFT, source_id)}
    names = set(await connection.scalars(select(m.Actor.name)))
    assert {"Lena Varga", "Petr Halloran", "Meridian Wire"} <= names
    editors = set(
        await connection.scalars(
            select(m.Revision.editor).where(m.Revision.reason.like("proposed by the extractor%"))
        )
    )
    assert editors == {"extract:article.txt"}
    slug = await connection.scalar(select(m.Statement.slug).where(m.Statement.id == ids[0]))
    first = to_global_id("Statement", str(slug))
    assert (await post(client, NODE, {"id": first}))["data"]["node"] is None
    token = await key(connection, m.KeyScope.EDIT)
    seen: dict[str, Any] = await post(client, NODE, {"id": first}, token)
    assert seen["data"]["node"]["status"] == "DRAFT"
    published = await post(client, PUBLISH, {"id": first}, token)
    assert published["data"]["publishStatement"]["statement"]["status"] == "PUBLISHED"


async def test_load_draft_of_a_known_text_writes_nothing(connection: AsyncConnection) -> None:
    """The seed's own text again: addSource refuses it, and the actors written before roll back."""
    text = await connection.scalar(select(m.Source.text).limit(1))
    assert text is not None
    draft = extract(text, published=dt.date(2024, 9, 8), publisher="Nowhere Daily")
    actors, statements = await count(connection, m.Actor), await count(connection, m.Statement)
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint") as session:
        with pytest.raises(Refused, match="this text is the source"):
            async with session.begin_nested():
                await proposals.load_draft(
                    session, draft, url=None, editor="extract:x.txt", now=dt.datetime.now(dt.UTC)
                )
    assert (await count(connection, m.Actor), await count(connection, m.Statement)) == (
        actors,
        statements,
    )


async def test_the_guide_example_runs(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    """docs/extraction.md's `proposeStatements` example, as it stands."""
    guide = (Path(__file__).parents[2] / "docs" / "extraction.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```graphql\n(mutation Propose.*?)```", guide, re.S)
    token = await key(connection, m.KeyScope.EDIT, name="desk-guide")
    body = await post(client, example, {}, token)
    payload = body["data"]["proposeStatements"]
    assert payload["userErrors"] == []
    assert payload["statements"][0]["history"]["nodes"][0]["editor"] == "extract:desk-guide"
    assert {s["status"] for s in payload["statements"]} == {"DRAFT"}
