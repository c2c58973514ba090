#!/usr/bin/env python3
"""A claimgraph partner: keep a local copy of the whole dataset, up to date, at any size.

    python examples/partner_client.py --api http://127.0.0.1:8000 --db partner.sqlite3
    python examples/partner_client.py --api … --db partner.sqlite3 --follow 300  # keep polling
    python examples/partner_client.py --api … --db partner.sqlite3 --verify      # diff vs API

The copy is an SQLite file: table ``records`` (``id``, ``type``, ``body``: the record as JSON,
in the export's shape) and table ``sync`` (where the copy stands). A new copy is filled from
the bulk export, one type at a time (``/export/{type}.jsonl``), then follows the change feed
(``changes(after: cursor)``) from the cursor of the first export it read.

Every write is a transaction that also records how far the copy has got: a batch of export
records commits with nothing else to redo, a type's last batch with the mark that the type is
done, a feed page with the cursor after it. Kill it at any moment and the next run carries on
from its last commit: types already exported are not downloaded again, an interrupted type is
(the server cannot resume one mid-stream; records already held are left untouched), and the
feed resumes after the last page applied. Memory stays flat: lines are read one at a time and
committed in batches.

Only the standard library and httpx are needed (``pip install httpx``). See docs/partners.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

#: The export's types, in the server's order (referenced types before referring ones).
EXPORTS = ("actors", "sources", "agreements", "deployments", "events", "statements")
#: The export format this client reads (the meta line's ``format``).
EXPORT_FORMAT = 1
FEED = """
query Feed($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    cursor
    pageInfo { hasNextPage }
    nodes { nodeId record }
  }
}
"""
#: The largest feed page the server gives (and a page costs the same whatever its size).
MAX_PAGE_SIZE = 100
#: Export records per transaction: the unit of memory and of work lost to a crash.
BATCH = 2_000
#: How often to repeat a request the server asks us to repeat later (429, 503).
RETRIES = 5

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    body TEXT NOT NULL
);
-- Which records hold a reference (in a list, or a relation's object) to which ID, so that a
-- deletion finds the records to prune without reading them all. Rows may outlive the
-- reference (an update that drops it leaves its row): pruning such a holder changes nothing.
CREATE TABLE IF NOT EXISTS refs (
    target TEXT NOT NULL,
    holder TEXT NOT NULL,
    PRIMARY KEY (target, holder)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

Record = dict[str, Any]


class PartnerError(Exception):
    """The server said no, sent something this client cannot read, or the copy is not one
    this run can continue."""


@dataclass
class Export:
    """What one type's download brought: records read, and those new or changed."""

    name: str
    records: int
    written: int


@dataclass
class Feed:
    """What following the feed brought: pages read and entries applied."""

    pages: int = 0
    entries: int = 0


