#!/usr/bin/env python3
"""A claimgraph partner: keep a local copy of the whole dataset, up to date.

    python examples/partner_client.py --api http://127.0.0.1:8000 --state partner.json
    python examples/partner_client.py --api … --state partner.json --follow 60   # keep polling

The first run downloads ``/export/all.jsonl`` (gzip) and keeps every record, by global ID,
with the change-feed cursor the export is consistent with. Every run after that reads
``changes(after: cursor)`` a page at a time and applies each entry: the record as it is now
(in the export's shape), or its deletion. The state file is rewritten after every page, so a
run that is stopped resumes where it was. ``--from-feed`` skips the export and builds the copy
from the change log alone (slower: the log starts with every node's creation).

Only httpx is needed (``pip install httpx``). See docs/partners.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

FEED = """
query Feed($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    cursor
    pageInfo { hasNextPage }
    nodes { nodeId kind record }
  }
}
"""
PAGE_SIZE = 100
#: How often to retry a request the server asks us to repeat later (429, 503).
RETRIES = 5

Record = dict[str, Any]


class PartnerError(Exception):
    """The server said no, or the export was cut short."""


@dataclass
class Dataset:
    """The local copy: every record by ID, and where in the change feed it stands."""

    cursor: str | None = None
    records: dict[str, Record] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Dataset:
        if not path.exists():
            return cls()
        state = json.loads(path.read_text(encoding="utf-8"))
        return cls(cursor=state["cursor"], records=state["records"])

    def save(self, path: Path) -> None:
        """Write the state atomically: a crash leaves the old file or the new, never half."""
        partial = path.with_name(path.name + ".partial")
        state = {"cursor": self.cursor, "records": self.records}
        partial.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)

    def apply(self, change: dict[str, Any]) -> None:
        """One feed entry: the node as it is now, or gone (whatever ``kind`` says, a null
        record means the node no longer exists: a later entry deleted it)."""
        record = change["record"]
        if record is None:
            if self.records.pop(change["nodeId"], None) is not None:
                self.forget_references(change["nodeId"])
        else:
            self.records[change["nodeId"]] = record

    def forget_references(self, gone: str) -> None:
        """Drop references to a deleted node from the records that hold them (a relation to
        a deleted statement, a deleted statement given as evidence): the database drops those
        links with the node without an entry for each record that held one."""
        for record in self.records.values():
            _prune(record, gone)


def _prune(value: Any, gone: str) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _prune(item, gone)
    elif isinstance(value, list):
        value[:] = [
            item
            for item in value
            if item != gone and not (isinstance(item, dict) and item.get("object") == gone)
        ]
        for item in value:
            _prune(item, gone)


async def _send(http: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A request, repeated after the server's ``Retry-After`` while it answers 429 or 503."""
    for _ in range(RETRIES):
        response = await http.request(method, url, **kwargs)
        if response.status_code not in (429, 503):
            return response
        await asyncio.sleep(float(response.headers.get("retry-after", "1")))
    return response


async def export(http: httpx.AsyncClient, dataset: Dataset) -> None:
    """Replace the copy with a bulk export, and take the export's change-feed cursor."""
    records: dict[str, Record] = {}
    meta: dict[str, Any] | None = None
    end: dict[str, Any] | None = None
    headers = {"Accept-Encoding": "gzip"}
    async with http.stream("GET", "/export/all.jsonl", headers=headers) as response:
        if response.status_code != 200:
            await response.aread()
            raise PartnerError(f"export: {response.status_code} {response.text}")
        async for line in response.aiter_lines():
            if not line:
                continue
            item = json.loads(line)
            if item["type"] == "meta":
                meta = item
            elif item["type"] == "end":
                end = item
            else:
                records[item["id"]] = item
    if meta is None or end is None or end["records"] != len(records):
        raise PartnerError("export: the download was cut short; start it again")
    dataset.records = records
    dataset.cursor = meta["changesCursor"]


async def follow(
    http: httpx.AsyncClient,
    dataset: Dataset,
    *,
    save: Callable[[], Awaitable[None] | None] = lambda: None,
) -> int:
    """Apply the change feed from the copy's cursor until it is drained; returns how many
    entries were applied. ``save`` runs after every page."""
    applied = 0
    while True:
        response = await _send(
            http,
            "POST",
            "/graphql",
            json={"query": FEED, "variables": {"after": dataset.cursor, "first": PAGE_SIZE}},
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise PartnerError(f"changes: {body.get('errors') or response.status_code}")
        page = body["data"]["changes"]
        for change in page["nodes"]:
            dataset.apply(change)
        applied += len(page["nodes"])
        dataset.cursor = page["cursor"]  # never null: an empty page keeps our place
        saved = save()
        if saved is not None:
            await saved
        if not page["pageInfo"]["hasNextPage"]:
            return applied


async def run(
    api: str, state: Path, dataset: Dataset, *, export_first: bool, every: float | None
) -> None:
    async with httpx.AsyncClient(base_url=api, timeout=60) as http:
        if export_first:
            await export(http, dataset)
            dataset.save(state)
            print(f"exported {len(dataset.records)} records", file=sys.stderr)
        while True:
            applied = await follow(http, dataset, save=lambda: dataset.save(state))
            print(f"applied {applied} changes; {len(dataset.records)} records", file=sys.stderr)
            if every is None:
                return
            await asyncio.sleep(every)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the API's base URL")
    parser.add_argument("--state", type=Path, default=Path("partner.json"), help="the copy")
    parser.add_argument("--from-feed", action="store_true", help="skip the bulk export")
    parser.add_argument("--follow", type=float, metavar="SECONDS", help="keep polling")
    args = parser.parse_args(argv)
    # A new copy starts from the bulk export, unless told to read the whole feed instead.
    export_first = not args.state.exists() and not args.from_feed
    dataset = Dataset.load(args.state)
    asyncio.run(run(args.api, args.state, dataset, export_first=export_first, every=args.follow))


if __name__ == "__main__":
    main()
