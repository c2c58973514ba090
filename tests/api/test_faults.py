"""Database faults: with the database unreachable the API says so (503) and stays up, and it
recovers by itself when the database comes back. A loader killed midway changes nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from claimgraph.api.app import create_app
from claimgraph.api.settings import ApiSettings
from claimgraph.db import models as m
from tests.support.tcp_proxy import TcpProxy, proxied_database

QUERY = {"query": "{ statements { totalCount } }"}


@asynccontextmanager
async def proxied_client(database_url: str) -> AsyncIterator[tuple[TcpProxy, httpx.AsyncClient]]:
    """A client of an app whose database is behind a proxy the test can stop and start."""
    async with proxied_database(database_url) as (proxy, proxied):
        app = create_app(engine=proxied, settings=ApiSettings())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield proxy, http


async def test_an_unreachable_database_gives_503_and_service_resumes_by_itself(
    database_url: str, engine: AsyncEngine
) -> None:
    async with proxied_client(database_url) as (proxy, http):
        assert (await http.post("/graphql", json=QUERY)).status_code == 200

        await proxy.stop()
        down = await http.post("/graphql", json=QUERY)
        assert down.status_code == 503
        assert down.headers["retry-after"]
        [error] = down.json()["errors"]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "database is unavailable" in error["message"]
        assert (await http.get("/graphql", params=QUERY)).status_code == 503
        assert (await http.get("/readyz")).status_code == 503
        assert (await http.get("/healthz")).status_code == 200

        await proxy.start()
        deadline = time.monotonic() + 10
        while (await http.post("/graphql", json=QUERY)).status_code != 200:
            assert time.monotonic() < deadline, "service did not resume within 10 s"
            await asyncio.sleep(0.2)
        assert (await http.get("/readyz")).status_code == 200


async def test_connections_the_database_dropped_are_replaced_unseen(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The pool does not ping a connection before each use (a round trip per request); when
    the database has dropped them (a restart), the read that finds out runs again."""
    async with proxied_client(database_url) as (proxy, http):
        before = await http.post("/graphql", json=QUERY)
        assert before.status_code == 200
        await proxy.stop()  # every open connection is cut...
        await proxy.start()  # ...and the database is back
        caplog.set_level("INFO", logger="claimgraph.api")
        after = await http.post("/graphql", json=QUERY)
        assert after.status_code == 200
        assert after.json() == before.json()
        assert "a pooled connection had closed" in caplog.text
        # Charged once: the retried read costs what the first request did, not twice that.
        first = int(before.headers["x-ratelimit-used"])
        assert int(after.headers["x-ratelimit-used"]) == 2 * first


KILLER = """
import asyncio, os, signal, sys
from pathlib import Path
from claimgraph.db.engine import create_engine
from claimgraph.seed.loader import load_seed
from claimgraph.seed.loader.writer import Writer

async def die(self, parsed):  # the statements are written; the process dies before commit
    os.kill(os.getpid(), signal.SIGKILL)

Writer.write_references = die
asyncio.run(load_seed(create_engine(sys.argv[1]), Path(sys.argv[2])))
"""

TABLES = ["sources", "actors", "statements", "statement_relations", "changes", "roles"]


async def snapshot(engine: AsyncEngine) -> dict[str, list[tuple[object, ...]]]:
    async with engine.connect() as connection:
        return {
            table: sorted(
                map(tuple, (await connection.execute(text(f"SELECT * FROM {table}"))).all()),
                key=repr,
            )
            for table in TABLES
        }


async def test_a_loader_killed_midway_leaves_the_database_as_it_was(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    import shutil

    import yaml

    from claimgraph.seed.reader import DEFAULT_SEED_DIR

    folder = tmp_path / "seed"
    shutil.copytree(DEFAULT_SEED_DIR, folder)
    [extraction] = folder.glob("*.yaml")
    data = yaml.safe_load(extraction.read_text(encoding="utf-8"))
    data["statements"][0]["claim"] = "A claim the killed load must never leave behind."
    data["actors"][0]["name"] = "Rudaw (renamed by a load that dies)"
    extraction.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    before = await snapshot(engine)
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", KILLER, database_url, str(folder)],
        capture_output=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        timeout=120,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    after = await snapshot(engine)
    assert after == before
    async with engine.connect() as connection:
        claims = await connection.scalars(select(m.Statement.claim))
        assert "A claim the killed load must never leave behind." not in set(claims)
