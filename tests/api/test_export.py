"""Bulk export: `/export/{type}.jsonl` and `/export/all.jsonl` stream every record (the same
values the GraphQL API gives), start with the change-feed cursor they are consistent with,
compress when asked, hold one snapshot, and use memory that does not grow with the corpus;
`claimgraph export` writes the same records as JSON Lines or CSV files."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import gzip
import json
import tracemalloc
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from typer.testing import CliRunner

import claimgraph.db.engine
from claimgraph import migrations
from claimgraph.api.app import create_app
from claimgraph.api.compiled.records import RECORD_TYPES as EXPORT_TYPES
from claimgraph.api.compiled.records import record_keys
from claimgraph.api.graphql.schema import schema
from claimgraph.api.graphql.types.change import changes_cursor
from claimgraph.api.http.export import ExportFormat, accepts_gzip, export_lines, export_to_directory
from claimgraph.api.ids import to_global_id
from claimgraph.cli import app as cli
from claimgraph.db import models as m
from claimgraph.db.engine import create_engine, create_read_sessionmaker
from claimgraph.db.settings import DatabaseSettings
from claimgraph.seed.loader import load_seed
from claimgraph.seed.synthetic import write_synthetic
from tests.api.test_changes import LATER, follow, reload_with_edits
from tests.conftest import GraphQL

TYPES = list(EXPORT_TYPES)
MODELS: dict[str, Any] = {
    "sources": m.Source,
    "statements": m.Statement,
    "actors": m.Actor,
    "agreements": m.Agreement,
    "deployments": m.Deployment,
    "events": m.Event,
}


def parse(text: str) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """(meta line, records, end line) of a JSON Lines export."""
    lines = [json.loads(line) for line in text.splitlines()]
    meta, *records, end = lines
    assert meta["type"] == "meta"
    assert end["type"] == "end"
    assert end["records"] == len(records)
    return meta, records, end


async def export(client: httpx.AsyncClient, name: str) -> tuple[dict[str, Any], list[Any]]:
    response = await client.get(f"/export/{name}.jsonl")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    meta, records, _ = parse(response.text)
    return meta, records


# -- what a record holds: exactly what GraphQL says -----------------------------------------

DATE = "{ edtf earliest latest precision approximate uncertain phrase anchor }"
#: Per type, the GraphQL selection whose answer, references flattened to IDs, is the record.
SELECTIONS = {
    "statements": f"""id type: __typename speaker {{ id }} speakerRole mode claim quote
        source {{ id }} excerpt {{ start end text }} channel saidOn {DATE} reportedOn {DATE}
        relations {{ kind direction object: statement {{ id }} note }}
        mentions {{ id }} agreements {{ id }} deployments {{ id }} events {{ id }}""",
    "actors": f"""id type: __typename name aliases kind description country
        roles {{ title organization {{ id }} period {DATE} evidence {{ id }} }}""",
    "agreements": f"""id type: __typename title summary status reportedOn {DATE}
        parties {{ id }} terms {{ description due {DATE} evidence {{ id }} }}""",
    "deployments": f"""id type: __typename force {{ id }} country location personnel
        personnelApproximate asOf {DATE} operation mission partners {{ id }}""",
    "events": f"""id type: __typename title kind occurredOn {DATE} location
        participants {{ id }}""",
    "sources": f"""id type: __typename kind title url publisher {{ id }}
        contributors {{ id }} publishedOn {DATE} dateline language text contentSha256
        characterCount""",
}

#: What the desk added to every record (issue 12): its revision; a statement's status.
DESK = {
    name: "revision" + (" status retraction { reason retractedAt }" if name == "statements" else "")
    for name in SELECTIONS
}


def flatten(value: Any) -> Any:
    """GraphQL answers as records: `{id}` objects become their ID."""
    if isinstance(value, dict):
        if set(value) == {"id"}:
            return value["id"]
        return {key: flatten(item) for key, item in value.items()}
    if isinstance(value, list):
        return [flatten(item) for item in value]
    return value


async def graphql_records(graphql: GraphQL, name: str) -> dict[str, dict[str, Any]]:
    data = await graphql(
        f"{{ {name}(first: 100) {{ nodes {{ {SELECTIONS[name]} {DESK[name]} "
        "recordedAt updatedAt } } }"
    )
    records = {}
    for node in data[name]["nodes"]:
        record = flatten(node)
        if name == "statements":
            record["relations"] = [
                {key: r[key] for key in ("kind", "object", "note")}
                for r in record["relations"]
                if r["direction"] == "OUTGOING"
            ]
        records[record["id"]] = record
    return records


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """An exported record without what GraphQL does not show (a relation's declaring source)."""
    if record["type"] != "Statement":
        return record
    relations = [{k: v for k, v in r.items() if k != "declaredIn"} for r in record["relations"]]
    return {**record, "relations": relations}


@pytest.mark.parametrize("name", TYPES)
async def test_each_type_exports_every_record_with_the_values_graphql_gives(
    client: httpx.AsyncClient, graphql: GraphQL, connection: AsyncConnection, name: str
) -> None:
    meta, records = await export(client, name)
    model = MODELS[name]
    assert len(records) == await connection.scalar(select(func.count()).select_from(model))
    assert meta["types"] == [EXPORT_TYPES[name].node_type]
    assert all(list(record) == list(record_keys(schema._schema, name)) for record in records)
    expected = await graphql_records(graphql, name)
    assert {r["id"]: comparable(r) for r in records} == expected


async def test_a_statement_carries_its_whole_provenance(client: httpx.AsyncClient) -> None:
    _, records = await export(client, "statements")
    by_id = {r["id"]: r for r in records}
    quoted = by_id[to_global_id("Statement", "jiad-agreement-reached-withdraw-by-end-2025")]
    assert quoted["speaker"] == to_global_id("Actor", "sabhan-mullah-jiad")
    assert quoted["source"] == to_global_id(
        "Source", "rudaw-2024-09-08-coalition-to-leave-iraq-before-2026"
    )
    assert (quoted["excerpt"]["start"], quoted["excerpt"]["end"]) == (351, 638)
    assert quoted["quote"] in quoted["excerpt"]["text"]
    assert quoted["saidOn"]["edtf"] == "2024-09-08"
    assert quoted["saidOn"]["phrase"] == "on Sunday"
    vague = by_id[to_global_id("Statement", "state-department-denies-withdrawal-discussed")]
    assert vague["saidOn"]["edtf"] == "[2024-07-31..2024-08-30]"
    assert vague["saidOn"]["earliest"] == "2024-07-31"
    assert vague["saidOn"]["uncertain"] is True
    assert {"kind": "CONTRADICTS", "note": None} | {
        "object": to_global_id("Statement", "jiad-agreement-reached-withdraw-by-end-2025")
    } in [comparable(vague)["relations"][i] for i in range(len(vague["relations"]))]
    # Every relation is exported once: from its subject.
    relations = sum(len(r["relations"]) for r in records)
    assert relations == len(
        {(r["id"], x["kind"], x["object"]) for r in records for x in r["relations"]}
    )


async def test_all_is_every_type_in_one_snapshot_with_one_cursor(
    client: httpx.AsyncClient, connection: AsyncConnection
) -> None:
    meta, records = await export(client, "all")
    assert meta["types"] == ["Actor", "Source", "Agreement", "Deployment", "Event", "Statement"]
    newest = int(await connection.scalar(select(func.max(m.Change.id))) or 0)
    assert meta["changesCursor"] == changes_cursor(newest)
    assert meta["format"] == 1
    singles: list[Any] = []
    for name in TYPES:
        single_meta, single = await export(client, name)
        assert single_meta["changesCursor"] == meta["changesCursor"]
        singles.extend(single)
    assert records == singles


async def test_an_export_then_the_feed_from_its_cursor_misses_nothing_and_repeats_nothing(
    client: httpx.AsyncClient, graphql: GraphQL, connection: AsyncConnection, tmp_path: Path
) -> None:
    meta, records = await export(client, "all")
    dataset = {r["id"]: r["updatedAt"] for r in records}
    # Nothing after the export's cursor yet: an empty page that keeps the cursor.
    cursor, seen = await follow(graphql, dataset, meta["changesCursor"])
    assert seen == []
    assert cursor == meta["changesCursor"]
    before = int(await connection.scalar(select(func.max(m.Change.id))) or 0)
    await reload_with_edits(connection, tmp_path)
    _, seen = await follow(graphql, dataset, cursor)
    logged = await connection.scalar(
        select(func.count()).select_from(m.Change).where(m.Change.id > before)
    )
    assert logged
    assert len(seen) == logged
    assert {c["changedAt"] for c in seen} == {LATER.isoformat()}
    _, now = await export(client, "all")
    assert dataset == {r["id"]: r["updatedAt"] for r in now}


async def test_unknown_types_are_a_json_404(client: httpx.AsyncClient) -> None:
    for path in ("/export/people.jsonl", "/export/Statement.jsonl", "/export/meta.jsonl"):
        response = await client.get(path)
        assert response.status_code == 404
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND"
        assert (
            "one of actors, sources, agreements, deployments, events, statements, all"
            in (error["message"])
        )


# -- compression --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "gzipped"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("deflate;q=1.0, GZIP;q=0.5", True),
        ("*", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("*;q=0", False),
        ("", False),
        (None, False),
    ],
)
def test_gzip_is_chosen_from_accept_encoding(header: str | None, gzipped: bool) -> None:
    assert accepts_gzip(header) is gzipped


