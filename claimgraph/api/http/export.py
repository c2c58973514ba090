"""Bulk export for partners: every record, as JSON Lines over HTTP or as files from the CLI.

``GET /export/{type}.jsonl`` (sources, statements, actors, agreements, deployments, events)
and ``GET /export/all.jsonl`` stream one JSON object per line:

1. first a ``{"type": "meta", "changesCursor": …}`` line: the change-feed cursor of the newest
   change the export holds. Follow ``changes(after: changesCursor)`` from there and you miss
   nothing and see nothing twice;
2. then every record (``id``, ``type``, every field, references as global IDs, ``updatedAt``);
3. last an ``{"type": "end", "records": N}`` line: without it the download was cut short.

The whole export is read in ONE transaction (``REPEATABLE READ``, read only, on PostgreSQL;
an SQLite transaction is a snapshot already), so records and cursor are one consistent
snapshot however long the download takes. Rows come from server-side cursors a batch at a time
and lines go out as they are made, gzip-compressed on the way when the client accepts it: the
server's memory holds one batch, whatever the size of the corpus.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import functools
import json
import logging
import os
import zlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Sequence
from contextlib import aclosing, asynccontextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from starlette.types import Message, Receive, Scope, Send

from claimgraph.api.compiled.records import RECORD_TYPES, record_keys, stream_lines
from claimgraph.api.graphql.schema import schema
from claimgraph.api.graphql.types.change import changes_cursor
from claimgraph.api.http.admission import (
    ExportSlots,
    Refused,
    charge_route,
    client_of,
    refusal,
)
from claimgraph.api.http.negotiation import qualities
from claimgraph.api.http.ratelimit import RateDecision, RateLimiter
from claimgraph.api.settings import ApiSettings
from claimgraph.db.queries.changes import data_version

log = logging.getLogger("claimgraph.api")

#: The export of every type at once, in this order (referenced types before referring ones).
ALL = "all"
JSONL = "application/x-ndjson"
#: Bump when a record's shape changes incompatibly (partners can check it in the meta line).
EXPORT_FORMAT = 1


def _line(value: Any) -> bytes:
    return orjson.dumps(value) + b"\n"


def export_names(name: str) -> list[str]:
    """The types an export path names (``all``: every type), or KeyError."""
    if name == ALL:
        return list(RECORD_TYPES)
    if name not in RECORD_TYPES:
        raise KeyError(name)
    return [name]


@asynccontextmanager
async def snapshot(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncConnection]:
    """A connection in one read transaction that every export read goes through.

    On PostgreSQL the transaction is ``REPEATABLE READ`` and read only: every statement sees
    the data as of the first, so the export and its cursor agree however long it streams.
    A session bound to a connection that is already in a transaction (the tests) reads in
    that transaction, which is as consistent.
    """
    session = sessions()
    try:
        options: dict[str, Any] = {}
        if isinstance(session.bind, AsyncEngine) and session.bind.dialect.name == "postgresql":
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        yield await session.connection(execution_options=options or None)
    finally:
        # Shielded: when a client hangs up mid-download this runs in a cancelled scope, and
        # the connection must still go back to the pool, rolled back, not to the collector.
        with anyio.CancelScope(shield=True):
            await session.close()


async def export_lines(
    conn: AsyncConnection, names: Sequence[str], *, now: dt.datetime | None = None
) -> AsyncGenerator[bytes, None]:
    """The JSON Lines of an export of ``names`` read through ``conn`` (one transaction):
    the meta line, a chunk of record lines per batch, the end line."""
    newest = await data_version(conn)
    yield _line(
        {
            "type": "meta",
            "changesCursor": changes_cursor(newest),
            "types": [RECORD_TYPES[name].node_type for name in names],
            "exportedAt": (now or dt.datetime.now(dt.UTC)).isoformat(),
            "format": EXPORT_FORMAT,
        }
    )
    count = 0
    for name in names:
        async with aclosing(stream_lines(conn, schema._schema, name)) as batches:
            async for batch in batches:
                count += len(batch)
                yield b"".join(batch)
    yield _line({"type": "end", "records": count})


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header takes gzip (``gzip``, ``x-gzip`` or ``*`` with a
    quality above zero)."""
    best = dict(qualities(accept_encoding))
    for coding in ("gzip", "x-gzip", "*"):
        if coding in best:
            return best[coding] > 0
    return False


