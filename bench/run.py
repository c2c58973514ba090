"""``make bench``: load-test the real server on SQLite and PostgreSQL, on the curated seed and
on a synthetic corpus, against a bare Starlette baseline and PostGraphile 4.

For each engine and corpus: prepare the database (migrate; load the seed, or generate the
synthetic corpus once and reuse it), start ``uvicorn claimgraph.api.main:app`` in a
subprocess on a free loopback port, and drive each workload with ``wrk`` (C, one thread, a Lua
script for the POST bodies) for a bounded time after a short warm-up. Then the baseline (the
same uvicorn and flags serving the API's own response bytes from memory) and, on PostgreSQL,
PostGraphile on the same database answering the equivalent of W1 and W2. SQL statements per
request are counted in-process (an event listener on a separate engine), peak RSS is sampled
from /proc with psutil while a workload runs, and one W1 request is profiled.

Results: ``bench/results/<UTC time>.json`` and ``latest.json``/``latest.md`` (git-ignored).
Run ``python bench/run.py --help`` for the knobs (each also an environment variable).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from claimgraph import migrations  # noqa: E402
from claimgraph.api.ids import encode_cursor, to_global_id  # noqa: E402
from claimgraph.db import models as m  # noqa: E402
from claimgraph.db.engine import create_engine  # noqa: E402
from claimgraph.db.models.base import col  # noqa: E402
from claimgraph.seed.loader import load_seed  # noqa: E402
from claimgraph.seed.synthetic import corpus_present, load_synthetic  # noqa: E402

RESULTS = REPO / "bench" / "results"
DATA = REPO / "var" / "bench"
POSTGRAPHILE_DIR = REPO / "bench" / "postgraphile"
PAGE = 50
DEEP = 900_000

# -- the workloads ------------------------------------------------------------------------------

NEWSROOM_PAGE = """
query Newsroom($after: String) {
  statements(first: 50, after: $after) {
    pageInfo { endCursor hasNextPage }
    nodes {
      id claim quote mode speakerRole
      saidOn { edtf earliest latest precision }
      speaker { id name roles { title organization { name } } }
      source { title publishedOn { edtf } }
      excerpt { start end text }
      relations { kind direction statement { id speaker { name } } }
      agreements { title status }
    }
  }
}"""
NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Statement { claim quote saidOn { edtf } speaker { name } source { title } }
  }
}"""
BY_SPEAKER = """
query BySpeaker($speaker: ID!, $from: Date!, $to: Date!) {
  statements(first: 50, filter: {speaker: $speaker, saidBetween: {from: $from, to: $to}}) {
    totalCount
    nodes { id claim saidOn { edtf } source { title publishedOn { edtf } } }
  }
}"""
TIMELINE = """
query Timeline($from: Date!, $to: Date!) {
  timeline(first: 50, between: {from: $from, to: $to}) {
    pageInfo { endCursor }
    nodes {
      __typename
      ... on Statement { id claim saidOn { edtf } speaker { name } }
      ... on Event { id title occurredOn { edtf } }
    }
  }
}"""
# PostGraphile's equivalents: the same rows and fields in its generated schema. The excerpt
# text is a computed column (a SQL function the harness adds to its own bench databases).
PG_NEWSROOM_PAGE = """
query Newsroom {
  allStatements(first: 50, orderBy: [SAID_EARLIEST_ASC, SAID_LATEST_ASC, ID_ASC]) {
    pageInfo { endCursor hasNextPage }
    nodes {
      slug claim quote mode speakerRole saidEdtf saidEarliest saidLatest saidPrecision
      actorBySpeakerId {
        slug name
        rolesByActorId(orderBy: POSITION_ASC) { nodes { title actorByOrganizationId { name } } }
      }
      sourceBySourceId { title publishedEdtf }
      excerptStart excerptEnd excerptText
      statementRelationsBySubjectId {
        nodes { kind statementByObjectId { slug actorBySpeakerId { name } } }
      }
      statementRelationsByObjectId {
        nodes { kind statementBySubjectId { slug actorBySpeakerId { name } } }
      }
      statementAgreementsByStatementId { nodes { agreementByAgreementId { title status } } }
    }
  }
}"""
PG_NODE = """
query Node($slug: String!) {
  statementBySlug(slug: $slug) {
    slug claim quote saidEdtf actorBySpeakerId { name } sourceBySourceId { title }
  }
}"""
EXCERPT_FUNCTION = """
CREATE OR REPLACE FUNCTION statements_excerpt_text(s statements) RETURNS text AS $$
  SELECT substr(src.text, s.excerpt_start + 1, s.excerpt_end - s.excerpt_start)
  FROM sources src WHERE src.id = s.source_id
$$ LANGUAGE sql STABLE"""

