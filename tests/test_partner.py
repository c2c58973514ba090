"""A partner, end to end, on both engines, with the example client of docs/partners.md:
export, then reloads that create, update and delete, then the feed; the copy equals the API.
And the example as a partner runs it: a process against the real server."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.ids import to_global_id
from tests.api.test_changes import (
    DROPPED_STATEMENT,
    LATER,
    NEW_ACTOR,
    NEW_STATEMENT,
    REWORDED_STATEMENT,
    api_dataset,
    reload_with_edits,
)
from tests.conftest import GraphQL

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "partner_client.py"


def example_client() -> ModuleType:
    spec = importlib.util.spec_from_file_location("partner_client", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def exported(http: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """What the API holds now, as a fresh export reads it."""
    response = await http.get("/export/all.jsonl")
    lines = [json.loads(line) for line in response.text.splitlines()]
    return {line["id"]: line for line in lines if line["type"] not in ("meta", "end")}


async def test_a_partner_exports_then_follows_reloads_and_matches_the_api(
    client: httpx.AsyncClient, graphql: GraphQL, connection: AsyncConnection, tmp_path: Path
) -> None:
    partner = example_client()
    copy = partner.Dataset()
    await partner.export(client, copy)
    assert copy.records == await exported(client)
    assert await partner.follow(client, copy) == 0, "nothing changed since the export"

    await reload_with_edits(connection, tmp_path)
    applied = await partner.follow(client, copy)
    assert applied > 0
    assert copy.records == await exported(client)
    assert {k: r["updatedAt"] for k, r in copy.records.items()} == await api_dataset(graphql)
    new = copy.records[to_global_id("Statement", NEW_STATEMENT)]
    assert new["speaker"] == to_global_id("Actor", NEW_ACTOR)
    assert (
        "(reworded, generation 1)"
        in copy.records[to_global_id("Statement", REWORDED_STATEMENT)]["claim"]
    )
    assert to_global_id("Statement", DROPPED_STATEMENT) not in copy.records

    # Again, with the statement created above deleted: its relation goes with it.
    await reload_with_edits(connection, tmp_path, generation=2, now=LATER + dt.timedelta(days=1))
    saves: list[str | None] = []
    await partner.follow(client, copy, save=lambda: saves.append(copy.cursor))
    assert saves
    assert saves[-1] == copy.cursor
    assert copy.records == await exported(client)
    assert to_global_id("Statement", NEW_STATEMENT) not in copy.records
    assert await partner.follow(client, copy) == 0


async def test_a_partner_without_the_export_builds_the_same_copy_from_the_feed(
    client: httpx.AsyncClient, connection: AsyncConnection, tmp_path: Path
) -> None:
    partner = example_client()
    await reload_with_edits(connection, tmp_path)
    copy = partner.Dataset()
    await partner.follow(client, copy)
    assert copy.records == await exported(client)


def test_forgetting_a_deleted_node_drops_every_reference_to_it() -> None:
    partner = example_client()
    copy = partner.Dataset(
        records={
            "a": {"id": "a", "relations": [{"kind": "SUPPORTS", "object": "b", "note": None}]},
            "b": {"id": "b", "relations": []},
            "c": {"id": "c", "roles": [{"title": "t", "evidence": ["b", "a"]}], "mentions": ["b"]},
        }
    )
    copy.apply({"nodeId": "b", "kind": "DELETED", "record": None})
    assert copy.records == {
        "a": {"id": "a", "relations": []},
        "c": {"id": "c", "roles": [{"title": "t", "evidence": ["a"]}], "mentions": []},
    }


def test_the_example_client_copies_the_live_server(live_server: str, tmp_path: Path) -> None:
    """The example as a partner runs it, against uvicorn: the copy equals the server's data,
    by the export and by GraphQL; a second run resumes from the saved cursor."""
    state = tmp_path / "partner.json"
    command = [sys.executable, str(EXAMPLE), "--api", live_server, "--state", str(state)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert first.returncode == 0, first.stderr
    assert "exported" in first.stderr
    copy = json.loads(state.read_text(encoding="utf-8"))

    with httpx.Client(base_url=live_server, timeout=30) as http:
        lines = [json.loads(line) for line in http.get("/export/all.jsonl").text.splitlines()]
        assert copy["records"] == {r["id"]: r for r in lines if r["type"] not in ("meta", "end")}
        assert copy["cursor"] == lines[0]["changesCursor"]
        listed: dict[str, str] = {}
        for name in ("sources", "statements", "actors", "agreements", "deployments", "events"):
            body = http.post(
                "/graphql",
                json={"query": f"{{ {name}(first: 100) {{ nodes {{ id updatedAt }} }} }}"},
            ).json()
            listed.update((n["id"], n["updatedAt"]) for n in body["data"][name]["nodes"])
        assert {k: r["updatedAt"] for k, r in copy["records"].items()} == listed

    again = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0, again.stderr
    assert "exported" not in again.stderr
    assert "applied 0 changes" in again.stderr

    from_feed = tmp_path / "from-feed.json"
    feed_only = [*command[:-1], str(from_feed), "--from-feed"]
    result = subprocess.run(feed_only, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(from_feed.read_text(encoding="utf-8"))["records"] == copy["records"]