class Copy:
    """The local copy in SQLite, with where it stands: ``cursor`` (the change-feed position
    it has caught up to, or will follow from once the export is done) and ``exported`` (the
    export types fully written)."""

    def __init__(self, path: Path, api: str) -> None:
        self.path = path
        # Autocommit mode: every transaction below is an explicit BEGIN … COMMIT.
        self.db = sqlite3.connect(path, isolation_level=None)
        # WAL: readers (a partner's own queries) never block the sync, nor it them. NORMAL
        # sync: a killed process loses nothing committed; a power cut may lose the last
        # commits, but each one holds its records and its cursor together, so never half.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        stored = self.get("api")
        if stored is None:
            with self.transaction():
                self.set("api", api)
        elif stored != api:
            raise PartnerError(
                f"{path} is a copy of {stored}, not of {api}: pass --api {stored}, or give "
                "another --db to start a new copy"
            )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- where the copy stands -------------------------------------------------------------

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO sync (key, value) VALUES (?, ?)", (key, value))

    @property
    def cursor(self) -> str | None:
        return self.get("cursor")

    @property
    def exported(self) -> list[str]:
        return list(json.loads(self.get("exported") or "[]"))

    @property
    def from_feed(self) -> bool:
        """Whether this copy is built from the feed alone (no export)."""
        return self.get("from_feed") == "true"

    @property
    def exporting(self) -> bool:
        """Whether the bulk export still has types to download."""
        return not self.from_feed and len(self.exported) < len(EXPORTS)

    def start_from_feed(self) -> None:
        if self.from_feed:
            return
        if self.get("cursor") is not None or self.exported:
            raise PartnerError(f"{self.path} already holds data: --from-feed starts a new copy")
        with self.transaction():
            self.set("from_feed", "true")

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM records").fetchone()[0])

    # -- writing records ---------------------------------------------------------------------

    def store(self, rows: Iterable[tuple[str, str, str, Record]]) -> int:
        """Insert or replace ``(id, type, body, record)`` rows; returns how many were new or
        changed (a record already held as it is is not rewritten)."""
        rows = list(rows)
        written = self.db.executemany(
            "INSERT INTO records (id, type, body) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET type = excluded.type, body = excluded.body "
            "WHERE records.body <> excluded.body",
            [(id_, type_, body) for id_, type_, body, _ in rows],
        ).rowcount
        self.db.executemany(
            "INSERT OR IGNORE INTO refs (target, holder) VALUES (?, ?)",
            [(target, id_) for id_, _, _, record in rows for target in references(record)],
        )
        return written

    def apply(self, change: dict[str, Any]) -> None:
        """One feed entry: the node as it is now, or gone. Whatever the entry's ``kind``, a
        null record means the node no longer exists (a later entry deleted it)."""
        node_id, record = change["nodeId"], change["record"]
        if record is None:
            self.db.execute("DELETE FROM records WHERE id = ?", (node_id,))
            self.forget(node_id)
        else:
            body = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            self.store([(node_id, record["type"], body, record)])

    def forget(self, gone: str) -> None:
        """Drop references to a deleted node from the records that hold them (a relation to a
        deleted statement, a deleted statement given as evidence): the server drops those
        links with the node, without a feed entry for each record that held one. Done even
        when the copy never held the node: a record exported before the deletion may still
        point at it."""
        holders = self.db.execute("SELECT holder FROM refs WHERE target = ?", (gone,)).fetchall()
        for (holder,) in holders:
            row = self.db.execute("SELECT body FROM records WHERE id = ?", (holder,)).fetchone()
            if row is None:
                continue
            record = json.loads(row[0])
            if prune(record, gone):
                body = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                self.db.execute("UPDATE records SET body = ? WHERE id = ?", (body, holder))
        self.db.execute("DELETE FROM refs WHERE target = ?", (gone,))


def references(record: Record) -> set[str]:
    """The IDs ``record`` refers to in ways the server may drop without telling: items of its
    lists and the objects of its relations (what :func:`prune` removes)."""
    found: set[str] = set()

    def walk(value: Any, in_list: bool) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("object"), str):
                found.add(value["object"])
            for item in value.values():
                walk(item, False)
        elif isinstance(value, list):
            for item in value:
                walk(item, True)
        elif in_list and isinstance(value, str):
            found.add(value)

    walk(record, False)
    found.discard(record.get("id", ""))
    return found


def prune(value: Any, gone: str) -> bool:
    """Remove ``gone`` from every list in ``value``, and the relations whose object it is;
    returns whether anything was removed."""
    changed = False
    if isinstance(value, dict):
        for item in value.values():
            changed = prune(item, gone) or changed
    elif isinstance(value, list):
        kept = [
            item
            for item in value
            if item != gone and not (isinstance(item, dict) and item.get("object") == gone)
        ]
        changed = len(kept) != len(value)
        value[:] = kept
        for item in value:
            changed = prune(item, gone) or changed
    return changed


# -- talking to the server -----------------------------------------------------------------