#: The API's per-client rate limit would answer a load test from one address with 429s
#: after a few seconds: the harness raises it (it measures throughput, not the limiter).
#: W1-W5 run with the response cache off, so each request does the work of answering it.
API_ENV = {
    "CLAIMGRAPH_RATE_LIMIT_POINTS": "1000000000",
    "CLAIMGRAPH_RATE_LIMIT_KEYED_POINTS": "1000000000",
    "CLAIMGRAPH_RESPONSE_CACHE_BYTES": "0",
}
#: The cached repeat: W1's request again and again, with the response cache on and the data
#: version polled in the background, as production runs by default (both said explicitly).
CACHED = "W1-cached"
CACHED_ENV = {
    **API_ENV,
    "CLAIMGRAPH_RESPONSE_CACHE_BYTES": str(64 * 2**20),
    "CLAIMGRAPH_DATA_VERSION_POLL": "1.0",
}

WORKLOADS = {
    "W1": "newsroom page: 50 statements with speaker, roles, source, excerpt, relations, "
    "agreements (first page)",
    "W2": "node(id:) of a statement, rotating over up to 1,000 IDs",
    "W3": "the W1 page at a cursor deep in the list",
    "W4": "statements of one speaker said in a two-year range, with totalCount",
    "W5": "timeline over one year (statements and events)",
    CACHED: "W1's request repeated, answered by the response cache (W1-W5 run with it off)",
}


@dataclass
class Config:
    statements: int
    seed: int
    duration: float
    warmup: float
    connections: int
    engines: list[str]
    corpora: list[str]
    postgres: str
    #: The prefix of the PostgreSQL databases the harness owns (one per developer).
    db_prefix: str
    postgraphile: bool
    profile: bool
    profile_only: bool = False


def parse_args(argv: Sequence[str] | None = None) -> Config:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--statements",
        type=int,
        default=int(env("BENCH_STATEMENTS", "1000000")),
        help="synthetic corpus size (BENCH_STATEMENTS, default 1000000)",
    )
    parser.add_argument("--seed", type=int, default=int(env("BENCH_SEED", "1")))
    parser.add_argument(
        "--duration",
        type=float,
        default=float(env("BENCH_DURATION", "10")),
        help="seconds measured per workload (BENCH_DURATION, default 10)",
    )
    parser.add_argument(
        "--warmup", type=float, default=float(env("BENCH_WARMUP", "2")), help="seconds"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=int(env("BENCH_CONNECTIONS", "4")),
        help="concurrent connections wrk keeps open (BENCH_CONNECTIONS, default 4)",
    )
    parser.add_argument("--engines", default=env("BENCH_ENGINES", "sqlite,postgresql"))
    parser.add_argument("--corpora", default=env("BENCH_CORPORA", "seed,synthetic"))
    parser.add_argument(
        "--postgres",
        default=env("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (no database): the harness creates bench_* databases",
    )
    parser.add_argument(
        "--db-prefix",
        default=env("BENCH_DB_PREFIX", "bench"),
        help="prefix of the PostgreSQL databases the harness creates and owns "
        "(BENCH_DB_PREFIX, default bench): give each developer on one server their own",
    )
    parser.add_argument("--no-postgraphile", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--profile-only",
        action="store_true",
        help="only profile W1 in-process on the synthetic corpus of each engine",
    )
    args = parser.parse_args(argv)
    return Config(
        statements=args.statements,
        seed=args.seed,
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        engines=[e for e in args.engines.split(",") if e],
        corpora=[c for c in args.corpora.split(",") if c],
        postgres=args.postgres.rstrip("/"),
        db_prefix=args.db_prefix,
        postgraphile=not args.no_postgraphile and env("BENCH_POSTGRAPHILE", "1") != "0",
        profile=not args.no_profile,
        profile_only=args.profile_only,
    )


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# -- databases ----------------------------------------------------------------------------------


def size_label(statements: int) -> str:
    if statements % 1_000_000 == 0:
        return f"{statements // 1_000_000}m"
    if statements % 1_000 == 0:
        return f"{statements // 1_000}k"
    return str(statements)


def database_url(config: Config, engine: str, corpus: str) -> str:
    name = "seed" if corpus == "seed" else f"syn_{size_label(config.statements)}_s{config.seed}"
    if engine == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{DATA / f'{name}.sqlite3'}"
    return f"{config.postgres}/{config.db_prefix}_{name}".replace(
        "postgresql://", "postgresql+asyncpg://", 1
    )


async def _ensure_pg_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    try:
        async with admin.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            exists = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            )
            if not exists:
                await connection.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await admin.dispose()


