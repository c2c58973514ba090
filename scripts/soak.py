"""Soak test: 32 concurrent clients mix valid and abusive queries against a real server on
loopback for a bounded time, then report errors, latency and memory.

    make soak                         # 5 minutes against the local SQLite database
    SOAK_SECONDS=60 make soak         # shorter
    python scripts/soak.py --seconds 60 --clients 32 --database-url postgresql://…
    python scripts/soak.py --hostile --seconds 60 --clients 8 --database-url postgresql+asyncpg://…

``--hostile`` runs the attacks of issue 15 beside honest clients (scripts/soak_hostile.py);
it needs PostgreSQL (it watches pg_stat_activity).

Valid queries must never fail; abusive ones must be refused (4xx), never crash the server;
the server's RSS must not grow by more than 10% from the warmed-up start to the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]

VALID = {
    "newsroom page": """{ statements(first: 50) { nodes { id claim quote mode
        saidOn { edtf earliest latest } speaker { name roles { title } }
        source { title publishedOn { edtf } } excerpt { start end text }
        relations { kind direction statement { claim speaker { name } } }
        agreements { title status } } } }""",
    "node lookup": """query ($id: ID!) { node(id: $id) { id ... on Statement { claim } } }""",
    "speaker in a range": """query ($id: ID!) { statements(filter: {speaker: $id,
        saidBetween: {from: "2024-01-01", to: "2024-12-31"}}) { totalCount nodes { claim } } }""",
    "timeline of a year": """{ timeline(first: 50, between: {from: "2024-01-01",
        to: "2024-12-31"}) { totalCount nodes { __typename ... on Event { title }
        ... on Statement { claim } } } }""",
    "search": """{ search(text: "withdraw") { totalCount nodes { __typename } } }""",
}
ABUSIVE = [
    "{ " + " ".join(f"a{i}: sources {{ totalCount }}" for i in range(40)) + " }",
    "{ statements(first: 100) { nodes { speaker { statements(first: 100) { nodes { relations"
    " { statement { claim } } } } } } } }",
    "{ statements { nodes { " * 12 + "id" + " } }" * 12,
    "{ statements(",
    '{ node(id: "garbage") { id } }',
    "{ statements(first: 1000) { totalCount } }",
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    valid: int = 0
    valid_failures: list[str] = field(default_factory=list)
    abusive: int = 0
    abusive_not_refused: list[str] = field(default_factory=list)
    server_errors: int = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def client_loop(http: httpx.AsyncClient, ids: list[str], speaker: str, stop: float,
                      tally: Tally, rng: random.Random) -> None:  # fmt: skip
    while time.monotonic() < stop:
        if rng.random() < 0.2:
            query, variables, valid = rng.choice(ABUSIVE), {}, False
        else:
            name, query = rng.choice(list(VALID.items()))
            variables = {"id": speaker if "speaker" in name else rng.choice(ids)}
            valid = True
        started = time.perf_counter()
        try:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
            status, body = response.status_code, response.json()
        except (httpx.HTTPError, ValueError) as error:
            status, body = 599, {"errors": [{"message": repr(error)}]}
        elapsed = time.perf_counter() - started
        if status >= 500:
            tally.server_errors += 1
        if valid:
            tally.valid += 1
            tally.latencies.append(elapsed)
            if status != 200 or body.get("errors"):
                tally.valid_failures.append(f"{status} {json.dumps(body)[:200]}")
        else:
            tally.abusive += 1
            refused = 400 <= status < 500 or (status == 200 and body.get("errors"))
            if not refused:
                tally.abusive_not_refused.append(f"{status} {query[:60]}")


async def soak(
    base: str, seconds: float, clients: int, server: psutil.Process
) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        listing = await http.post(
            "/graphql", json={"query": "{ statements(first: 100) { nodes { id speaker { id } } } }"}
        )
        nodes = listing.json()["data"]["statements"]["nodes"]
        ids = [n["id"] for n in nodes]
        speaker = nodes[0]["speaker"]["id"]
        warm = Tally()
        warm_until = time.monotonic() + min(10, seconds / 10)
        await asyncio.gather(
            *(
                client_loop(http, ids, speaker, warm_until, warm, random.Random(i))
                for i in range(clients)
            )
        )
        rss_start = server.memory_info().rss
        tally = Tally()
        stop = time.monotonic() + seconds
        await asyncio.gather(
            *(
                client_loop(http, ids, speaker, stop, tally, random.Random(100 + i))
                for i in range(clients)
            )
        )
        rss_end = server.memory_info().rss
    latencies = sorted(tally.latencies)
    return {
        "seconds": seconds,
        "clients": clients,
        "valid requests": tally.valid,
        "valid failures": len(tally.valid_failures),
        "abusive requests": tally.abusive,
        "abusive not refused": len(tally.abusive_not_refused),
        "5xx": tally.server_errors,
        "requests/s": round((tally.valid + tally.abusive) / seconds, 1),
        "p50 ms (valid)": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99 ms (valid)": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)
        if latencies
        else None,
        "rss start MB": round(rss_start / 2**20, 1),
        "rss end MB": round(rss_end / 2**20, 1),
        "rss growth %": round(100 * (rss_end - rss_start) / rss_start, 1),
        "examples of failures": tally.valid_failures[:3] + tally.abusive_not_refused[:3],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", 300)))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("SOAK_CLIENTS", 32)))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--hostile", action="store_true", help="attackers beside honest clients")
    args = parser.parse_args()
    port = free_port()
    env = {
        **os.environ,
        "CLAIMGRAPH_RATE_LIMIT_POINTS": str(10**9),
    }  # soak the server, not the limiter
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    command = [sys.executable, "-m", "uvicorn", "claimgraph.api.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("the server did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        if args.hostile:
            from soak_hostile import hostile_soak

            hostile, ok = asyncio.run(
                hostile_soak(base, args.seconds, args.clients, args.database_url, server.pid)
            )
            print(json.dumps(hostile, indent=2))
            print("soak:", "PASSED" if ok else "FAILED")
            return 0 if ok else 1
        report = asyncio.run(soak(base, args.seconds, args.clients, psutil.Process(server.pid)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    for name, value in report.items():
        print(f"{name:22} {value}")
    ok = (
        report["valid failures"] == 0
        and report["abusive not refused"] == 0
        and report["5xx"] == 0
        and float(report["rss growth %"]) < 10  # type: ignore[arg-type]
    )
    print("soak:", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
