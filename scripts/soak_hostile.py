"""The hostile mix of `make soak` (``scripts/soak.py --hostile``): every attack of issue 15,
each from clients of its own, alongside honest clients running the usual workload.

First the honest clients run alone (the baseline), then with the attackers for as long
again. It passes when the honest clients see no 5xx and no failures, their p99 stays within
3x of the baseline's, no PostgreSQL connection sits idle in a transaction longer than the
export stall limit (sampled from pg_stat_activity), and the server's RSS stays bounded.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil
from soak import VALID
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

#: The export stall limit the server runs with (CLAIMGRAPH_EXPORT_STALL_TIMEOUT), seconds.
STALL = 15.0
BOMB = "fragment A on Query { " + "rateLimit { cost } " * 450 + "} query { ...A }"
DEEP = "__schema { types { name fields { name args { name type { name ofType { name } } } } } }"
INTROSPECTION = "{ " + " ".join(f"a{i}: {DEEP}" for i in range(15)) + " }"


@dataclass
class Honest:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    server_errors: int = 0


async def honest_loop(http: httpx.AsyncClient, facts: dict[str, Any], stop: float,
                      tally: Honest, rng: random.Random) -> None:  # fmt: skip
    while time.monotonic() < stop:
        name, query = rng.choice(list(VALID.items()))
        variables = {"id": facts["speaker"] if "speaker" in name else rng.choice(facts["ids"])}
        started = time.perf_counter()
        try:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
            status, body = response.status_code, response.json()
        except (httpx.HTTPError, ValueError) as error:
            status, body = 599, {"errors": [{"message": repr(error)}]}
        tally.latencies.append(time.perf_counter() - started)
        if status >= 500:
            tally.server_errors += 1
        if status != 200 or body.get("errors"):
            tally.failures.append(f"{name}: {status} {json.dumps(body)[:160]}")


def attack_bodies(facts: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One request body (or raw bytes) per attack that goes through `/graphql`."""
    source = facts["source"]
    big = "{ " + "x" * 14_000 + str(rng.random()) + " }"
    nodes = (
        "query($ids: [ID!]!) { "
        + " ".join(
            f"a{i}: nodes(ids: $ids) {{ ... on Source {{ text title }} }}" for i in range(15)
        )
        + " }"
    )
    return {
        "1 validation bomb": {"query": BOMB},
        "3 heavy nested": {"query": "{ statements(first: 100) { nodes { speaker { statements("
                           "first: 100) { totalCount nodes { claim } } } } } }"},
        "5 introspection x15": {"query": INTROSPECTION},
        "6 nodes 700 ids": {"query": nodes, "variables": {"ids": [source] * 700}},
        "6 nodes 100 ids": {"query": nodes, "variables": {"ids": [source] * 100}},
        "7 oversized persisted": {"query": big, "extensions": {"persistedQuery": {
            "version": 1, "sha256Hash": hashlib.sha256(big.encode()).hexdigest()}}},
        "8 lone surrogate": b'{"query": "query($t: String!) { node(id: $t) { id } }", '
                            b'"variables": {"t": "\\ud800"}}',
    }  # fmt: skip


async def attack_loop(http: httpx.AsyncClient, name: str, facts: dict[str, Any], stop: float,
                      statuses: Counter[str], rng: random.Random) -> None:  # fmt: skip
    n = 0
    while time.monotonic() < stop:
        n += 1
        body = attack_bodies(facts, rng)[name]
        # 9 and 10: a new forwarded address every time (a new limiter entry if believed).
        headers = {"X-Forwarded-For": f"10.{n % 250}.{n // 250 % 250}.{rng.randrange(250)}"}
        try:
            if isinstance(body, bytes):
                headers["Content-Type"] = "application/json"
                response = await http.post("/graphql", content=body, headers=headers)
            else:
                response = await http.post("/graphql", json=body, headers=headers)
            try:
                code = response.json()["errors"][0]["extensions"]["code"]
            except (ValueError, KeyError, IndexError, TypeError):
                code = "answered"
            statuses[f"{name}: {response.status_code} {code}"] += 1
        except httpx.HTTPError as error:
            statuses[f"{name}: {type(error).__name__}"] += 1