def prepare(config: Config, engine: str, corpus: str) -> tuple[str, dict[str, Any] | None]:
    """Migrate and fill the database; returns its URL and the synthetic load report (if one
    was generated now)."""
    url = database_url(config, engine, corpus)
    if engine == "postgresql":
        asyncio.run(_ensure_pg_database(url))
    migrations.upgrade(url)

    async def fill() -> dict[str, Any] | None:
        db = create_engine(url, echo=False)
        try:
            if corpus == "seed":
                await load_seed(db)
                return None
            async with db.connect() as connection:
                present = await corpus_present(connection, config.statements, config.seed)
            if present:
                log(f"{engine}: synthetic corpus of {config.statements:,} already present")
                return None
            log(f"{engine}: generating {config.statements:,} statements (seed {config.seed})")
            report = await load_synthetic(db, config.statements, config.seed)
            log(report.summary().splitlines()[0])
            return {
                "statements": report.statements,
                "rows": report.total_rows,
                "seconds": round(report.seconds, 1),
                "rows_per_s": round(report.total_rows / report.seconds),
                "statements_per_s": round(report.statements / report.seconds),
                "method": report.method,
                "tables": dict(report.rows),
            }
        finally:
            await db.dispose()

    return url, asyncio.run(fill())


@dataclass
class Facts:
    """What the workloads need to know about a corpus."""

    statements: int
    statement_slugs: list[str]
    deep_depth: int
    deep_cursor: str | None
    speaker_slug: str
    speaker_statements: int
    said_range: tuple[str, str]
    timeline_range: tuple[str, str]


