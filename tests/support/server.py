"""The real server for tests that need HTTP on a socket: uvicorn in a subprocess on a free
loopback port, its output in a log file (a pipe nobody reads would stall a chatty server)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(database_url: str, log: Path, **settings: str) -> Iterator[str]:
    """Serve ``database_url`` until the block ends; yields the base URL. ``settings`` are
    extra environment variables (``CLAIMGRAPH_RATE_LIMIT_POINTS="…"``)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1", **settings}
    command = [
        sys.executable, "-m", "uvicorn", "claimgraph.api.main:app",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text()}")
                time.sleep(0.1)
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=10)
