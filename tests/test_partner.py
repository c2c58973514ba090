"""A partner, end to end, on both engines, with the example client of docs/partners.md as a
partner runs it: a process against the real server, killed (SIGKILL) once mid-export and once
mid-feed, with reloads that create, update and delete between its runs. Each run after a kill
fetches only what the copy lacks, and the copy ends equal to the API's data."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from claimgraph import migrations
from claimgraph.api.ids import to_global_id
from claimgraph.db.engine import create_engine
from claimgraph.db.settings import normalise_database_url
from claimgraph.seed.loader import load_seed
from tests.api.test_changes import (
    DROPPED_STATEMENT,
    LATER,
    NEW_ACTOR,
    NEW_STATEMENT,
    REWORDED_STATEMENT,
    edited_seed,
)
from tests.conftest import ENGINES, POSTGRES_URL, SEEDED_AT
from tests.db.test_migrations import _run_outside_transaction
from tests.support.gate import Gate, Hold, running_gate
from tests.support.server import running_server

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "partner_client.py"
EXPORTS = ["actors", "sources", "agreements", "deployments", "events", "statements"]


def example_client() -> ModuleType:
    spec = importlib.util.spec_from_file_location("partner_client", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# -- a server of its own, whose data the test changes ---------------------------------------


@pytest.fixture(params=ENGINES)
def scratch_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A seeded database of each engine that this test alone uses (the session's seeded one
    must not change): a new SQLite file, or a PostgreSQL database beside the configured one."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'partner-server.sqlite3'}"
        drop = None
    else:
        assert POSTGRES_URL is not None
        configured = make_url(normalise_database_url(POSTGRES_URL))
        name = f"{configured.database}_partner"
        admin = configured.render_as_string(hide_password=False)
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        asyncio.run(_run_outside_transaction(admin, drop, f'CREATE DATABASE "{name}"'))
        url = configured.set(database=name).render_as_string(hide_password=False)
    migrations.upgrade(url)
    load(url, None, SEEDED_AT)
    try:
        yield url
    finally:
        if drop is not None:
            asyncio.run(_run_outside_transaction(admin, drop))


def load(url: str, seed: Path | None, now: dt.datetime) -> None:
    """Load ``seed`` (default: the shipped one) into ``url`` and commit, as a curator would."""

    async def run() -> None:
        engine = create_engine(url)
        try:
            await load_seed(engine, seed, now=now)
        finally:
            await engine.dispose()

    asyncio.run(run())


# -- the client as a process, and its copy --------------------------------------------------


class Partner:
    """The example client run as a partner runs it, on one copy, through the gate."""

    def __init__(self, gate: Gate, directory: Path) -> None:
        self.gate = gate
        self.db = directory / "partner.sqlite3"
        self.stderr = directory / "partner.log"

    def command(self, *extra: str) -> list[str]:
        return [sys.executable, str(EXAMPLE), "--api", self.gate.url, "--db", str(self.db),
                "--batch", "4", *extra]  # fmt: skip

    def run(self, *extra: str, status: int = 0) -> str:
        """Run to the end, which must be ``status``; returns what it said."""
        done = subprocess.run(
            self.command(*extra), capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == status, done.stderr
        return done.stderr

    def run_until_held_then_kill(self, *extra: str, committed: int | None = None) -> None:
        """Run until the gate holds a response, wait for ``committed`` statements to be in
        the copy (the batches before the held line), then SIGKILL the process."""
        with self.stderr.open("wb") as stderr:
            process = subprocess.Popen(self.command(*extra), stderr=stderr)
        try:
            assert self.gate.held.wait(60), self.stderr.read_text()
            deadline = time.monotonic() + 30
            while committed is not None and self.count("Statement") < committed:
                assert time.monotonic() < deadline, "the client never committed its batches"
                time.sleep(0.05)
            assert process.poll() is None, "the client ended before it was killed"
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        assert process.returncode == -signal.SIGKILL

    def _query(self, sql: str, *args: Any) -> list[Any]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as db:
            return db.execute(sql, args).fetchall()

    def count(self, node_type: str) -> int:
        [(count,)] = self._query("SELECT count(*) FROM records WHERE type = ?", node_type)
        return int(count)

    def state(self, key: str) -> Any:
        rows = self._query("SELECT value FROM sync WHERE key = ?", key)
        return rows[0][0] if rows else None

    def records(self) -> dict[str, dict[str, Any]]:
        return {id_: json.loads(body) for id_, body in self._query("SELECT id, body FROM records")}


def api_records(server: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """What the API holds now, as a fresh export reads it, and the export's cursor."""
    lines = [json.loads(line) for line in httpx.get(f"{server}/export/all.jsonl").text.split("\n")
             if line]  # fmt: skip
    return lines[0]["changesCursor"], {r["id"]: r for r in lines[1:-1]}