async def gather_facts(url: str) -> Facts:
    db = create_engine(url, echo=False)
    s = m.Statement
    try:
        async with db.connect() as c:
            total = int(await c.scalar(select(func.count()).select_from(s)) or 0)
            step = max(1, total // 1000)
            slugs = list(
                await c.scalars(select(s.slug).where(s.id % step == 0).order_by(s.id).limit(1000))
            )
            if not slugs:
                slugs = list(await c.scalars(select(s.slug).order_by(s.id).limit(1000)))
            depth = min(DEEP, int(total * 0.9))
            keys = [col(s, "said_earliest"), col(s, "said_latest"), s.id]
            cursor = None
            if depth > 0:
                row = (await c.execute(select(*keys).order_by(*keys).offset(depth - 1))).first()
                assert row is not None
                cursor = encode_cursor("statements:SAID_ON:ASC", tuple(row))
            top = (
                await c.execute(
                    select(s.speaker_id, func.count().label("n"))
                    .group_by(s.speaker_id)
                    .order_by(func.count().desc(), s.speaker_id)
                    .limit(1)
                )
            ).one()
            speaker = await c.scalar(select(m.Actor.slug).where(m.Actor.id == top[0]))
            latest_year = (await c.scalar(select(func.max(col(s, "said_latest"))))).year
    finally:
        await db.dispose()
    synthetic = total > 1000
    year = 2019 if synthetic else min(latest_year, 2024)
    return Facts(
        statements=total,
        statement_slugs=slugs,
        deep_depth=depth,
        deep_cursor=cursor,
        speaker_slug=str(speaker),
        speaker_statements=int(top[1]),
        said_range=("2014-01-01", "2015-12-31")
        if synthetic
        else (f"{year}-01-01", f"{year}-12-31"),
        timeline_range=(f"{year}-01-01", f"{year}-12-31"),
    )


def bodies_for(facts: Facts) -> dict[str, list[dict[str, Any]]]:
    """The request bodies (JSON) of each workload; wrk cycles through a workload's list."""
    speaker = to_global_id("Actor", facts.speaker_slug)
    return {
        "W1": [{"query": NEWSROOM_PAGE, "variables": {}}],
        "W2": [
            {"query": NODE, "variables": {"id": to_global_id("Statement", slug)}}
            for slug in facts.statement_slugs
        ],
        "W3": [{"query": NEWSROOM_PAGE, "variables": {"after": facts.deep_cursor}}],
        "W4": [
            {
                "query": BY_SPEAKER,
                "variables": {
                    "speaker": speaker,
                    "from": facts.said_range[0],
                    "to": facts.said_range[1],
                },
            }
        ],
        "W5": [
            {
                "query": TIMELINE,
                "variables": {"from": facts.timeline_range[0], "to": facts.timeline_range[1]},
            }
        ],
    }


def postgraphile_bodies(facts: Facts) -> dict[str, list[dict[str, Any]]]:
    return {
        "W1": [{"query": PG_NEWSROOM_PAGE, "variables": {}}],
        "W2": [{"query": PG_NODE, "variables": {"slug": slug}} for slug in facts.statement_slugs],
    }


# -- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def uvicorn_command(app: str, port: int, *extra: str) -> list[str]:
    """The same uvicorn and flags for the API and the baseline."""
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    for module, flag in (("uvloop", "--loop"), ("httptools", "--http")):
        try:
            __import__(module)
            command += [flag, module]
        except ImportError:
            pass
    return [*command, *extra]


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def server(
    name: str,
    command: list[str],
    *,
    env: dict[str, str],
    port: int,
    ready: Any,
    cwd: Path = REPO,
) -> Iterator[Server]:
    log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115  # closed in finally
        prefix=f"bench-{name}-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        command, env={**os.environ, **env}, cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if ready(base_url):
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"{name} did not start:\n{Path(log_file.name).read_text()[-3000:]}"
                )
            time.sleep(0.2)
        yield Server(name, process, base_url, Path(log_file.name))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def healthz(base_url: str) -> bool:
    return httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200


def graphql_ready(base_url: str) -> bool:
    response = httpx.post(f"{base_url}/graphql", json={"query": "{__typename}"}, timeout=2)
    return response.status_code == 200


# -- measuring ------------------------------------------------------------------------------------

LUA = r"""
local bodies = { %(bodies)s }
local path = "%(path)s"
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", path, headers, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%%d,"duration_us":%%d,"bytes":%%d,"p50_us":%%d,"p90_us":%%d,' ..
    '"p99_us":%%d,"mean_us":%%.1f,"max_us":%%d,"errors":{"connect":%%d,"read":%%d,' ..
    '"write":%%d,"status":%%d,"timeout":%%d}}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_script(bodies: Sequence[dict[str, Any]], path: str) -> str:
    def quote(body: dict[str, Any]) -> str:
        payload = json.dumps(body, separators=(",", ":"))
        assert "]==]" not in payload
        return f"[==[{payload}]==]"

    return LUA % {"bodies": ",\n".join(quote(b) for b in bodies), "path": path}


class RssSampler:
    """Peak resident set size of a process (and its children), sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        try:
            total = int(self.process.memory_info().rss)
            for child in self.process.children(recursive=True):
                total += int(child.memory_info().rss)
            return total
        except psutil.Error:
            return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            self._stop.wait(0.05)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def run_wrk(
    config: Config, target: Server, path: str, bodies: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(bodies, path))
    try:
        base = ["wrk", "-t1", f"-c{config.connections}", "--timeout", "10s", "-s", script.name]
        if config.warmup > 0:
            subprocess.run(
                [*base, f"-d{max(1, round(config.warmup))}s", target.base_url + path],
                check=True,
                capture_output=True,
            )
        with RssSampler(target.pid) as rss:
            done = subprocess.run(
                [*base, f"-d{max(1, round(config.duration))}s", target.base_url + path],
                check=True,
                capture_output=True,
                text=True,
            )
    finally:
        os.unlink(script.name)
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "errors": errors,
        "error_detail": raw["errors"],
        "bytes_per_response": round(raw["bytes"] / max(1, raw["requests"])),
        "peak_rss_mb": round(rss.peak / 2**20, 1),
    }