async def stalled_export(host: str, port: int, stop: float, statuses: Counter[str]) -> None:
    """2: open the whole export, read its headers and a little, then never read again;
    when the server drops it, open another."""
    while time.monotonic() < stop:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(f"GET /export/all.jsonl HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        head = await reader.read(200)
        statuses[f"2 stalled export: {head[9:12].decode(errors='replace')}"] += 1
        opened = time.monotonic()
        while time.monotonic() < stop:
            await asyncio.sleep(1)
            if reader.at_eof() or writer.is_closing():
                break
            if time.monotonic() - opened > 3 * STALL:
                break
        writer.close()


async def watch(database_url: str, pid: int, stop: float, seen: dict[str, float]) -> None:
    """Sample the server's RSS and the longest idle-in-transaction PostgreSQL session."""
    engine = create_async_engine(database_url)
    process = psutil.Process(pid)
    query = text(
        "SELECT coalesce(max(extract(epoch FROM now() - state_change)), 0) FROM pg_stat_activity"
        " WHERE datname = current_database() AND state = 'idle in transaction'"
    )
    try:
        while time.monotonic() < stop:
            async with engine.connect() as connection:
                idle = float((await connection.execute(query)).scalar_one())
            seen["idle in transaction s"] = max(seen.get("idle in transaction s", 0), idle)
            rss = process.memory_info().rss / 2**20
            seen["rss max MB"] = max(seen.get("rss max MB", 0), rss)
            await asyncio.sleep(1)
    finally:
        await engine.dispose()


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000 if ordered else 0.0


async def phase(base: str, facts: dict[str, Any], seconds: float, clients: int,
                attackers: bool, database_url: str, pid: int) -> dict[str, Any]:  # fmt: skip
    stop = time.monotonic() + seconds
    honest, statuses = Honest(), Counter[str]()
    seen: dict[str, float] = {}
    host, port = base.removeprefix("http://").split(":")
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http, \
            httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as hostile:  # fmt: skip
        tasks = [honest_loop(http, facts, stop, honest, random.Random(i)) for i in range(clients)]
        tasks.append(watch(database_url, pid, stop, seen))
        if attackers:
            names = list(attack_bodies(facts, random.Random(0)))
            tasks += [attack_loop(hostile, n, facts, stop, statuses, random.Random(i))
                      for i, n in enumerate(names)]  # fmt: skip
            tasks += [stalled_export(host, int(port), stop, statuses) for _ in range(6)]
        await asyncio.gather(*tasks)
    return {
        "honest requests": len(honest.latencies),
        "honest failures": len(honest.failures),
        "honest 5xx": honest.server_errors,
        "p50 ms": round(statistics.median(honest.latencies) * 1000, 1),
        "p99 ms": round(p99(honest.latencies), 1),
        **{k: round(v, 1) for k, v in seen.items()},
        "attacks": dict(sorted(statuses.items())),
        "examples": honest.failures[:3],
    }


async def facts_of(base: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        query = (
            "{ statements(first: 100) { nodes { id speaker { id } } }"
            " sources(first: 1) { nodes { id } } }"
        )
        data = (await http.post("/graphql", json={"query": query})).json()["data"]
    nodes = data["statements"]["nodes"]
    return {
        "ids": [n["id"] for n in nodes],
        "speaker": nodes[0]["speaker"]["id"],
        "source": data["sources"]["nodes"][0]["id"],
    }


async def hostile_soak(base: str, seconds: float, clients: int, database_url: str,
                       pid: int) -> tuple[dict[str, Any], bool]:  # fmt: skip
    facts = await facts_of(base)
    await phase(base, facts, min(10, seconds / 4), clients, False, database_url, pid)  # warm
    rss_start = psutil.Process(pid).memory_info().rss / 2**20
    alone = await phase(base, facts, seconds, clients, False, database_url, pid)
    attacked = await phase(base, facts, seconds, clients, True, database_url, pid)
    ratio = attacked["p99 ms"] / alone["p99 ms"] if alone["p99 ms"] else float("inf")
    report = {"baseline": alone, "under attack": attacked, "p99 ratio": round(ratio, 2),
              "rss start MB": round(rss_start, 1)}  # fmt: skip
    ok = (
        attacked["honest 5xx"] == 0
        and attacked["honest failures"] == 0
        and ratio <= 3
        and attacked.get("idle in transaction s", 0) <= STALL + 5
        and attacked["rss max MB"] < rss_start * 1.5 + 100
    )
    return report, ok