def send(http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A request, repeated after the server's ``Retry-After`` while it answers 429 or 503."""
    for _ in range(RETRIES):
        response = http.request(method, url, **kwargs)
        if response.status_code not in (429, 503):
            return response
        time.sleep(float(response.headers.get("retry-after", "1")))
    return response


def export_lines(http: httpx.Client, name: str) -> Iterator[Record]:
    """The parsed lines of ``/export/{name}.jsonl``, one at a time (gzip on the wire), with
    the meta line checked first and the end line's count checked last."""
    path = f"/export/{name}.jsonl"
    with http.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as response:
        if response.status_code != 200:
            response.read()
            raise PartnerError(f"{path}: {response.status_code} {response.text}")
        records = 0
        for number, line in enumerate(response.iter_lines(), start=1):
            if not line:
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise PartnerError(f"{path} line {number} is not JSON: {error}") from error
            kind = item.get("type") if isinstance(item, dict) else None
            if number == 1:
                if kind != "meta" or item.get("format") != EXPORT_FORMAT:
                    raise PartnerError(
                        f"{path} line 1 is not a format-{EXPORT_FORMAT} meta line: {line[:200]}"
                    )
            elif kind == "end":
                if item.get("records") != records:
                    raise PartnerError(
                        f"{path}: the end line counts {item.get('records')} records, "
                        f"{records} arrived"
                    )
                yield item
                return
            elif not isinstance(kind, str) or not isinstance(item.get("id"), str):
                raise PartnerError(f"{path} line {number} is not a record: {line[:200]}")
            else:
                records += 1
            yield item
    raise PartnerError(f"{path}: the download was cut short (no end line); run again")


def export_type(http: httpx.Client, copy: Copy, name: str, *, batch: int = BATCH) -> Export:
    """Download one type into the copy, ``batch`` records per transaction; the last one marks
    the type done. The first export a copy reads gives it its feed cursor: the later ones'
    snapshots are no older, so following the feed from there misses nothing."""
    done = Export(name, 0, 0)
    rows: list[tuple[str, str, str, Record]] = []
    for item in export_lines(http, name):
        if item["type"] == "meta":
            if copy.cursor is None:
                with copy.transaction():
                    copy.set("cursor", item["changesCursor"])
        elif item["type"] == "end":
            with copy.transaction():
                done.written += copy.store(rows)
                copy.set("exported", json.dumps([*copy.exported, name]))
        else:
            rows.append((item["id"], item["type"], _body(item), item))
            done.records += 1
            if len(rows) >= batch:
                with copy.transaction():
                    done.written += copy.store(rows)
                rows.clear()
    return done


def _body(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def feed_page(http: httpx.Client, after: str | None, first: int) -> dict[str, Any]:
    """One page of the change feed after ``after``."""
    response = send(
        http,
        "POST",
        "/graphql",
        json={"query": FEED, "variables": {"after": after, "first": first}},
    )
    try:
        body = response.json()
    except ValueError:
        raise PartnerError(f"changes: {response.status_code} {response.text[:200]}") from None
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        codes = {(error.get("extensions") or {}).get("code") for error in errors}
        hint = ""
        if "INVALID_CURSOR" in codes:
            hint = " (the server's change log was rebuilt: start a new copy with another --db)"
        raise PartnerError(f"changes: {errors[0].get('message')}{hint}")
    if response.status_code != 200:
        raise PartnerError(f"changes: {response.status_code} {response.text[:200]}")
    page: dict[str, Any] = body["data"]["changes"]
    return page


def follow(http: httpx.Client, copy: Copy, *, page_size: int = MAX_PAGE_SIZE) -> Feed:
    """Apply the change feed from the copy's cursor until it is drained: each page's entries
    and the cursor after them in one transaction."""
    feed = Feed()
    while True:
        page = feed_page(http, copy.cursor, page_size)
        with copy.transaction():
            for change in page["nodes"]:
                copy.apply(change)
            copy.set("cursor", page["cursor"])  # never null: an empty page keeps our place
        feed.pages += 1
        feed.entries += len(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return feed


def sync(
    http: httpx.Client, copy: Copy, *, page_size: int = MAX_PAGE_SIZE, batch: int = BATCH
) -> Feed:
    """Bring the copy up to date: the export's types not yet done, then the feed."""
    exported = copy.exported
    if copy.exporting and exported:
        log(f"resuming the export: {', '.join(exported)} already copied")
    while copy.exporting:
        name = next(name for name in EXPORTS if name not in copy.exported)
        done = export_type(http, copy, name, batch=batch)
        log(f"export {name}: {done.records} records, {done.written} new or changed")
    feed = follow(http, copy, page_size=page_size)
    log(f"feed: {feed.pages} pages, {feed.entries} entries; the copy holds {copy.count()} records")
    return feed


# -- verifying -----------------------------------------------------------------------------


@dataclass
class Difference:
    """How the copy differs from the API: IDs missing, different, or extra (a few of each)."""

    missing: list[str]
    different: list[str]
    extra: list[str]
    counts: tuple[int, int, int]

    def __bool__(self) -> bool:
        return any(self.counts)

    def describe(self) -> str:
        missing, different, extra = self.counts
        return (
            f"{missing} records missing from the copy (e.g. {self.missing}), "
            f"{different} different (e.g. {self.different}), "
            f"{extra} in the copy only (e.g. {self.extra})"
        )


def verify(http: httpx.Client, copy: Copy, *, attempts: int = 3) -> Difference:
    """Catch up, then compare the copy with a fresh export of everything, record by record.
    If the data changes meanwhile (the export's cursor is not the copy's), catch up and try
    again. Memory stays flat: the IDs seen go to a temporary table."""
    for _ in range(attempts):
        sync(http, copy)
        db = copy.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM seen")
        missing: list[str] = []
        different: list[str] = []
        counts = [0, 0, 0]
        moved = False
        for item in export_lines(http, "all"):
            if item["type"] == "meta":
                moved = item["changesCursor"] != copy.cursor
                if moved:
                    break
            elif item["type"] != "end":
                db.execute("INSERT INTO seen (id) VALUES (?)", (item["id"],))
                row = db.execute("SELECT body FROM records WHERE id = ?", (item["id"],)).fetchone()
                if row is None or json.loads(row[0]) != item:
                    bucket = missing if row is None else different
                    counts[0 if row is None else 1] += 1
                    if len(bucket) < 5:
                        bucket.append(item["id"])
        if moved:
            continue
        extra = [
            id_
            for (id_,) in db.execute(
                "SELECT id FROM records WHERE id NOT IN (SELECT id FROM seen) LIMIT 5"
            )
        ]
        counts[2] = int(
            db.execute(
                "SELECT count(*) FROM records WHERE id NOT IN (SELECT id FROM seen)"
            ).fetchone()[0]
        )
        return Difference(missing, different, extra, (counts[0], counts[1], counts[2]))
    raise PartnerError(f"verify: the data changed during each of {attempts} exports; try later")


# -- the command ---------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def page_size(value: str) -> int:
    size = int(value)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_PAGE_SIZE}, not {size}")
    return size


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the API's base URL")
    parser.add_argument("--db", type=Path, default=Path("partner.sqlite3"), help="the copy")
    parser.add_argument("--from-feed", action="store_true", help="build a new copy from the feed")
    parser.add_argument("--follow", type=float, metavar="SECONDS", help="keep polling")
    parser.add_argument("--verify", action="store_true", help="compare the copy with the API")
    parser.add_argument("--page-size", type=page_size, default=MAX_PAGE_SIZE, help="feed page")
    parser.add_argument("--batch", type=positive, default=BATCH, help="records per commit")
    parser.add_argument(
        "--key",
        default=os.environ.get("CLAIMGRAPH_API_KEY"),
        help="your API key (default: $CLAIMGRAPH_API_KEY), for a key's larger budget",
    )
    args = parser.parse_args(argv)
    api = args.api.rstrip("/")
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
    try:
        copy = Copy(args.db, api)
        if args.from_feed:
            copy.start_from_feed()
        with httpx.Client(base_url=api, headers=headers, timeout=60) as http:
            if args.verify:
                difference = verify(http, copy)
                log(f"the copy differs: {difference.describe()}" if difference else "identical")
                return 1 if difference else 0
            while True:
                sync(http, copy, page_size=args.page_size, batch=args.batch)
                if args.follow is None:
                    return 0
                time.sleep(args.follow)
    except (PartnerError, httpx.HTTPError, sqlite3.Error) as error:
        log(f"error: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