def check_response(name: str, body: bytes) -> None:
    payload = json.loads(body)
    if payload.get("errors") or not payload.get("data"):
        raise RuntimeError(f"{name}: the query failed: {body[:2000]!r}")


# -- in-process: SQL statements per request, and a profile of W1 ---------------------------------


async def count_sql(url: str, bodies: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    """SQL statements one request of each workload runs (mean over up to 5 of its bodies),
    counted by an event listener on an engine of the API's own app, in this process."""
    os.environ.update(API_ENV)
    from claimgraph.api.app import create_app
    from claimgraph.api.settings import ApiSettings

    db = create_engine(url, echo=False)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.sync_engine, "before_cursor_execute", record)
    app = create_app(engine=db, settings=ApiSettings())  # read now, from API_ENV
    counts: dict[str, float] = {}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, requests in bodies.items():
                sample = requests[:5]
                per_request = []
                for body in sample:
                    await client.post("/graphql", json=body)  # warm
                    statements.clear()
                    response = await client.post("/graphql", json=body)
                    check_response(name, response.content)
                    per_request.append(len(statements))
                counts[name] = statistics.fmean(per_request)
    finally:
        await db.dispose()
    return counts


async def profile_w1(url: str, out: Path, repeat: int = 20) -> dict[str, Any]:
    """Where one W1 request's time goes, in-process: SQL (driver execute and fetch, timed by
    cursor events), GraphQL execution outside SQL (resolvers, loaders, ORM rows, Strawberry),
    JSON serialisation; plus a pyinstrument profile written to ``out``."""
    from pyinstrument import Profiler

    from claimgraph.api.graphql.context import Context
    from claimgraph.api.graphql.schema import schema
    from claimgraph.api.settings import settings as api_settings
    from claimgraph.db.engine import create_sessionmaker

    db = create_engine(url, echo=False)
    sessions = create_sessionmaker(db)
    sql_time = 0.0
    sql_count = 0
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(*_args: Any) -> None:
        nonlocal sql_time, sql_count
        sql_time += time.perf_counter() - started.pop()
        sql_count += 1

    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        captured.append((statement, parameters))

    event.listen(db.sync_engine, "before_cursor_execute", before)
    event.listen(db.sync_engine, "after_cursor_execute", after)

    async def once() -> tuple[float, float]:
        async with sessions() as session:
            t0 = time.perf_counter()
            result = await schema.execute(
                NEWSROOM_PAGE, variable_values={}, context_value=Context(session, api_settings)
            )
            t1 = time.perf_counter()
        assert not result.errors, result.errors
        payload = json.dumps({"data": result.data}, ensure_ascii=False, separators=(",", ":"))
        t2 = time.perf_counter()
        assert payload
        return t1 - t0, t2 - t1

    try:
        for _ in range(3):
            await once()
        sql_time, sql_count = 0.0, 0
        execute_total = serialise_total = 0.0
        for _ in range(repeat):
            execute, serialise = await once()
            execute_total += execute
            serialise_total += serialise
        sql_ms = sql_time / repeat * 1000
        sql_statements = sql_count / repeat
        # SQLite steps through rows as they are fetched, after the execute event: replay the
        # request's statements, fetching every row, to time the SQL on both engines alike.
        event.listen(db.sync_engine, "before_cursor_execute", capture)
        await once()
        event.remove(db.sync_engine, "before_cursor_execute", capture)
        replay_total = 0.0
        async with db.connect() as connection:
            for _ in range(repeat):
                for statement, parameters in captured:
                    if statement.strip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
                        continue
                    t0 = time.perf_counter()
                    (await connection.exec_driver_sql(statement, parameters)).all()
                    replay_total += time.perf_counter() - t0
        replay_ms = replay_total / repeat * 1000
        execute_ms = execute_total / repeat * 1000
        serialise_ms = serialise_total / repeat * 1000
        profiler = Profiler(async_mode="enabled", interval=0.0005)
        profiler.start()
        for _ in range(5):
            await once()
        profiler.stop()
        report = profiler.output_text(unicode=True, color=False, show_all=False)
    finally:
        await db.dispose()
    return {
        "requests": repeat,
        "execute_ms": round(execute_ms, 2),
        "sql_ms": round(sql_ms, 2),
        "sql_statements": sql_statements,
        "sql_replay_ms": round(replay_ms, 2),
        "graphql_outside_sql_ms": round(execute_ms - max(sql_ms, replay_ms), 2),
        "json_ms": round(serialise_ms, 2),
        "profile": str(out.relative_to(REPO)),
        "profile_text": report,
    }


