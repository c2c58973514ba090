"""An HTTP gate between a client and the real server, for tests that kill the client at a
chosen point: it forwards each request, logs what it fetched (export lines, feed cursors and
entries), and can hold a response part-way (after N lines of an export, or before the Nth
feed page) until the test lets go, so the client is blocked at a known place when killed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


@dataclass
class Fetch:
    """One request the client made: an export (``lines`` sent) or a feed page (``after``
    asked, ``cursor`` and ``entries`` answered)."""

    path: str
    lines: int = 0
    after: str | None = None
    cursor: str | None = None
    entries: int = 0
    meta: dict[str, Any] | None = None


@dataclass
class Hold:
    """Where to stop answering: after ``lines`` lines of the export ``path``, or before the
    ``feed_page``-th feed page (counted from 1 since the hold was set)."""

    path: str | None = None
    lines: int = 0
    feed_page: int = 0


@dataclass
class Gate:
    upstream: str
    url: str = ""
    fetches: list[Fetch] = field(default_factory=list)
    hold: Hold | None = None
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    feed_pages: int = 0

    def reset(self, hold: Hold | None = None) -> None:
        """Forget what was fetched; hold at ``hold`` from now on (or never)."""
        self.fetches = []
        self.hold = hold
        self.held.clear()
        self.feed_pages = 0

    def exports(self) -> list[str]:
        return [f.path for f in self.fetches if f.path.startswith("/export/")]

    def feed(self) -> list[Fetch]:
        return [f for f in self.fetches if f.path == "/graphql"]


def _handler(gate: Gate) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _hold_here(self) -> None:
            gate.held.set()
            gate.release.wait()

        def do_GET(self) -> None:
            fetch = Fetch(self.path)
            gate.fetches.append(fetch)
            hold = gate.hold
            with (
                httpx.Client(base_url=gate.upstream, timeout=60) as http,
                http.stream("GET", self.path) as response,
            ):
                self.send_response(response.status_code)
                self.send_header("Content-Type", response.headers.get("content-type", ""))
                self.end_headers()  # HTTP/1.0: the body ends when the connection closes
                for line in response.iter_lines():
                    if hold and hold.path == self.path and fetch.lines == hold.lines:
                        self.wfile.flush()
                        self._hold_here()
                        return
                    if fetch.meta is None:
                        with suppress(ValueError):
                            fetch.meta = json.loads(line)
                    self.wfile.write(line.encode() + b"\n")
                    self.wfile.flush()
                    fetch.lines += 1

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = json.loads(body)
            fetch = Fetch(self.path, after=request.get("variables", {}).get("after"))
            gate.fetches.append(fetch)
            gate.feed_pages += 1
            if gate.hold and gate.hold.feed_page == gate.feed_pages:
                self._hold_here()
                return
            response = httpx.post(
                f"{gate.upstream}{self.path}",
                content=body,
                headers={"Content-Type": "application/json"},
                timeout=60,
            )
            page = (response.json().get("data") or {}).get("changes") or {}
            fetch.cursor = page.get("cursor")
            fetch.entries = len(page.get("nodes") or [])
            self.send_response(response.status_code)
            self.send_header("Content-Type", response.headers.get("content-type", ""))
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

    return Handler


@contextmanager
def running_gate(upstream: str) -> Iterator[Gate]:
    """A gate in front of ``upstream`` on a free loopback port, until the block ends."""
    gate = Gate(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gate))
    server.daemon_threads = True
    gate.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gate
    finally:
        gate.release.set()  # a held handler writes to a dead client and ends
        server.shutdown()
        server.server_close()
