"""``make bench`` part two, issue 16 ("performance under honest load"): on PostgreSQL, the
server as ``claimgraph serve`` ships it (its access log on; only the rate limit raised, and
the response cache off where a workload must do its work) beside PostGraphile 4 on the same
database, each ratio measured in the same run:

* U1 (W1, 50 statements nested) at 16 connections, req/s and p99, and at 4;
* U2 (W2, ``node(id:)`` rotating over 1,000 IDs) at 16 connections;
* the cached repeat against the bare Starlette baseline serving the same bytes;
* ``search`` p50, ranked words against the ILIKE substring scan;
* ``--workers 2`` against one worker on U1;
* each workload's SQL alone (asyncpg, the same concurrency) against the end-to-end figure;
* new PostgreSQL sessions opened during each steady run (``pg_stat_database.sessions``).

``python bench/honest.py --help`` for the knobs; results in ``bench/results/honest-*.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as base

from claimgraph.api.app import create_app
from claimgraph.api.settings import ApiSettings
from claimgraph.db.engine import create_engine

SEARCH = (
    "query ($text: String!, $match: SearchMatch!) { search(text: $text, first: 20, "
    "match: $match) { totalCount edges { node { __typename ... on Node { id } } } } }"
)
SEARCH_TEXTS = ["withdrawal agreement", "coalesce forces", "security", "Baghdad talks"]
SERVE_ENV = {k: v for k, v in base.API_ENV.items() if k != "CLAIMGRAPH_RESPONSE_CACHE_BYTES"}


def parse() -> tuple[base.Config, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=16)
    args, rest = parser.parse_known_args()
    config = base.parse_args(rest)
    return replace(config, connections=args.connections), args


def serve_command(port: int, workers: int = 1) -> list[str]:
    """``claimgraph serve`` exactly as shipped (uvicorn's loop and parser: auto)."""
    binary = Path(sys.executable).parent / "claimgraph"
    return [str(binary), "serve", "--port", str(port), "--workers", str(workers)]


@contextmanager
def claimgraph(url: str, *, workers: int = 1, cache: bool = False) -> Iterator[base.Server]:
    port = base.free_port()
    env = {**SERVE_ENV, "DATABASE_URL": url}
    if not cache:
        env["CLAIMGRAPH_RESPONSE_CACHE_BYTES"] = "0"
    with base.server(
        f"serve-w{workers}", serve_command(port, workers), env=env, port=port, ready=base.healthz
    ) as api:
        yield api


async def _sessions(url: str) -> int:
    plain = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(plain)
    try:
        value = await connection.fetchval(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        )
    finally:
        await connection.close()
    return int(value) - 1  # this one


def measured(
    config: base.Config, url: str, target: base.Server, bodies: list[dict[str, Any]]
) -> dict[str, Any]:
    """wrk against ``target``, with the PostgreSQL sessions opened meanwhile (the warm-up
    has filled the pool by then: this counts churn)."""
    before: list[int] = []

    def after_warmup() -> None:
        before.append(asyncio.run(_sessions(url)))

    result = run_wrk_counted(config, target, bodies, after_warmup)
    # Less one: the probe that reads the count after the run is a session of its own.
    result["new_sessions"] = asyncio.run(_sessions(url)) - before[0] - 1
    return result


def run_wrk_counted(
    config: base.Config,
    target: base.Server,
    bodies: list[dict[str, Any]],
    between: Callable[[], None],
) -> dict[str, Any]:
    warm = replace(config, duration=config.warmup, warmup=0)
    base.run_wrk(warm, target, "/graphql", bodies)
    between()
    return base.run_wrk(replace(config, warmup=0), target, "/graphql", bodies)


async def capture_sql(url: str, body: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """The one statement the API runs for ``body`` (driver SQL and parameters)."""
    engine = create_engine(url, echo=False)
    captured: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    settings = ApiSettings(response_cache_bytes=0, access_log=False)
    app = create_app(engine=engine, settings=settings)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            response = await http.post("/graphql", json=body)
            base.check_response("capture", response.content)
    finally:
        await engine.dispose()
    statement, parameters = captured[-1]
    return statement, tuple(parameters or ())


async def sql_alone(
    url: str, statements: list[tuple[str, tuple[Any, ...]]], connections: int, seconds: float
) -> dict[str, Any]:
    """The statements in a loop on ``connections`` asyncpg connections (prepared, as the
    server's driver runs them): the database's own ceiling for the workload."""
    plain = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    pool = [await asyncpg.connect(plain) for _ in range(connections)]
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    async def loop(connection: asyncpg.Connection, offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            sql, params = statements[i % len(statements)]
            t0 = time.perf_counter()
            await connection.fetchval(sql, *params)
            latencies.append(time.perf_counter() - t0)
            i += 1

    try:
        started = time.monotonic()
        await asyncio.gather(*(loop(c, n) for n, c in enumerate(pool)))
        elapsed = time.monotonic() - started
    finally:
        for connection in pool:
            await connection.close()
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
    }


def peer(config: base.Config, url: str, facts: base.Facts) -> dict[str, Any]:
    """PostGraphile 4 (production mode) on U1 at 4 and N connections and U2 at N."""
    asyncio.run(_add_excerpt_function(url))
    port = base.free_port()
    command = base.postgraphile_command(url, port)
    if command is None:
        return {}
    bodies = base.postgraphile_bodies(facts)
    found: dict[str, Any] = {}
    env = {"NODE_ENV": "production"}
    with base.server("postgraphile", command, env=env, port=port, ready=base.graphql_ready) as p:
        for name in ("W1", "W2"):
            response = httpx.post(f"{p.base_url}/graphql", json=bodies[name][0], timeout=60)
            base.check_response(f"PostGraphile {name}", response.content)
        found["U1@4"] = measured(replace(config, connections=4), url, p, bodies["W1"])
        found["U1"] = measured(config, url, p, bodies["W1"])
        found["U2"] = measured(config, url, p, bodies["W2"])
    return found


async def _add_excerpt_function(url: str) -> None:
    db = create_engine(url, echo=False)
    try:
        async with db.begin() as connection:
            await connection.exec_driver_sql(base.EXCERPT_FUNCTION)
    finally:
        await db.dispose()


def ours(config: base.Config, url: str, bodies: dict[str, Any]) -> dict[str, Any]:
    """claimgraph serve, cache off: U1 at 4 and N, U2 at N, searches; then two workers."""
    found: dict[str, Any] = {}
    searches = {
        mode: [{"query": SEARCH, "variables": {"text": t, "match": mode}} for t in SEARCH_TEXTS]
        for mode in ("WORDS", "SUBSTRING")
    }
    with claimgraph(url) as api:
        for name in ("W1", "W2"):
            response = httpx.post(f"{api.base_url}/graphql", json=bodies[name][0], timeout=60)
            base.check_response(name, response.content)
        found["U1@4"] = measured(replace(config, connections=4), url, api, bodies["W1"])
        found["U1"] = measured(config, url, api, bodies["W1"])
        found["U2"] = measured(config, url, api, bodies["W2"])
        for mode, asks in searches.items():
            for ask in asks:
                response = httpx.post(f"{api.base_url}/graphql", json=ask, timeout=120)
                base.check_response(f"search {mode}", response.content)
            found[f"search {mode}"] = measured(replace(config, connections=4), url, api, asks)
    with claimgraph(url, workers=2) as api:
        found["U1 workers 2"] = measured(config, url, api, bodies["W1"])
    return found


def cached(config: base.Config, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """The cached repeat: claimgraph serve as shipped (cache on), then the bare baseline
    serving the bytes it answered."""
    with claimgraph(url, cache=True) as api:
        answer = httpx.post(f"{api.base_url}/graphql", json=body, timeout=60).content
        base.check_response("cached", answer)
        time.sleep(1.5)  # a data version poll, so repeats are hits
        served = base.run_wrk(config, api, "/graphql", [body])
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as saved:
        saved.write(answer)
    port = base.free_port()
    env = {"BENCH_BASELINE_BODIES": json.dumps({"W1": saved.name})}
    command = base.uvicorn_command("baseline:app", port)
    try:
        with base.server(
            "baseline", command, env=env, port=port, ready=base.healthz, cwd=Path(__file__).parent
        ) as bare:
            baseline = base.run_wrk(config, bare, "/graphql/W1", [body])
    finally:
        os.unlink(saved.name)
    return {"served": served, "baseline": baseline}


def report(found: dict[str, Any]) -> str:
    us, them, alone = found["claimgraph"], found["postgraphile"], found["sql_alone"]
    rows = [
        ("U1 at 16 connections", us["U1"], them.get("U1")),
        ("U1 at 4 connections", us["U1@4"], them.get("U1@4")),
        ("U2 (node, 1,000 IDs) at 16", us["U2"], them.get("U2")),
    ]
    lines = [
        "| workload | claimgraph req/s | p50 / p99 ms | PostGraphile req/s | p50 / p99 ms "
        "| req/s ratio | p99 ratio | new PG sessions (ours / theirs) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, a, b in rows:
        b = b or {"rps": 0, "p50_ms": 0, "p99_ms": 0, "new_sessions": "-"}
        lines.append(
            f"| {name} | {a['rps']:,} | {a['p50_ms']} / {a['p99_ms']} | {b['rps']:,} | "
            f"{b['p50_ms']} / {b['p99_ms']} | {base.ratio(a['rps'], b['rps'])} | "
            f"{base.ratio(a['p99_ms'], b['p99_ms'])} | {a['new_sessions']} / {b['new_sessions']} |"
        )
    two = us["U1 workers 2"]
    cache = found["cached"]
    words, substring = us["search WORDS"], us["search SUBSTRING"]
    lines += [
        "",
        f"* `--workers 2` on U1 at {found['connections']}: {two['rps']:,} req/s, p99 "
        f"{two['p99_ms']} ms, {base.ratio(two['rps'], us['U1']['rps'])}× one worker "
        f"({two['new_sessions']} new sessions).",
        f"* Cached repeat, `claimgraph serve` as shipped: {cache['served']['rps']:,} req/s "
        f"against the bare baseline's {cache['baseline']['rps']:,}: "
        f"**{base.ratio(cache['served']['rps'], cache['baseline']['rps'])}×**.",
        f"* `search` p50: ranked words {words['p50_ms']} ms ({words['rps']} req/s), ILIKE "
        f"substring {substring['p50_ms']} ms ({substring['rps']} req/s), 4 connections.",
    ]
    for name in ("U1", "U2"):
        end, sql = us[name], alone[name]
        lines.append(
            f"* {name} end to end {end['rps']:,} req/s against its SQL alone {sql['rps']:,} "
            f"req/s (p50 {sql['p50_ms']} ms): **{base.ratio(end['rps'], sql['rps'])}** "
            f"(the database is about {base.ratio(sql['p50_ms'], end['p50_ms'])} of p50)."
        )
    return "\n".join(lines)


def main() -> int:
    config, _ = parse()
    config = replace(config, engines=["postgresql"], corpora=["synthetic"])
    url, _ = base.prepare(config, "postgresql", "synthetic")
    facts = asyncio.run(base.gather_facts(url))
    bodies = base.bodies_for(facts)
    found: dict[str, Any] = {"connections": config.connections, "statements": facts.statements}
    base.log(f"claimgraph serve on {facts.statements:,} statements")
    found["claimgraph"] = ours(config, url, bodies)
    base.log("PostGraphile")
    found["postgraphile"] = peer(config, url, facts) if config.postgraphile else {}
    base.log("SQL alone")
    statements = {
        "U1": [asyncio.run(capture_sql(url, bodies["W1"][0]))],
        "U2": [asyncio.run(capture_sql(url, body)) for body in bodies["W2"][:100]],
    }
    found["sql_alone"] = {
        name: asyncio.run(sql_alone(url, sql, config.connections, config.duration))
        for name, sql in statements.items()
    }
    base.log("cached repeat")
    found["cached"] = cached(replace(config, connections=4), url, bodies["W1"][0])
    text = report(found)
    base.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    (base.RESULTS / f"honest-{stamp}.json").write_text(json.dumps(found, indent=2))
    (base.RESULTS / "honest-latest.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