# -- one engine and corpus ------------------------------------------------------------------------


@dataclass
class CorpusResult:
    engine: str
    corpus: str
    url: str
    facts: dict[str, Any]
    load: dict[str, Any] | None
    sql_per_request: dict[str, float] = field(default_factory=dict)
    api: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: dict[str, dict[str, Any]] = field(default_factory=dict)
    postgraphile: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile: dict[str, Any] | None = None


def bench_corpus(config: Config, engine: str, corpus: str, stamp: str) -> CorpusResult:
    url, load = prepare(config, engine, corpus)
    facts = asyncio.run(gather_facts(url))
    log(f"{engine}/{corpus}: {facts.statements:,} statements; deep page at {facts.deep_depth:,}")
    bodies = bodies_for(facts)
    label = corpus if corpus == "seed" else f"synthetic-{size_label(config.statements)}"
    result = CorpusResult(
        engine,
        label,
        url.split("@")[-1],
        {
            "statements": facts.statements,
            "deep_depth": facts.deep_depth,
            "w2_ids": len(facts.statement_slugs),
            "w4_speaker_statements": facts.speaker_statements,
            "w4_range": facts.said_range,
            "w5_range": facts.timeline_range,
        },
        load,
    )
    result.sql_per_request = asyncio.run(count_sql(url, bodies))
    work = RESULTS / "work" / f"{engine}-{label}"
    work.mkdir(parents=True, exist_ok=True)

    port = free_port()
    env = {"DATABASE_URL": url, "PYTHONUNBUFFERED": "1", **API_ENV}
    command = uvicorn_command("claimgraph.api.main:app", port)
    saved: dict[str, str] = {}
    with server("api", command, env=env, port=port, ready=healthz) as api:
        for name, requests in bodies.items():
            response = httpx.post(f"{api.base_url}/graphql", json=requests[0], timeout=60)
            check_response(name, response.content)
            body_path = work / f"{name}.json"
            body_path.write_bytes(response.content)
            saved[name] = str(body_path)
            result.api[name] = run_wrk(config, api, "/graphql", requests)
            log(f"{engine}/{label} api {name}: {brief(result.api[name])}")

    port = free_port()
    env = {"DATABASE_URL": url, "PYTHONUNBUFFERED": "1", **CACHED_ENV}
    command = uvicorn_command("claimgraph.api.main:app", port)
    with server("api-cached", command, env=env, port=port, ready=healthz) as api:
        time.sleep(float(CACHED_ENV["CLAIMGRAPH_DATA_VERSION_POLL"]))  # the first poll
        response = httpx.post(f"{api.base_url}/graphql", json=bodies["W1"][0], timeout=60)
        check_response(CACHED, response.content)
        if response.content != Path(saved["W1"]).read_bytes():
            raise RuntimeError(f"{CACHED}: the cached answer differs from W1's")
        saved[CACHED] = saved["W1"]
        result.sql_per_request[CACHED] = 0  # a hit reads nothing (tests/api/test_response_cache)
        result.api[CACHED] = run_wrk(config, api, "/graphql", bodies["W1"])
        log(f"{engine}/{label} api {CACHED}: {brief(result.api[CACHED])}")

    port = free_port()
    command = uvicorn_command("baseline:app", port, "--app-dir", str(REPO / "bench"))
    env = {"BENCH_BASELINE_BODIES": json.dumps(saved), "PYTHONUNBUFFERED": "1"}
    with server("baseline", command, env=env, port=port, ready=healthz) as base:
        for name, requests in [*bodies.items(), (CACHED, bodies["W1"])]:
            result.baseline[name] = run_wrk(config, base, f"/graphql/{name}", requests)
            log(f"{engine}/{label} baseline {name}: {brief(result.baseline[name])}")

    if engine == "postgresql" and config.postgraphile:
        result.postgraphile = bench_postgraphile(config, url, facts, label)
    if config.profile and (corpus != "seed" or "synthetic" not in config.corpora):
        out = RESULTS / f"profile-w1-{engine}-{label}-{stamp}.txt"
        result.profile = asyncio.run(profile_w1(url, out))
        out.write_text(result.profile.pop("profile_text"))
        log(f"{engine}/{label} W1 profile: {result.profile}")
    return result


