"""The change feed: `changes(after:, first:)` walks the change log in commit order with opaque,
resumable cursors, and a partner who applies it rebuilds exactly the current dataset, across
a reload that creates, updates and deletes."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from claimgraph.seed.loader import LoadReport, write_files
from claimgraph.seed.reader import DEFAULT_SEED_DIR, extraction_paths, read_files
from tests.conftest import SEEDED_AT, GraphQL, SqlLog

SEED_FILE = "rudaw-2024-09-08-coalition-withdrawal.yaml"
#: A reload a month after the seed was recorded.
LATER = SEEDED_AT + dt.timedelta(days=30)

#: What `reload_with_edits` does, by (type, slug).
NEW_ACTOR = "partner-test-analyst"
NEW_STATEMENT = "partner-test-analyst-on-withdrawal"
REWORDED_STATEMENT = "jiad-coalition-to-leave-iraq-by-end-of-next-year"
REDESCRIBED_ACTOR = "vedant-patel"
DROPPED_STATEMENT = "rudaw-isis-remains-security-threat"

NODE_TYPES = ("Source", "Statement", "Actor", "Agreement", "Deployment", "Event")
LISTS = {
    "sources": "Source",
    "statements": "Statement",
    "actors": "Actor",
    "agreements": "Agreement",
    "deployments": "Deployment",
    "events": "Event",
}


# -- a reload that creates, updates and deletes -------------------------------------------


def _drop_statement(data: dict[str, Any], slug: str) -> None:
    """Remove a statement and every reference to it (evidence, relations)."""
    data["statements"] = [s for s in data["statements"] if s["slug"] != slug]
    data["relations"] = [
        r for r in data.get("relations", []) if slug not in (r["subject"], r["object"])
    ]
    for actor in data.get("actors", []):
        for role in actor.get("roles", []):
            role["evidence"] = [s for s in role.get("evidence", []) if s != slug]
    for agreement in data.get("agreements", []):
        for term in agreement.get("terms", []):
            term["evidence"] = [s for s in term.get("evidence", []) if s != slug]


def edited_seed(tmp_path: Path, *, generation: int = 1) -> Path:
    """A copy of the shipped seed with edits: an actor and a statement created, a statement
    and an actor reworded, a statement deleted. ``generation`` 2 rewords again and drops the
    statement generation 1 created."""
    folder = tmp_path / f"seed-{generation}"
    shutil.copytree(DEFAULT_SEED_DIR, folder)
    path = folder / SEED_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    statements = {s["slug"]: s for s in data["statements"]}
    reworded = statements[REWORDED_STATEMENT]
    reworded["claim"] = f"{reworded['claim']} (reworded, generation {generation})"
    for actor in data["actors"]:
        if actor["slug"] == REDESCRIBED_ACTOR:
            actor["description"] = f"Deputy spokesperson (generation {generation})."
    _drop_statement(data, DROPPED_STATEMENT)
    if generation == 1:
        data["actors"].append(
            {
                "slug": NEW_ACTOR,
                "name": "A Partner-Test Analyst",
                "kind": "PERSON",
                "description": "Added by a test reload.",
            }
        )
        borrowed = statements["us-describes-withdrawal-as-security-transition"]
        data["statements"].append(
            {
                "slug": NEW_STATEMENT,
                "speaker": NEW_ACTOR,
                "mode": "PARAPHRASE",
                "claim": "An analyst reads the change as a transition.",
                "excerpt": borrowed["excerpt"],
                "said_on": "2024-09-08",
                "mentions": ["united-states"],
            }
        )
        data.setdefault("relations", []).append(
            {"subject": NEW_STATEMENT, "kind": "SUPPORTS", "object": REWORDED_STATEMENT}
        )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


async def reload_with_edits(
    connection: AsyncConnection, tmp_path: Path, *, generation: int = 1, now: dt.datetime = LATER
) -> LoadReport:
    """Load :func:`edited_seed` through the test's connection (rolled back afterwards)."""
    folder = edited_seed(tmp_path, generation=generation)
    return await write_files(connection, read_files(extraction_paths(folder)), now=now)