async def gzipped(chunks: AsyncGenerator[bytes, None]) -> AsyncGenerator[bytes, None]:
    """``chunks`` as one gzip stream, flushed after each chunk so the download never stalls
    behind the compressor."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    async with aclosing(chunks):
        async for chunk in chunks:
            data = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
            if data:
                yield data
    yield compressor.flush(zlib.Z_FINISH)


async def shielded_steps(source: AsyncGenerator[bytes, None]) -> AsyncGenerator[bytes, None]:
    """``source``'s items, each made under a shield from cancellation, and ``source`` closed
    under one too.

    When a client hangs up, Starlette cancels the response. A query cancelled halfway makes
    SQLAlchemy throw its connection away; shielded, the batch in hand completes, the
    cancellation lands between two items, and the export's transaction ends cleanly.
    """
    try:
        while True:
            await anyio.lowlevel.checkpoint()  # a pending cancellation lands here
            with anyio.CancelScope(shield=True):
                try:
                    item = await anext(source)
                except StopAsyncIteration:
                    return
            yield item
    finally:
        with anyio.CancelScope(shield=True):
            await source.aclose()


class ClosingStreamingResponse(StreamingResponse):
    """A streaming response that closes its body however the response ends. Starlette leaves
    the body generator to the garbage collector when a client hangs up mid-stream; closing it
    here ends the export's transaction and gives its connection back at once. A client that
    takes nothing for ``stall`` seconds is dropped the same way, so a reader that never reads
    cannot hold a connection (and its snapshot) open; ``on_close`` runs once it is over."""

    def __init__(
        self, *args: Any, stall: float, on_close: Callable[[], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stall = stall
        self.on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.on_close()

    async def stream_response(self, send: Send) -> None:
        async def within_stall(message: Message) -> None:
            with anyio.fail_after(self.stall):
                await send(message)

        try:
            await super().stream_response(within_stall)
        except TimeoutError:
            # Ending without the last body message makes the server close the connection.
            log.warning("export: the client read nothing for %g s; dropped", self.stall)
        finally:
            body = self.body_iterator
            if isinstance(body, AsyncGenerator):
                with anyio.CancelScope(shield=True):
                    await body.aclose()


def add_partner_routes(
    app: FastAPI,
    *,
    sessions: async_sessionmaker[AsyncSession],
    settings: ApiSettings,
    limiter: RateLimiter,
) -> ExportSlots:
    """The bulk export's routes; returns the slots that bound how many run at once."""
    slots = ExportSlots(per_client=settings.max_exports_per_client, total=settings.max_exports)

    @app.get("/export/{name}.jsonl", include_in_schema=False, response_model=None)
    async def export(name: str, request: Request) -> Response:
        """Every record of a type (or ``all``), one JSON object per line, streamed."""
        try:
            names = export_names(name)
        except KeyError:
            known = ", ".join([*RECORD_TYPES, ALL])
            return refusal(404, f"no export named {name!r}: one of {known}", "NOT_FOUND")
        client = client_of(request)
        try:
            rate = _admit(slots, limiter, settings, client)
        except Refused as refused:
            return refused.response

        async def lines() -> AsyncGenerator[bytes, None]:
            async with snapshot(sessions) as conn, aclosing(export_lines(conn, names)) as chunks:
                async for chunk in chunks:
                    yield chunk

        headers = {
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{name}.jsonl"',
            "Vary": "Accept-Encoding",
            **rate.headers(),
        }
        if accepts_gzip(request.headers.get("accept-encoding")):
            headers["Content-Encoding"] = "gzip"
            body = gzipped(shielded_steps(lines()))
        else:
            body = shielded_steps(lines())
        return ClosingStreamingResponse(
            body,
            media_type=JSONL,
            headers=headers,
            stall=settings.export_stall_timeout,
            on_close=functools.partial(slots.give_back, client),
        )

    return slots