def brief(run: dict[str, Any]) -> str:
    errors = f", {run['errors']} errors" if run["errors"] else ""
    return (
        f"{run['rps']:.0f} req/s, p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms, "
        f"RSS {run['peak_rss_mb']} MB{errors}"
    )


def postgraphile_command(url: str, port: int) -> list[str] | None:
    binary = POSTGRAPHILE_DIR / "node_modules" / ".bin" / "postgraphile"
    if not binary.exists():
        if shutil.which("npm") is None:
            return None
        log("installing PostGraphile 4 under bench/postgraphile (npm ci)")
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=POSTGRAPHILE_DIR,
            check=True,
        )
    plain = url.replace("postgresql+asyncpg://", "postgres://", 1)
    return [
        "node", str(binary), "-c", plain, "--schema", "public", "--host", "127.0.0.1",
        "--port", str(port), "--disable-graphiql", "--disable-query-log",
    ]  # fmt: skip


def bench_postgraphile(
    config: Config, url: str, facts: Facts, label: str
) -> dict[str, dict[str, Any]]:
    async def add_function() -> None:
        db = create_engine(url, echo=False)
        try:
            async with db.begin() as connection:
                await connection.exec_driver_sql(EXCERPT_FUNCTION)
                # The desk's history is not the peer's to serve, and its `node_id` column
                # would clash with PostGraphile's own `nodeId`: a smart comment omits it.
                await connection.exec_driver_sql("COMMENT ON TABLE revisions IS E'@omit'")
        finally:
            await db.dispose()

    asyncio.run(add_function())
    port = free_port()
    command = postgraphile_command(url, port)
    if command is None:
        log("npm not found: skipping PostGraphile")
        return {}
    results: dict[str, dict[str, Any]] = {}
    env = {"NODE_ENV": "production"}
    with server("postgraphile", command, env=env, port=port, ready=graphql_ready) as peer:
        for name, requests in postgraphile_bodies(facts).items():
            response = httpx.post(f"{peer.base_url}/graphql", json=requests[0], timeout=60)
            check_response(f"PostGraphile {name}", response.content)
            results[name] = run_wrk(config, peer, "/graphql", requests)
            log(f"postgresql/{label} PostGraphile {name}: {brief(results[name])}")
    return results


