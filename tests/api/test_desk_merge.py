"""The desk merges duplicate actors (mergeActors, ADMIN scope), on both engines: everything
moves to the kept actor, the duplicate's ID answers the kept actor on both query paths, lists
leave it out and the feed records it DELETED."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.schema import schema
from claimgraph.api.ids import to_global_id
from claimgraph.api.settings import ApiSettings
from claimgraph.db import models as m
from tests.api.test_desk import count, key, post
from tests.api.test_desk_relations import last_changes

JIAD = to_global_id("Actor", "sabhan-mullah-jiad")
SUDANI = to_global_id("Actor", "mohammed-shia-al-sudani")
HMC = to_global_id("Actor", "us-iraq-higher-military-commission")
MEETING = to_global_id("Event", "first-hmc-meeting")
MISSING = to_global_id("Actor", "no-such-actor")

MERGE = """mutation ($input: MergeActorsInput!) {
  mergeActors(input: $input) {
    actor {
      id name aliases revision
      history { nodes { number editor reason changes { field before after } } }
    }
    userErrors { field code message }
  }
}"""
CREATE = """mutation ($input: CreateActorInput!) {
  createActor(input: $input) { actor { id } userErrors { code } }
}"""
NODE = """query ($id: ID!) {
  node(id: $id) { id ... on Actor { name roles { title } statements(first: 3) { totalCount } } }
}"""
NODES = """query ($id: ID!) { nodes(ids: [$id]) { id } }"""

Run = Callable[[str, dict[str, Any], bool], Awaitable[tuple[Any, bool]]]


@pytest.fixture
def run(connection: AsyncConnection) -> Run:
    """A query on the test's transaction with the compiler on or off: (its answer, whether
    one SQL statement answered it)."""
    sessions = async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )

    async def execute(query: str, variables: dict[str, Any], compiled: bool) -> tuple[Any, bool]:
        async with sessions() as session:
            context = Context(session, ApiSettings(compiled_queries=compiled))
            result = await schema.execute(query, variable_values=variables, context_value=context)
            await context.db.settle()
        assert result.errors is None, result.errors
        return result.data, context.request_state.compiled is not None

    return execute


async def new_actor(client: httpx.AsyncClient, token: str, name: str) -> str:
    body = await post(client, CREATE, {"input": {"name": name, "kind": "PERSON"}}, token)
    assert body["data"]["createActor"]["userErrors"] == []
    actor_id: str = body["data"]["createActor"]["actor"]["id"]
    return actor_id


async def test_a_merge_moves_statements_and_roles_and_redirects_the_duplicate(
    client: httpx.AsyncClient, connection: AsyncConnection, run: Run
) -> None:
    token = await key(connection, m.KeyScope.ADMIN, "chief")
    keep = await new_actor(client, token, "S. M. Jiad")
    given = {"keep": keep, "duplicate": JIAD, "reason": "the same advisor"}
    payload = (await post(client, MERGE, {"input": given}, token))["data"]["mergeActors"]
    assert payload["userErrors"] == []
    actor = payload["actor"]
    assert (actor["id"], actor["name"], actor["revision"]) == (keep, "S. M. Jiad", 2)
    assert actor["aliases"] == ["Sabhan Mullah Jiad", "Jiad"]
    assert actor["history"]["nodes"][-1] == {
        "number": 2,
        "editor": "chief",
        "reason": "the same advisor",
        "changes": [
            {"field": "aliases", "before": [], "after": ["Sabhan Mullah Jiad", "Jiad"]},
            {"field": "mergedFrom", "before": None, "after": "sabhan-mullah-jiad"},
        ],
    }
    kept_id = await connection.scalar(select(m.Actor.id).where(m.Actor.name == "S. M. Jiad"))
    spoken = select(func.count()).where(m.Statement.speaker_id == kept_id)
    assert await connection.scalar(spoken) == 7
    changes = await last_changes(connection, 9)
    assert ("Actor", "sabhan-mullah-jiad", "DELETED") in changes
    assert ("Actor", "s-m-jiad", "UPDATED") in changes
    assert ("Statement", "jiad-agreement-reached-withdraw-by-end-2025", "UPDATED") in changes
    assert sum(1 for change in changes if change[0] == "Statement") == 7

    for compiled in (False, True):
        data, took = await run(NODE, {"id": JIAD}, compiled)
        assert took == compiled  # each path answered
        assert data["node"] == {
            "id": keep,
            "name": "S. M. Jiad",
            "roles": [{"title": "political advisor to the Iraqi prime minister"}],
            "statements": {"totalCount": 7},
        }
    data, _ = await run(NODES, {"id": JIAD}, False)
    assert data["nodes"] == [{"id": keep}]
    listed = await post(client, "{ actors(first: 100) { nodes { id } } }", {}, token)
    ids = [node["id"] for node in listed["data"]["actors"]["nodes"]]
    assert keep in ids
    assert JIAD not in ids
    # the duplicate's own history ends with the merge
    rows = await connection.execute(
        select(m.Revision.reason, m.Revision.changes)
        .join(m.Actor, m.Actor.id == m.Revision.node_id)
        .where(m.Revision.node_type == "Actor", m.Actor.slug == "sabhan-mullah-jiad")
        .order_by(m.Revision.number)
    )
    assert [tuple(row) for row in rows][-1] == (
        "the same advisor",
        [{"field": "replacedBy", "before": None, "after": "s-m-jiad"}],
    )
    again = (await post(client, MERGE, {"input": given}, token))["data"]["mergeActors"]
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [
        (["input", "duplicate"], "INVALID")
    ]


async def test_a_merge_moves_links_without_storing_one_twice(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    token = await key(connection, m.KeyScope.ADMIN)
    keep = await new_actor(client, token, "Prime Minister Sudani")
    update = """mutation ($input: UpdateEventInput!) { updateEvent(input: $input) {
      userErrors { code } } }"""
    participants = [SUDANI, keep, HMC]
    given = {"id": MEETING, "expectedRevision": 1, "reason": "r", "participants": participants}
    assert (await post(client, update, {"input": given}, token))["data"]["updateEvent"] == {
        "userErrors": []
    }
    merge = {"keep": keep, "duplicate": SUDANI, "reason": "one prime minister"}
    payload = (await post(client, MERGE, {"input": merge}, token))["data"]["mergeActors"]
    assert payload["userErrors"] == []
    event = await post(
        client,
        "query ($id: ID!) { node(id: $id) { ... on Event { participants { id } } } }",
        {"id": MEETING},
        token,
    )
    assert event["data"]["node"]["participants"] == [{"id": keep}, {"id": HMC}]
    mentioned = await post(
        client,
        "query ($id: ID!) { node(id: $id) { ... on Actor { mentionedIn { totalCount } } } }",
        {"id": keep},
        token,
    )
    assert mentioned["data"]["node"]["mentionedIn"]["totalCount"] == 2
    changes = await last_changes(connection, 5)
    assert ("Event", "first-hmc-meeting", "UPDATED") in changes
    assert ("Actor", "mohammed-shia-al-sudani", "DELETED") in changes


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"keep": MISSING}, ["input", "keep"], "NOT_FOUND"),
        ({"duplicate": "garbage"}, ["input", "duplicate"], "NOT_FOUND"),
        ({"duplicate": MEETING}, ["input", "duplicate"], "NOT_FOUND"),
        ({"duplicate": JIAD}, ["input", "duplicate"], "INVALID"),  # itself
        ({"reason": "  "}, ["input", "reason"], "INVALID"),
    ],
)
async def test_bad_merge_input_is_a_user_error_and_writes_nothing(
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    given: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    token = await key(connection, m.KeyScope.ADMIN)
    changes = await count(connection, m.Change)
    merge = {"keep": JIAD, "duplicate": SUDANI, "reason": "r", **given}
    payload = (await post(client, MERGE, {"input": merge}, token))["data"]["mergeActors"]
    assert payload["actor"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    assert await count(connection, m.Change) == changes
    assert (
        await connection.scalar(select(func.count()).where(m.Actor.replaced_by_id.is_not(None)))
        == 0
    )