def feed_entries_after(server: str, cursor: str) -> int:
    """How many feed entries follow ``cursor`` now."""
    query = "query ($after: String) { changes(after: $after, first: 100) { cursor " \
            "pageInfo { hasNextPage } nodes { nodeId } } }"  # fmt: skip
    total = 0
    while True:
        page = httpx.post(
            f"{server}/graphql", json={"query": query, "variables": {"after": cursor}}
        ).json()["data"]["changes"]
        total += len(page["nodes"])
        cursor = page["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return total


def test_a_partner_killed_mid_export_and_mid_feed_resumes_and_matches_the_api(
    scratch_url: str, tmp_path: Path
) -> None:
    # No response cache reads an old data version: each run sees the reload just committed.
    with (
        running_server(scratch_url, tmp_path / "server.log", CLAIMGRAPH_DATA_VERSION_POLL="0")
        as server,
        running_gate(server) as gate,
    ):  # fmt: skip
        partner = Partner(gate, tmp_path)
        seeded_cursor, seeded = api_records(server)
        statements = sum(r["type"] == "Statement" for r in seeded.values())

        # 1. Killed mid-export: 9 of the statements sent, the first 8 (two batches) committed.
        gate.reset(Hold(path="/export/statements.jsonl", lines=10))
        partner.run_until_held_then_kill(committed=8)
        assert gate.exports() == [f"/export/{name}.jsonl" for name in EXPORTS]
        assert json.loads(partner.state("exported")) == EXPORTS[:-1]
        assert partner.count("Statement") == 8
        assert partner.state("cursor") == seeded_cursor

        # A reload meanwhile: creates, updates, deletes (a statement the copy may hold).
        load(scratch_url, edited_seed(tmp_path, generation=1), LATER)

        # 2. Resumed: only the interrupted type is exported again, then the feed follows from
        # the first export's cursor (the older snapshot), which brings the reload.
        gate.reset()
        said = partner.run()
        assert gate.exports() == ["/export/statements.jsonl"]
        assert "resuming the export: actors, sources, agreements, deployments, events" in said
        feed = gate.feed()
        assert feed[0].after == seeded_cursor
        assert sum(f.entries for f in feed) == feed_entries_after(server, seeded_cursor) > 0
        resumed_cursor, now = api_records(server)
        assert now != seeded
        assert partner.records() == now
        assert partner.state("cursor") == resumed_cursor
        assert to_global_id("Statement", DROPPED_STATEMENT) not in now
        assert partner.records()[to_global_id("Statement", NEW_STATEMENT)]["speaker"] == (
            to_global_id("Actor", NEW_ACTOR)
        )
        assert partner.count("Statement") == statements  # one created, one deleted

        # Another reload: the statement created above goes, with its relation.
        load(scratch_url, edited_seed(tmp_path, generation=2), LATER + dt.timedelta(days=1))
        pending = feed_entries_after(server, resumed_cursor)
        assert pending >= 3

        # 3. Killed mid-feed, one entry a page: two pages applied, the third held.
        gate.reset(Hold(feed_page=3))
        partner.run_until_held_then_kill("--page-size", "1")
        assert gate.exports() == []
        first, second, _held = gate.feed()
        assert first.after == resumed_cursor
        assert second.after == first.cursor
        assert partner.state("cursor") == second.cursor

        # 4. Resumed from the cursor committed with the second page: the rest, nothing again.
        gate.reset()
        partner.run("--page-size", "1")
        assert gate.exports() == []
        feed = gate.feed()
        assert feed[0].after == second.cursor
        assert sum(f.entries for f in feed) == pending - 2
        final_cursor, now = api_records(server)
        assert partner.records() == now
        assert partner.state("cursor") == final_cursor
        gone = to_global_id("Statement", NEW_STATEMENT)
        assert gone not in now
        assert gone not in json.dumps(partner.records()), "a reference outlived its target"
        reworded = partner.records()[to_global_id("Statement", REWORDED_STATEMENT)]
        assert "(reworded, generation 2)" in reworded["claim"]

        # 5. --verify diffs the copy against the API: nothing, then what is damaged by hand.
        # And a copy built from the feed alone equals the API too.
        gate.reset()
        assert "identical" in partner.run("--verify")
        # A record gone, one changed, one that the API never had.
        with sqlite3.connect(partner.db) as db:
            ids = [id_ for (id_,) in db.execute("SELECT id FROM records ORDER BY id LIMIT 2")]
            db.execute("DELETE FROM records WHERE id = ?", (ids[0],))
            db.execute("UPDATE records SET body = '{}' WHERE id = ?", (ids[1],))
            db.execute("INSERT INTO records VALUES ('not-in-the-api', 'Actor', '{}')")
        said = partner.run("--verify", status=1)
        assert (
            f"1 records missing from the copy (e.g. ['{ids[0]}']), 1 different (e.g. "
            f"['{ids[1]}']), 1 in the copy only (e.g. ['not-in-the-api'])"
        ) in said
        from_feed = Partner(gate, tmp_path / "from-feed")
        from_feed.db.parent.mkdir()
        gate.reset()
        from_feed.run("--from-feed")
        assert gate.exports() == []
        assert from_feed.records() == now


# -- the copy's bookkeeping, in process -------------------------------------------------------


def test_forgetting_a_deleted_node_drops_every_reference_to_it(tmp_path: Path) -> None:
    partner = example_client()
    copy = partner.Copy(tmp_path / "copy.sqlite3", "http://api.test")
    records: list[dict[str, Any]] = [
        {"id": "a", "type": "Statement", "relations": [{"kind": "SUPPORTS", "object": "b"}]},
        {"id": "b", "type": "Statement", "relations": []},
        {"id": "c", "type": "Actor", "roles": [{"title": "t", "evidence": ["b", "a"]}],
         "aliases": ["C"], "mentions": ["b"]},
    ]  # fmt: skip
    with copy.transaction():
        for record in records:
            copy.apply({"nodeId": record["id"], "record": record})
    with copy.transaction():
        copy.apply({"nodeId": "b", "record": None})
    held = {id_: json.loads(body) for id_, body in copy.db.execute("SELECT id, body FROM records")}
    assert held == {
        "a": {"id": "a", "type": "Statement", "relations": []},
        "c": {"id": "c", "type": "Actor", "roles": [{"title": "t", "evidence": ["a"]}],
              "aliases": ["C"], "mentions": []},
    }  # fmt: skip
    assert copy.db.execute("SELECT count(*) FROM refs WHERE target = 'b'").fetchone() == (0,)


def test_a_copy_refuses_another_api_and_a_bad_page_size(tmp_path: Path) -> None:
    partner = example_client()
    db = tmp_path / "copy.sqlite3"
    partner.Copy(db, "http://one.test").close()
    with pytest.raises(partner.PartnerError, match=r"copy of http://one.test, not of http://two"):
        partner.Copy(db, "http://two.test")
    refused = subprocess.run(
        [sys.executable, str(EXAMPLE), "--db", str(db), "--page-size", "500"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "--page-size: must be 1 to 100, not 500" in refused.stderr


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"type":"meta","format":1,"changesCursor":"c"}\n{"id":"a","type":"Actor"}\n',
         "/export/actors.jsonl: the download was cut short (no end line); run again"),
        ('{"type":"meta","format":1,"changesCursor":"c"}\n{"id":"a",\n',
         "/export/actors.jsonl line 2 is not JSON"),
        ('{"type":"meta","format":1,"changesCursor":"c"}\n[1]\n',
         "/export/actors.jsonl line 2 is not a record: [1]"),
        ('{"type":"meta","format":2,"changesCursor":"c"}\n',
         "/export/actors.jsonl line 1 is not a format-1 meta line"),
        ('{"type":"meta","format":1,"changesCursor":"c"}\n{"type":"end","records":2}\n',
         "/export/actors.jsonl: the end line counts 2 records, 0 arrived"),
    ],
)  # fmt: skip
def test_an_export_the_client_cannot_trust_is_refused_saying_where(
    body: str, words: str, tmp_path: Path
) -> None:
    partner = example_client()
    copy = partner.Copy(tmp_path / "copy.sqlite3", "http://api.test")
    transport = httpx.MockTransport(lambda _request: httpx.Response(200, text=body))
    with (
        httpx.Client(transport=transport, base_url="http://api.test") as http,
        pytest.raises(partner.PartnerError) as refused,
    ):
        partner.export_type(http, copy, "actors")
    assert words in str(refused.value)
    assert "actors" not in copy.exported