# -- report ----------------------------------------------------------------------------------------


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def markdown(results: list[CorpusResult], config: Config, machine: dict[str, Any]) -> str:
    lines = [
        f"Run {machine['time']} on {machine['cpus']} CPUs ({machine['cpu']}), "
        f"{machine['memory_gb']} GB, {machine['platform']}; wrk -t1 -c{config.connections}, "
        f"{config.duration:g} s per workload after {config.warmup:g} s warm-up.",
        "",
        "| engine | corpus | workload | req/s | p50 ms | p99 ms | SQL/req | peak RSS MB "
        "| req/s ÷ base | p50 × base | p99 × base | RSS × base |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for name, run in r.api.items():
            base = r.baseline[name]
            lines.append(
                f"| {r.engine} | {r.corpus} | {name} | {run['rps']:.0f} | {run['p50_ms']} "
                f"| {run['p99_ms']} | {r.sql_per_request.get(name, 0):g} | {run['peak_rss_mb']} "
                f"| {ratio(run['rps'], base['rps'])} | {ratio(run['p50_ms'], base['p50_ms'])} "
                f"| {ratio(run['p99_ms'], base['p99_ms'])} "
                f"| {ratio(run['peak_rss_mb'], base['peak_rss_mb'])} |"
            )
    lines += ["", "| engine | corpus | baseline | req/s | p50 ms | p99 ms | peak RSS MB |"]
    lines += ["| --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for r in results:
        for name, run in r.baseline.items():
            lines.append(
                f"| {r.engine} | {r.corpus} | {name} bytes | {run['rps']:.0f} | {run['p50_ms']} "
                f"| {run['p99_ms']} | {run['peak_rss_mb']} |"
            )
    lines += ["", "| engine | corpus | W3 deep page depth | W3 p50 ÷ W1 p50 | W3 req/s ÷ W1 |"]
    lines += ["| --- | --- | ---: | ---: | ---: |"]
    for r in results:
        if "W3" in r.api:
            lines.append(
                f"| {r.engine} | {r.corpus} | {r.facts['deep_depth']:,} "
                f"| {ratio(r.api['W3']['p50_ms'], r.api['W1']['p50_ms'])} "
                f"| {ratio(r.api['W3']['rps'], r.api['W1']['rps'])} |"
            )
    peers = [r for r in results if r.postgraphile]
    if peers:
        lines += [
            "",
            "| corpus | workload | PostGraphile req/s | p50 ms | p99 ms | RSS MB "
            "| claimgraph req/s ÷ PostGraphile | claimgraph p50 ÷ PostGraphile |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in peers:
            for name, run in r.postgraphile.items():
                ours = r.api[name]
                lines.append(
                    f"| {r.corpus} | {name} | {run['rps']:.0f} | {run['p50_ms']} "
                    f"| {run['p99_ms']} | {run['peak_rss_mb']} | {ratio(ours['rps'], run['rps'])} "
                    f"| {ratio(ours['p50_ms'], run['p50_ms'])} |"
                )
    loads = [r for r in results if r.load]
    if loads:
        lines += ["", "| engine | synthetic load | rows | seconds | rows/s | statements/s |"]
        lines += ["| --- | --- | ---: | ---: | ---: | ---: |"]
        for r in loads:
            assert r.load is not None
            lines.append(
                f"| {r.engine} | {r.load['method']} | {r.load['rows']:,} | {r.load['seconds']} "
                f"| {r.load['rows_per_s']:,} | {r.load['statements_per_s']:,} |"
            )
    profiles = [r for r in results if r.profile]
    if profiles:
        lines += ["", "| engine | corpus | W1 in-process ms | SQL ms (execute events) "]
        lines[-1] += "| SQL ms (replayed, all rows fetched) | GraphQL outside SQL ms "
        lines[-1] += "| JSON ms | SQL statements |"
        lines += ["| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in profiles:
            p = r.profile
            assert p is not None
            lines.append(
                f"| {r.engine} | {r.corpus} | {p['execute_ms']} | {p['sql_ms']} "
                f"| {p['sql_replay_ms']} "
                f"| {p['graphql_outside_sql_ms']} | {p['json_ms']} | {p['sql_statements']:g} |"
            )
    return "\n".join(lines) + "\n"


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    return done.stdout.strip()


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 2**30),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0],
        # Others edit the checkout while it runs: say which code the servers imported.
        "git_head": _git("rev-parse", "--short", "HEAD"),
        "git_dirty_files": len(_git("status", "--porcelain").splitlines()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    if shutil.which("wrk") is None:
        print(
            "wrk not found: apt-get install wrk (Debian/Ubuntu) or brew install wrk",
            file=sys.stderr,
        )
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    machine = machine_info()
    log(f"bench: {config}")
    results: list[CorpusResult] = []
    started = time.monotonic()
    if config.profile_only:
        profiles = {}
        for engine in config.engines:
            url, _ = prepare(config, engine, "synthetic")
            out = RESULTS / f"profile-w1-{engine}-{size_label(config.statements)}-{stamp}.txt"
            profiles[engine] = asyncio.run(profile_w1(url, out))
            out.write_text(profiles[engine].pop("profile_text"))
            log(f"{engine} W1 profile: {profiles[engine]}")
        (RESULTS / "profile-latest.json").write_text(json.dumps(profiles, indent=2))
        return 0
    for engine in config.engines:
        for corpus in config.corpora:
            results.append(bench_corpus(config, engine, corpus, stamp))
    payload = {
        "command": " ".join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])]),
        "config": config.__dict__,
        "machine": machine,
        "seconds": round(time.monotonic() - started),
        "workloads": WORKLOADS,
        "results": [r.__dict__ for r in results],
    }
    (RESULTS / f"{stamp}.json").write_text(json.dumps(payload, indent=2, default=str))
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2, default=str))
    table = markdown(results, config, machine)
    (RESULTS / "latest.md").write_text(table)
    print()
    print(table)
    log(f"done in {payload['seconds']} s; raw results in {RESULTS.relative_to(REPO)}/{stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
