"""Global IDs and ``node``/``nodes``: every type is fetched back by its ID, IDs are the
seed's slugs (so stable), bad IDs are clear errors; and the graph is consistent through the
API: excerpts point into their source's text, and relations show from both ends."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

import claimgraph.seed
from claimgraph.api.ids import to_global_id
from tests.conftest import GraphQL

Node = dict[str, Any]

#: Each Node type, its root list, and a field that tells its objects apart.
TYPES = [
    ("Source", "sources", "title"),
    ("Statement", "statements", "claim"),
    ("Actor", "actors", "name"),
    ("Agreement", "agreements", "title"),
    ("Deployment", "deployments", "country personnel"),
    ("Event", "events", "title"),
]
#: Where the seed files keep each type's records.
SEED_SECTIONS = {
    "Source": "source",
    "Statement": "statements",
    "Actor": "actors",
    "Agreement": "agreements",
    "Deployment": "deployments",
    "Event": "events",
}
SEED_FILES = sorted((Path(claimgraph.seed.__file__).parent / "data").glob("*.yaml"))

NODE = "query ($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


def seed() -> list[dict[str, Any]]:
    files = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in SEED_FILES]
    assert files, "the shipped seed is there"
    return files


def seed_slugs(type_name: str) -> set[str]:
    section = SEED_SECTIONS[type_name]
    slugs: set[str] = set()
    for document in seed():
        records = document.get(section) or []
        for record in [records] if isinstance(records, dict) else records:
            slugs.add(record["slug"])
    return slugs


async def listed(graphql: GraphQL, list_name: str, fields: str) -> list[Node]:
    data = await graphql(f"{{ {list_name}(first: 100) {{ nodes {{ __typename id {fields} }} }} }}")
    nodes: list[Node] = data[list_name]["nodes"]
    return nodes


def decoded(global_id: str) -> str:
    """What an ID holds (the API promises base64url of "Type:slug", unpadded)."""
    assert "=" not in global_id
    assert set(global_id) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()


@pytest.mark.parametrize(("type_name", "list_name", "fields"), TYPES)
async def test_node_fetches_every_object_of_every_type(
    graphql: GraphQL, type_name: str, list_name: str, fields: str
) -> None:
    objects = await listed(graphql, list_name, fields)
    assert objects
    selection = f"__typename id ... on {type_name} {{ {fields} }}"
    query = f"query ($id: ID!) {{ node(id: $id) {{ {selection} }} }}"
    for listed_object in objects:
        fetched = (await graphql(query, {"id": listed_object["id"]}))["node"]
        assert fetched == listed_object
        assert fetched["__typename"] == type_name


@pytest.mark.parametrize(("type_name", "list_name", "fields"), TYPES)
async def test_ids_are_the_seeds_slugs(
    graphql: GraphQL, type_name: str, list_name: str, fields: str
) -> None:
    objects = await listed(graphql, list_name, fields)
    ids = [node["id"] for node in objects]
    assert {decoded(i) for i in ids} == {f"{type_name}:{slug}" for slug in seed_slugs(type_name)}
    # The same slug always gives the same ID: the one clients may have kept.
    assert set(ids) == {to_global_id(type_name, slug) for slug in seed_slugs(type_name)}
    assert [node["id"] for node in await listed(graphql, list_name, fields)] == ids


async def every_id(graphql: GraphQL) -> list[tuple[str, str]]:
    """(type, ID) of every object, taken from the lists."""
    found: list[tuple[str, str]] = []
    for type_name, list_name, fields in TYPES:
        found += [(type_name, node["id"]) for node in await listed(graphql, list_name, fields)]
    return found


async def test_nodes_keeps_the_order_asked_and_gives_null_for_an_unknown_id(
    graphql: GraphQL,
) -> None:
    everything = await every_id(graphql)
    assert len(everything) == 1 + 24 + 20 + 2 + 2 + 6
    # Mix the types (a batch per type must not regroup them) and ask for one twice.
    asked = everything[::-1][::2] + everything[::2] + [everything[7]]
    unknown = to_global_id("Actor", "no-such-actor")
    asked.insert(5, ("?", unknown))
    answer = (await graphql(NODES, {"ids": [i for _, i in asked]}))["nodes"]
    assert len(answer) == len(asked)
    assert answer[5] is None
    for (type_name, asked_id), got in zip(asked, answer, strict=True):
        if asked_id != unknown:
            assert got == {"__typename": type_name, "id": asked_id}


async def test_nodes_of_nothing_is_an_empty_list(graphql: GraphQL) -> None:
    assert (await graphql(NODES, {"ids": []}))["nodes"] == []


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


MALFORMED = {
    "word": "nope",
    "empty": "",
    "unknown type": b64("Bogus:x"),
    "no slug": b64("Statement:"),
    "no type": b64(":x"),
    "no colon": b64("Statement"),
    "lower-case type": b64("statement:jiad"),
    "not base64": "Statement:jiad",
    "not utf-8": base64.urlsafe_b64encode(b"\xff\xfe:x").decode(),
}


@pytest.mark.parametrize("value", list(MALFORMED.values()), ids=list(MALFORMED))
async def test_a_malformed_id_is_an_invalid_id_error(graphql_response: GraphQL, value: str) -> None:
    body = await graphql_response(NODE, {"id": value})
    assert body["data"] == {"node": None}
    [error] = body["errors"]
    assert error["message"].startswith("id:")
    assert repr(value) in error["message"]
    assert error["extensions"]["code"] == "INVALID_ID"
    assert error["path"] == ["node"]


@pytest.mark.parametrize("value", list(MALFORMED.values()), ids=list(MALFORMED))
async def test_a_malformed_id_in_nodes_names_its_position(
    graphql_response: GraphQL, value: str
) -> None:
    good = to_global_id("Actor", "iraq")
    body = await graphql_response(NODES, {"ids": [good, good, value]})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"].startswith("ids[2]:")
    assert error["extensions"]["code"] == "INVALID_ID"


@pytest.mark.parametrize("type_name", list(SEED_SECTIONS))
async def test_an_unknown_id_is_not_found(graphql_response: GraphQL, type_name: str) -> None:
    missing = to_global_id(type_name, "no-such-thing")
    body = await graphql_response(NODE, {"id": missing})
    assert body["data"] == {"node": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert type_name in error["message"]
    assert missing in error["message"]


@pytest.mark.parametrize(
    "slug",
    [
        "x" * 500,  # longer than any slug column
        "iraq'; --",
        "iraq%",
        "Ünïcødé ’ slug",
        pytest.param("nul\x00byte", id="nul-byte"),
    ],
)
async def test_a_strange_slug_is_not_found_never_an_unexpected_error(
    client: httpx.AsyncClient, slug: str
) -> None:
    value = to_global_id("Statement", slug)
    response = await client.post("/graphql", json={"query": NODE, "variables": {"id": value}})
    assert response.status_code < 500
    body = response.json()
    [error] = body["errors"]
    assert error["message"] != "Unexpected error."
    assert error["extensions"]["code"] in ("NOT_FOUND", "INVALID_ID")


# -- the graph through the API ------------------------------------------------------------

EXCERPTS = """
{
  statements(first: 100) {
    nodes {
      id quote
      source { id }
      excerpt { start end text source { id text contentSha256 } }
    }
  }
}
"""


async def test_every_excerpt_is_its_sources_text_between_its_offsets(graphql: GraphQL) -> None:
    statements = (await graphql(EXCERPTS))["statements"]["nodes"]
    assert len(statements) == 24
    for s in statements:
        excerpt = s["excerpt"]
        text = excerpt["source"]["text"]
        assert excerpt["source"]["id"] == s["source"]["id"]
        assert 0 <= excerpt["start"] < excerpt["end"] <= len(text)
        # Offsets count code points: the text has curly quotes and apostrophes.
        assert text[excerpt["start"] : excerpt["end"]] == excerpt["text"], s["id"]
        if s["quote"] is not None:
            assert s["quote"] in excerpt["text"], s["id"]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert excerpt["source"]["contentSha256"] == digest
    assert any(ord(c) > 127 for s in statements for c in s["excerpt"]["text"])
    assert sum(s["quote"] is not None for s in statements) >= 4


RELATIONS = """
{
  statements(first: 100) {
    nodes { id relations { kind direction note statement { id } } }
  }
}
"""


async def test_relations_show_from_both_ends(graphql: GraphQL) -> None:
    statements = (await graphql(RELATIONS))["statements"]["nodes"]
    outgoing: list[tuple[str, str, str, str | None]] = []
    incoming: list[tuple[str, str, str, str | None]] = []
    for s in statements:
        for r in s["relations"]:
            other = r["statement"]["id"]
            assert other != s["id"]
            if r["direction"] == "OUTGOING":
                outgoing.append((s["id"], r["kind"], other, r["note"]))
            else:
                assert r["direction"] == "INCOMING"
                incoming.append((other, r["kind"], s["id"], r["note"]))
    # Each stored relation once from each end, with the same kind and note.
    assert sorted(outgoing) == sorted(incoming)
    assert len(set(outgoing)) == len(outgoing)
    seeded = [
        (
            to_global_id("Statement", r["subject"]),
            r["kind"],
            to_global_id("Statement", r["object"]),
            r.get("note"),
        )
        for document in seed()
        for r in document.get("relations") or []
    ]
    assert sorted(outgoing) == sorted(seeded)


async def test_a_contradiction_from_both_ends(graphql: GraphQL) -> None:
    query = """
    query ($id: ID!) {
      node(id: $id) { ... on Statement { relations { kind direction note statement { id } } } }
    }
    """
    denial = to_global_id("Statement", "state-department-denies-withdrawal-discussed")
    claim = to_global_id("Statement", "iraq-foreign-ministry-withdrawal-agreement-reached")
    note = (
        "The State Department denied a withdrawal was discussed; the ministry said one was agreed."
    )
    from_denial = (await graphql(query, {"id": denial}))["node"]["relations"]
    from_claim = (await graphql(query, {"id": claim}))["node"]["relations"]
    assert {
        "kind": "CONTRADICTS",
        "direction": "OUTGOING",
        "note": note,
        "statement": {"id": claim},
    } in from_denial
    assert {
        "kind": "CONTRADICTS",
        "direction": "INCOMING",
        "note": note,
        "statement": {"id": denial},
    } in from_claim
    assert not any(
        r["statement"]["id"] == claim and r["direction"] == "INCOMING" for r in from_denial
    )