async def test_gzip_streams_the_same_lines(client: httpx.AsyncClient) -> None:
    plain = await client.get("/export/all.jsonl", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    async with client.stream(
        "GET", "/export/all.jsonl", headers={"Accept-Encoding": "gzip"}
    ) as response:
        assert response.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["vary"]
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert len(raw) < len(plain.content) / 3
    unzipped = gzip.decompress(raw).decode()
    strip = [line for line in unzipped.splitlines() if '"type":"meta"' not in line]
    assert strip == [line for line in plain.text.splitlines() if '"type":"meta"' not in line]


# -- one snapshot --------------------------------------------------------------------------


async def test_an_export_is_one_snapshot_while_a_write_commits(
    engine: AsyncEngine, database_url: str
) -> None:
    """On PostgreSQL the export's transaction is REPEATABLE READ: a load that commits while it
    streams shows neither in its records nor in its cursor. (SQLite holds a writer off until
    the export's read transaction ends, so there is nothing to interleave there.)

    This test commits to the shared test database, and puts everything back afterwards."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises a writer behind the export's read transaction")
    slug = "jiad-agreement-reached-withdraw-by-end-2025"
    async with engine.connect() as probe:
        claim, updated_at = (
            await probe.execute(
                select(m.Statement.claim, m.Statement.updated_at).where(m.Statement.slug == slug)
            )
        ).one()
        newest = int(await probe.scalar(select(func.max(m.Change.id))) or 0)
    app = create_app(sessions=create_read_sessionmaker(engine))  # as the app makes them
    moment = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    change_id = None
    try:
        async with (
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://claimgraph.test"
            ) as http,
            http.stream("GET", "/export/all.jsonl") as response,
        ):
            lines = response.aiter_lines()
            meta = json.loads(await anext(lines))
            assert meta["changesCursor"] == changes_cursor(newest)
            async with engine.begin() as writer:  # a load commits meanwhile
                await writer.execute(
                    update(m.Statement)
                    .where(m.Statement.slug == slug)
                    .values(claim="rewritten meanwhile", updated_at=moment)
                )
                change_id = await writer.scalar(
                    insert(m.Change)
                    .values(
                        node_type="Statement", node_slug=slug, kind="UPDATED", changed_at=moment
                    )
                    .returning(m.Change.id)
                )
            rest = [json.loads(line) async for line in lines if line]
        exported = {r["id"]: r for r in rest if r["type"] == "Statement"}
        assert exported[to_global_id("Statement", slug)]["claim"] == claim
        assert change_id is not None
        assert change_id > newest
    finally:
        async with engine.begin() as writer:
            await writer.execute(
                update(m.Statement)
                .where(m.Statement.slug == slug)
                .values(claim=claim, updated_at=updated_at)
            )
            if change_id is not None:
                await writer.execute(delete(m.Change).where(m.Change.id == change_id))


# -- files ----------------------------------------------------------------------------------


def sessions_on(connection: AsyncConnection) -> async_sessionmaker[Any]:
    return async_sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


def leftovers(folder: Path) -> list[Path]:
    """Temporary files an export left behind (none, if every file was moved into place)."""
    return list(folder.glob("*/*.partial"))


async def test_files_hold_the_records_and_the_manifest_the_cursor(
    client: httpx.AsyncClient, connection: AsyncConnection, tmp_path: Path
) -> None:
    meta, records = await export(client, "all")
    by_type: dict[str, list[Any]] = {name: [] for name in TYPES}
    for record in records:
        by_type[{e.node_type: n for n, e in EXPORT_TYPES.items()}[record["type"]]].append(record)

    jsonl = await export_to_directory(sessions_on(connection), tmp_path / "jsonl")
    assert jsonl["changesCursor"] == meta["changesCursor"]
    manifest = json.loads((tmp_path / "jsonl" / "manifest.json").read_text())
    assert manifest["files"] == {
        name: {"file": f"{name}.jsonl", "records": len(by_type[name])} for name in TYPES
    }
    for name in TYPES:
        lines = (tmp_path / "jsonl" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == by_type[name]

    await export_to_directory(sessions_on(connection), tmp_path / "csv", format=ExportFormat.CSV)
    for name in TYPES:
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len(by_type[name])
        for row, record in zip(rows, by_type[name], strict=True):
            assert list(row) == list(record_keys(schema._schema, name))
            for key, value in record.items():
                cell = row[key]
                if value is None:
                    assert cell == ""
                elif isinstance(value, bool):
                    assert cell == str(value).lower()
                elif isinstance(value, dict | list):
                    assert json.loads(cell) == value
                else:
                    assert cell == str(value)
    assert not leftovers(tmp_path)


def test_the_cli_exports_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    migrations.upgrade(url)

    async def seed() -> None:
        engine = create_engine(url)
        try:
            await load_seed(engine)
        finally:
            await engine.dispose()

    asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(claimgraph.db.engine, "settings", DatabaseSettings())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["fileFormat"] == "csv"
    assert manifest["files"]["statements"]["records"] == 24
    assert "changes cursor" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(f"{name}.csv" for name in TYPES), "manifest.json"]
    )
    wrong = CliRunner().invoke(cli, ["export", "--format", "xml", "--out", str(out)])
    assert wrong.exit_code == 2
    assert "use jsonl or csv" in wrong.output


# -- memory ---------------------------------------------------------------------------------


async def peak_while_exporting(connection: AsyncConnection) -> tuple[int, int, int]:
    """(peak bytes traced, records, bytes written) for a whole export read and thrown away."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        written = records = 0
        async for chunk in export_lines(connection, TYPES):
            written += len(chunk)
            records += chunk.count(b"\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, records - 2, written  # less the meta and end lines


@pytest.mark.slow  # two synthetic corpora, exported under tracemalloc: ~30 s on SQLite
async def test_export_memory_does_not_grow_with_the_corpus(connection: AsyncConnection) -> None:
    """A corpus five times larger exports with about the same peak of traced memory: the
    server holds one batch of rows and lines, never the corpus. (The peak itself is mostly
    one batch of 500 statements: its rows, records and lines.)"""
    await peak_while_exporting(connection)  # warm up: imports, compiled SQL, caches
    await write_synthetic(connection, 1_000, seed=71)
    small_peak, small_records, small_bytes = await peak_while_exporting(connection)
    await write_synthetic(connection, 4_000, seed=72)
    large_peak, large_records, large_bytes = await peak_while_exporting(connection)
    print(  # shown with -s
        f"\nexport memory ({connection.dialect.name}): {small_records} records "
        f"({small_bytes / 2**20:.1f} MiB of lines), peak {small_peak / 2**20:.2f} MiB; "
        f"{large_records} records ({large_bytes / 2**20:.1f} MiB), peak "
        f"{large_peak / 2**20:.2f} MiB"
    )
    assert large_records > 4 * small_records
    assert large_bytes - small_bytes > 4 * 2**20
    assert large_peak - small_peak < 2**20, (small_peak, large_peak)


# -- a client that hangs up -----------------------------------------------------------------


async def test_a_client_that_hangs_up_gives_the_connection_back(
    engine: AsyncEngine, database_url: str
) -> None:
    """Starlette cancels a response whose client is gone; the export's transaction must end
    and its connection go back to the pool, not be thrown away by a query cancelled halfway.
    The client here hangs up exactly while the first batch of actors is being read. (An
    engine of its own, on the seeded database, so its pool can be watched.)"""
    engine = create_engine(database_url)
    app = create_app(engine=engine)
    hang_up = asyncio.Event()
    sent: list[MutableMapping[str, Any]] = []
    invalidated: list[Any] = []

    async def receive() -> dict[str, Any]:
        await hang_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM actors" in statement and sent:
            hang_up.set()  # runs while the query is in flight

    sqlalchemy_event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    sqlalchemy_event.listen(engine.sync_engine, "invalidate", lambda *a: invalidated.append(a))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/export/all.jsonl",
        "raw_path": b"/export/all.jsonl",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"claimgraph.test")],
        "client": ("127.0.0.1", 1),
        "server": ("claimgraph.test", 80),
    }
    try:
        await asyncio.wait_for(app(scope, receive, send), timeout=30)
        bodies = [m for m in sent if m["type"] == "http.response.body"]
        assert hang_up.is_set()
        assert bodies[-1].get("more_body", False), "the client hung up before the end"
        assert invalidated == [], "a query cancelled halfway threw its connection away"
        assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        async with engine.connect() as probe:  # and the database answers as before
            assert await probe.scalar(select(func.count()).select_from(m.Statement)) == 24
    finally:
        await engine.dispose()