def _admit(
    slots: ExportSlots, limiter: RateLimiter, settings: ApiSettings, client: str
) -> RateDecision:
    """A slot for ``client``'s export, and its points taken; :class:`Refused` if not. A
    refused export still costs a point; an admitted one, ``export_points``."""
    try:
        slots.take(client)
    except Refused:
        limiter.charge(client, 1, budget=settings.rate_limit_points)
        raise
    try:
        return charge_route(limiter, settings, client, settings.export_points)
    except Refused:
        slots.give_back(client)
        raise


# -- files (``claimgraph export``) ----------------------------------------------------------


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


def csv_value(value: Any) -> str:
    """A record's value in a CSV cell: nested values (lists, objects) as JSON text, null as
    the empty cell, true/false in lower case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


async def _write_jsonl(conn: AsyncConnection, name: str, path: Path) -> int:
    """Write the records of ``name`` to ``path``, a line each; how many there were."""
    count = 0
    handle = await asyncio.to_thread(path.open, "wb")
    try:
        async with aclosing(stream_lines(conn, schema._schema, name)) as batches:
            async for batch in batches:
                count += len(batch)
                await asyncio.to_thread(handle.write, b"".join(batch))
    finally:
        await asyncio.to_thread(handle.close)
    return count


async def _write_csv(conn: AsyncConnection, name: str, path: Path) -> int:
    """Write the records of ``name`` to ``path`` as CSV, a column a key; how many there were."""
    keys = record_keys(schema._schema, name)
    count = 0
    handle = await asyncio.to_thread(path.open, "w", encoding="utf-8", newline="")
    try:
        writer = csv.writer(handle)
        await asyncio.to_thread(writer.writerow, keys)
        async with aclosing(stream_lines(conn, schema._schema, name)) as batches:
            async for batch in batches:
                count += len(batch)
                records = [orjson.loads(line) for line in batch]
                rows = [[csv_value(record[key]) for key in keys] for record in records]
                await asyncio.to_thread(writer.writerows, rows)
    finally:
        await asyncio.to_thread(handle.close)
    return count


async def export_to_directory(
    sessions: async_sessionmaker[AsyncSession],
    out: Path,
    *,
    format: ExportFormat = ExportFormat.JSONL,
    names: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Write one file per type into ``out`` and ``manifest.json`` beside them (with the
    change-feed cursor the files are consistent with); returns the manifest.

    Files hold records only; the cursor, counts and time are in the manifest. Every file is
    read in the one snapshot, and written to a temporary name first, so a reader never finds
    a half-written file under its final name.
    """
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    files: dict[str, dict[str, Any]] = {}
    async with snapshot(sessions) as conn:
        newest = await data_version(conn)
        for name in names or RECORD_TYPES:
            path = out / f"{name}.{format.value}"
            partial = path.with_name(path.name + ".partial")
            write = _write_csv if format is ExportFormat.CSV else _write_jsonl
            count = await write(conn, name, partial)
            await asyncio.to_thread(os.replace, partial, path)
            files[name] = {"file": path.name, "records": count}
    manifest = {
        "changesCursor": changes_cursor(newest),
        "exportedAt": dt.datetime.now(dt.UTC).isoformat(),
        "format": EXPORT_FORMAT,
        "fileFormat": format.value,
        "files": files,
    }
    text = json.dumps(manifest, indent=2) + "\n"
    await asyncio.to_thread((out / "manifest.json").write_text, text, encoding="utf-8")
    return manifest