# -- reading the API ----------------------------------------------------------------------

FEED = """
query ($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    cursor
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { nodeId nodeType kind changedAt } }
    nodes {
      node {
        id
        ... on Source { updatedAt }
        ... on Statement { updatedAt }
        ... on Actor { updatedAt }
        ... on Agreement { updatedAt }
        ... on Deployment { updatedAt }
        ... on Event { updatedAt }
      }
    }
  }
}
"""


async def feed_page(graphql: GraphQL, after: str | None, first: int = 100) -> dict[str, Any]:
    data = await graphql(FEED, {"after": after, "first": first})
    page: dict[str, Any] = data["changes"]
    return page


async def follow(
    graphql: GraphQL, dataset: dict[str, str], after: str | None, *, first: int = 100
) -> tuple[str, list[dict[str, Any]]]:
    """Apply the feed after ``after`` to ``dataset`` (ID -> updatedAt) until it is drained;
    return the cursor to resume from and the entries seen."""
    seen: list[dict[str, Any]] = []
    while True:
        page = await feed_page(graphql, after, first)
        for edge, entry in zip(page["edges"], page["nodes"], strict=True):
            change = edge["node"]
            seen.append(change)
            node = entry["node"]
            if node is None:
                dataset.pop(change["nodeId"], None)
            else:
                assert node["id"] == change["nodeId"]
                dataset[node["id"]] = node["updatedAt"]
        assert page["cursor"] == page["pageInfo"]["endCursor"]
        after = page["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return after, seen


async def api_dataset(graphql: GraphQL) -> dict[str, str]:
    """Every node the API lists now, ID -> updatedAt, read page by page."""
    found: dict[str, str] = {}
    for list_name in LISTS:
        after = None
        while True:
            data = await graphql(
                f"""query ($after: String) {{
                  {list_name}(first: 100, after: $after) {{
                    pageInfo {{ hasNextPage endCursor }}
                    nodes {{ id updatedAt }}
                  }}
                }}""",
                {"after": after},
            )
            page = data[list_name]
            found.update((node["id"], node["updatedAt"]) for node in page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    return found


async def database_node_ids(connection: AsyncConnection) -> set[str]:
    ids: set[str] = set()
    for node_type in NODE_TYPES:
        model: Any = getattr(m, node_type)
        ids.update(
            to_global_id(node_type, slug) for slug in await connection.scalars(select(model.slug))
        )
    return ids


def decode(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


# -- the feed -----------------------------------------------------------------------------


async def test_the_feed_from_its_beginning_creates_every_node_once_in_id_order(
    graphql: GraphQL, connection: AsyncConnection
) -> None:
    dataset: dict[str, str] = {}
    _, seen = await follow(graphql, dataset, None, first=7)
    assert {change["kind"] for change in seen} == {"CREATED"}
    assert len(seen) == len({change["nodeId"] for change in seen})
    assert set(dataset) == await database_node_ids(connection)
    assert set(dataset.values()) == {SEEDED_AT.isoformat()}
    assert {change["nodeType"] for change in seen} == set(NODE_TYPES)
    assert dataset == await api_dataset(graphql)


async def test_cursors_are_base64url_json_of_the_list_and_the_change_id(
    graphql: GraphQL, connection: AsyncConnection
) -> None:
    page = await feed_page(graphql, None, 5)
    ids = [decode(edge["cursor"]) for edge in page["edges"]]
    assert all(marker == "changes" for marker, _ in ids)
    numbers = [number for _, number in ids]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 5
    first_id = await connection.scalar(select(func.min(m.Change.id)))
    assert numbers[0] == first_id
    assert decode(page["cursor"]) == ["changes", numbers[-1]]
    assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
    assert not page["pageInfo"]["hasPreviousPage"]
    following = await feed_page(graphql, page["cursor"], 5)
    assert decode(following["edges"][0]["cursor"])[1] > numbers[-1]
    assert following["pageInfo"]["hasPreviousPage"]


async def test_an_empty_page_keeps_the_cursor_it_was_given_until_something_changes(
    graphql: GraphQL, connection: AsyncConnection, tmp_path: Path
) -> None:
    dataset: dict[str, str] = {}
    cursor, _ = await follow(graphql, dataset, None)
    for _ in range(2):  # polling an idle feed never loses the place
        idle = await feed_page(graphql, cursor)
        assert idle["edges"] == []
        assert idle["cursor"] == idle["pageInfo"]["endCursor"] == cursor
        assert idle["pageInfo"]["startCursor"] is None
        assert not idle["pageInfo"]["hasNextPage"]
    await reload_with_edits(connection, tmp_path)
    news = await feed_page(graphql, cursor)
    assert news["edges"], "the reload's changes follow the idle cursor"
    assert decode(news["edges"][0]["cursor"])[1] > decode(cursor)[1]


async def test_an_empty_log_starts_at_change_zero(
    graphql: GraphQL, connection: AsyncConnection
) -> None:
    await connection.execute(delete(m.Change))
    page = await feed_page(graphql, None)
    assert page["edges"] == []
    assert decode(page["cursor"]) == ["changes", 0]


async def test_a_partner_rebuilds_the_exact_dataset_across_a_reload(
    graphql: GraphQL, connection: AsyncConnection, tmp_path: Path
) -> None:
    dataset: dict[str, str] = {}
    cursor, _ = await follow(graphql, dataset, None, first=50)
    before = dict(dataset)

    report = await reload_with_edits(connection, tmp_path)
    assert report.inserted["statements"] == 1
    assert report.deleted["statements"] == 1

    cursor, seen = await follow(graphql, dataset, cursor, first=3)
    kinds = {(c["nodeType"], c["kind"]) for c in seen}
    assert {("Statement", "CREATED"), ("Statement", "DELETED"), ("Statement", "UPDATED")} <= kinds
    assert ("Actor", "CREATED") in kinds
    assert ("Actor", "UPDATED") in kinds
    assert {c["changedAt"] for c in seen} == {LATER.isoformat()}
    by_id = {c["nodeId"]: c["kind"] for c in seen}
    assert by_id[to_global_id("Statement", NEW_STATEMENT)] == "CREATED"
    assert by_id[to_global_id("Statement", DROPPED_STATEMENT)] == "DELETED"
    assert by_id[to_global_id("Statement", REWORDED_STATEMENT)] == "UPDATED"
    assert by_id[to_global_id("Actor", REDESCRIBED_ACTOR)] == "UPDATED"

    assert dataset == await api_dataset(graphql), "the feed rebuilds the current dataset"
    assert set(dataset) == await database_node_ids(connection)
    assert to_global_id("Statement", DROPPED_STATEMENT) not in dataset
    assert dataset[to_global_id("Statement", REWORDED_STATEMENT)] == LATER.isoformat()
    untouched = {k for k, v in dataset.items() if v == SEEDED_AT.isoformat()}
    assert untouched
    assert untouched < set(before)

    # A second reload, later: the cursor kept from the first walk still resumes exactly.
    evenlater = LATER + dt.timedelta(days=1)
    await reload_with_edits(connection, tmp_path, generation=2, now=evenlater)
    _, seen = await follow(graphql, dataset, cursor)
    assert {c["changedAt"] for c in seen} == {evenlater.isoformat()}
    assert dataset == await api_dataset(graphql)
    assert to_global_id("Statement", NEW_STATEMENT) not in dataset


async def test_a_node_deleted_later_reads_as_null_in_its_earlier_entries(
    graphql: GraphQL, connection: AsyncConnection, tmp_path: Path
) -> None:
    cursor, _ = await follow(graphql, {}, None)
    await reload_with_edits(connection, tmp_path)
    await reload_with_edits(connection, tmp_path, generation=2, now=LATER + dt.timedelta(days=1))
    _, seen = await follow(graphql, {}, cursor)
    created = to_global_id("Statement", NEW_STATEMENT)
    assert [c["kind"] for c in seen if c["nodeId"] == created] == ["CREATED", "DELETED"]
    page = await feed_page(graphql, cursor)
    entries = [n["node"] for e, n in zip(page["edges"], page["nodes"], strict=True)
               if e["node"]["nodeId"] == created]  # fmt: skip
    assert entries == [None, None]


async def test_records_in_the_feed_are_the_export_lines(
    graphql: GraphQL, client: Any, connection: AsyncConnection, tmp_path: Path
) -> None:
    cursor, _ = await follow(graphql, {}, None)
    await reload_with_edits(connection, tmp_path)
    data = await graphql(
        "query ($after: String) { changes(after: $after, first: 100) "
        "{ nodes { nodeId kind record } } }",
        {"after": cursor},
    )
    response = await client.get("/export/all.jsonl")
    exported = {
        line["id"]: line
        for line in map(json.loads, response.text.splitlines())
        if line["type"] not in ("meta", "end")
    }
    for change in data["changes"]["nodes"]:
        if change["kind"] == "DELETED":
            assert change["record"] is None
        else:
            assert change["record"] == exported[change["nodeId"]]


# -- cost and mistakes --------------------------------------------------------------------


async def test_sql_statements_do_not_grow_with_the_page_size(
    graphql: GraphQL, sql_log: SqlLog
) -> None:
    query = """query ($after: String, $first: Int) { changes(after: $after, first: $first) {
        nodes { nodeId node { id } record } } }"""
    page = await feed_page(graphql, None)
    types = [edge["node"]["nodeType"] for edge in page["edges"]]
    assert not page["pageInfo"]["hasNextPage"]
    assert set(types) == set(NODE_TYPES)
    # The shortest window that still holds every node type: the last actor up to the first
    # statement. The whole seed's log holds every type too, and ten times as many entries.
    start = max(i for i, t in enumerate(types) if t == "Actor")
    stop = types.index("Statement", start)
    assert set(types[start : stop + 1]) == set(NODE_TYPES)
    short = {"after": page["edges"][start - 1]["cursor"], "first": stop - start + 1}
    counts = []
    for variables in ({"first": len(types)}, short):
        sql_log.active = True
        data = await graphql(query, variables)
        sql_log.active = False
        assert len(data["changes"]["nodes"]) == variables["first"]
        counts.append(len(sql_log))
        sql_log.clear()
    assert counts[0] == counts[1], counts
    # The page; per node type, one batch of nodes and one of records with their link tables.
    assert counts[0] < 40


async def test_bad_cursors_and_page_sizes_are_named(
    graphql_response: GraphQL, graphql: GraphQL
) -> None:
    feed = (
        "query ($after: String, $first: Int) { changes(after: $after, first: $first) { cursor } }"
    )
    statements = await graphql("{ statements(first: 1) { pageInfo { endCursor } } }")
    other = statements["statements"]["pageInfo"]["endCursor"]
    ahead = base64.urlsafe_b64encode(b'["changes",999999999]').decode().rstrip("=")
    for after, first, code, words in (
        ("nonsense", None, "INVALID_CURSOR", "is not a cursor"),
        (other, None, "INVALID_CURSOR", "belongs to another list"),
        (ahead, None, "INVALID_CURSOR", "ahead of the change log"),
        (None, 0, "PAGE_SIZE", "out of range"),
        (None, 101, "PAGE_SIZE", "out of range"),
    ):
        body = await graphql_response(feed, {"after": after, "first": first})
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["extensions"]["code"] == code
        assert words in error["message"]
