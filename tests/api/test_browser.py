"""The GraphiQL IDE in a real browser, offline: headless Chromium opens ``/graphql`` on the
live server with every network but loopback closed, runs the first example tab with the ▶
button and reads the answer in the result pane.

The browser is Debian's Chromium (``/usr/bin/chromium``; ``apt-get install chromium``) driven
by Playwright for Python (the ``dev`` extra); Playwright never downloads a browser here. The
test is skipped only when that Chromium is missing. The IDE must be self-hosted for the page
to work offline, so a session fixture runs ``make ide`` first when npm is present (a no-op
when the build is up to date); without npm and without a build the test is skipped, since
the page would load GraphiQL from a CDN.

How the browser is kept on loopback, and how the test knows it stayed there:

* ``--host-resolver-rules`` resolves no host name but 127.0.0.1;
* ``--proxy-server`` sends every request not bound for loopback to a loopback port that
  refuses connections. This also catches Chromium's own background requests, which no page
  makes and no flag fully stops (Debian's build asks accounts.google.com,
  update.googleapis.com and content-autofill.googleapis.com even with
  ``--disable-background-networking``);
* every request of the page and its workers goes through a Playwright route that lets
  loopback, ``data:`` and ``blob:`` through and aborts and records anything else: the test
  asserts the page asked for nothing else (``test_the_guard_blocks_...`` checks the route);
* Chromium writes a net log (``--log-net-log``) of every socket it opened; the test asserts
  that every TCP connection, and every UDP socket that sent a byte, was to a loopback
  address. (Chromium ``connect()``s a UDP socket to 2001:4860:4860::8888 to learn whether
  IPv6 is routable; that sends nothing, so an unused UDP socket is not counted.)

Screenshots and the net log go to ``artifacts/browser/`` (git-ignored), one per engine,
also when the test fails. The SQLite run's screenshot of a passing run is also written to
``docs/ide.png``: the picture the README shows is always what the IDE shows now.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import (
    Locator,
    Page,
    Request,
    Route,
    WebSocket,
    expect,
    sync_playwright,
)

from claimgraph.api.examples import example_tabs
from claimgraph.api.ide import static_dir

CHROMIUM = Path("/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "artifacts" / "browser"
DOCS_SCREENSHOT = REPO_ROOT / "docs" / "ide.png"

WIDTH, HEIGHT = 1400, 900
#: How long one step may wait (page load, the query's answer); the test takes ~5 s in all.
STEP_TIMEOUT_MS = 15_000

#: Hosts a page may send requests to, and schemes that never reach a network.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

#: What the first example tab (01_who-says-...) must show: who said it, and who contradicts.
EXPECTED_SPEAKER = "Sabhan Mullah Jiad"
EXPECTED_RELATION = "CONTRADICTS"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"{CHROMIUM} not found: the browser test needs Debian's Chromium "
    "(apt-get install --no-install-recommends chromium)",
)


def _chromium_flags(closed_port: int, netlog: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # No host name resolves but the loopback address itself...
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        # ...whatever is not for loopback goes to a proxy that is not there...
        f"--proxy-server=http://127.0.0.1:{closed_port}",
        "--proxy-bypass-list=127.0.0.1;localhost;[::1]",
        # ...and every socket the browser opens is written down.
        f"--log-net-log={netlog}",
    ]


def _stays_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOOPBACK_HOSTS


def _is_loopback(address: str) -> bool:
    """``127.0.0.1:8000`` or ``[::1]:443`` is a loopback socket address."""
    host = address.rsplit(":", 1)[0].strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class NetworkLog:
    """What the browser asked for: the pages' requests, those stopped for leaving loopback,
    and (from Chromium's net log, once it closed) the remote address of every socket."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    tcp_peers: set[str] = field(default_factory=set)
    udp_peers_sent_to: set[str] = field(default_factory=set)

    def left_loopback(self) -> list[str]:
        return [url for url in self.requests if not _stays_local(url)]

    def sockets_off_loopback(self) -> list[str]:
        peers = self.tcp_peers | self.udp_peers_sent_to
        return sorted(peer for peer in peers if not _is_loopback(peer))

    def describe(self) -> str:
        return "\n".join(
            [
                f"requests: {self.requests}",
                f"blocked: {self.blocked}",
                f"page errors: {self.page_errors}",
                f"TCP peers: {sorted(self.tcp_peers)}",
                f"UDP peers sent to: {sorted(self.udp_peers_sent_to)}",
            ]
        )

    def read_netlog(self, path: Path) -> None:
        """Collect socket peers from Chromium's net log (JSON, written as the browser runs
        and closed when it exits; a log cut short is read up to its last whole event)."""
        text = path.read_text(encoding="utf-8")
        try:
            netlog: dict[str, Any] = json.loads(text)
        except ValueError:
            netlog = json.loads(text.rstrip().rstrip(",") + "]}")
        names = {number: name for name, number in netlog["constants"]["logEventTypes"].items()}
        udp_connected: dict[int, str] = {}
        for event in netlog["events"]:
            name = names.get(event["type"])
            params = event.get("params") or {}
            source = event["source"]["id"]
            if name == "TCP_CONNECT_ATTEMPT" and "address" in params:
                self.tcp_peers.add(params["address"])
            elif name == "TCP_CONNECT":
                self.tcp_peers.update(params.get("address_list", []))
                if "remote_address" in params:
                    self.tcp_peers.add(params["remote_address"])
            elif name == "UDP_CONNECT" and "address" in params:
                udp_connected[source] = params["address"]
            elif name == "UDP_BYTES_SENT":
                peer = params.get("address") or udp_connected.get(source, "unknown")
                self.udp_peers_sent_to.add(peer)


@contextmanager
def _closed_loopback_port() -> Iterator[int]:
    """A loopback port bound but not listening, so every connection to it is refused."""
    with socket.socket() as sink:
        sink.bind(("127.0.0.1", 0))
        port: int = sink.getsockname()[1]
        yield port


@contextmanager
def offline_chromium(profile: Path, netlog: Path) -> Iterator[tuple[Page, NetworkLog]]:
    """A page of headless Chromium (fresh profile in ``profile``) that can reach loopback
    only. The log holds the pages' requests as they go, and the sockets from the net log
    (written to ``netlog``) after the browser closed, so check it after the ``with``."""
    log = NetworkLog()

    def guard(route: Route, request: Request) -> None:
        if _stays_local(request.url):
            route.continue_()
        else:
            log.blocked.append(request.url)
            route.abort("blockedbyclient")

    def record_websocket(websocket: WebSocket) -> None:
        log.requests.append(websocket.url)

    netlog.unlink(missing_ok=True)
    with _closed_loopback_port() as closed_port, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=_chromium_flags(closed_port, netlog),
            viewport={"width": WIDTH, "height": HEIGHT},
            device_scale_factor=1,
            color_scheme="light",
            locale="en-GB",
            timezone_id="UTC",
            service_workers="block",
        )
        try:
            context.set_default_timeout(STEP_TIMEOUT_MS)
            context.on("request", lambda request: log.requests.append(request.url))
            context.route("**/*", guard)
            page = context.pages[0] if context.pages else context.new_page()
            page.on("websocket", record_websocket)
            page.on("pageerror", lambda error: log.page_errors.append(str(error)))
            yield page, log
        finally:
            context.close()
    log.read_netlog(netlog)


@pytest.fixture(scope="session")
def ide_assets() -> Path:
    """The self-hosted IDE, built by ``make ide`` when npm is present (fast when up to date).

    Ask for it before ``live_server``: the server mounts the assets only if they exist when
    it starts.
    """
    npm, make = shutil.which("npm"), shutil.which("make")
    if npm is not None and make is not None:
        build = subprocess.run(
            [make, "--no-print-directory", "ide"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if build.returncode != 0:
            pytest.fail(f"`make ide` failed:\n{build.stdout}\n{build.stderr}")
    built = static_dir()
    if built is None:
        pytest.skip(
            "the GraphiQL IDE is not built and cannot be (needs npm and make): the page "
            "would load GraphiQL from a CDN, which this offline test forbids; run `make ide`"
        )
    return built


def _check_server_serves_the_built_ide(base_url: str) -> None:
    """Fail clearly if the live server came up before the assets were built (it would
    serve the page but not the files it loads)."""
    page = httpx.get(f"{base_url}/graphql", headers={"Accept": "text/html"}, timeout=10)
    page.raise_for_status()
    entry = re.search(r'<script type="module" src="([^"]+)"', page.text)
    assert entry is not None, (
        f"the IDE page is the CDN fallback, not the self-hosted one:\n{page.text}"
    )
    assert entry.group(1).startswith("/"), entry.group(1)
    if httpx.get(f"{base_url}{entry.group(1)}", timeout=10).status_code != 200:
        pytest.fail(
            "the live server does not serve the IDE assets: it was started (by an earlier "
            "test) before they were built; run `make ide` before pytest"
        )


def _scroll_until_shown(page: Page, pane: Locator, text: str, *, steps: int = 60) -> bool:
    """Scroll ``pane`` (a Monaco editor renders only the lines in view) until ``text`` is
    on screen; False when it never came."""
    box = pane.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(steps):
        if text in pane.inner_text().replace("\xa0", " "):
            return True
        page.mouse.wheel(0, box["height"] / 2)
        page.wait_for_timeout(50)
    return text in pane.inner_text().replace("\xa0", " ")


def _engine(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.mark.slow  # builds the IDE with npm when it is stale, then drives Chromium
@needs_chromium
def test_the_ide_runs_the_first_example_offline(
    ide_assets: Path, live_server: str, database_url: str, tmp_path: Path
) -> None:
    _check_server_serves_the_built_ide(live_server)
    engine = _engine(database_url)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / f"ide-{engine}.png"
    first = example_tabs()[0]
    found = re.search(r"^query (\w+)", first.query, re.MULTILINE)
    assert found is not None, first.query
    operation = found.group(1)
    endpoint = f"{live_server}/graphql"

    with offline_chromium(tmp_path / "profile", ARTIFACTS / f"ide-{engine}.netlog.json") as (
        page,
        log,
    ):
        try:
            page.goto(endpoint, wait_until="load")
            # The first example is open in the first tab, and every tab has its plain title.
            expect(page.locator(".graphiql-tab-active .graphiql-tab-button")).to_have_text(
                first.title
            )
            expect(page.locator(".graphiql-tab-button")).to_have_text(
                [tab.title for tab in example_tabs()]
            )
            expect(page.locator(".graphiql-query-editor")).to_contain_text(operation)
            # Every comment line is shown whole: none runs under the toolbar (▶ and its
            # fellows) or past the editor's edge.
            editor = page.locator(".graphiql-query-editor .monaco-editor .view-lines")
            shown = editor.evaluate(
                "lines => [...lines.querySelectorAll('.view-line')].map(line => "
                "[line.innerText, line.firstElementChild.getBoundingClientRect().right])"
            )
            right = page.locator(".graphiql-toolbar").evaluate(
                "toolbar => toolbar.getBoundingClientRect().left"
            )
            comments = [(text, end) for text, end in shown if text.lstrip().startswith("#")]
            assert comments, shown
            # Clear of the ▶ button by a few characters, not touching it.
            assert [text for text, end in comments if end > right - 24] == [], (right, comments)

            with page.expect_response(
                lambda response: (
                    response.url == endpoint
                    and response.request.method == "POST"
                    and operation in (response.request.post_data or "")
                )
            ) as answer:
                page.get_by_role("button", name="Execute query").click()
            body = answer.value.json()
            assert "errors" not in body, body
            assert body["data"]["statements"]["nodes"], body

            result = page.locator(".graphiql-response")
            expect(result).to_contain_text(EXPECTED_SPEAKER)
            expect(result).to_contain_text("2024-09-08")
            # A clean picture: no hovered button, tooltip, cursor or scroll bar.
            page.mouse.move(WIDTH - 2, HEIGHT - 2)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.evaluate("document.fonts.ready.then(() => true)")
            expect(page.locator("[role=tooltip]")).to_have_count(0)
            expect(page.locator(".monaco-editor .scrollbar.visible")).to_have_count(0)
            page.screenshot(path=screenshot, animations="disabled", caret="hide")

            # Who contradicts it comes further down the answer.
            assert _scroll_until_shown(page, result, EXPECTED_RELATION), log.describe()
        except BaseException:
            with contextlib.suppress(Exception):  # what the page showed when it failed
                page.screenshot(path=screenshot)
            raise

    assert any("/graphql/ide-assets/" in url for url in log.requests), log.describe()
    assert log.left_loopback() == [], log.describe()
    assert log.blocked == [], log.describe()
    assert log.page_errors == [], log.describe()
    # The net log saw the browser talk to the server, and to nothing off loopback.
    assert f"127.0.0.1:{urlsplit(live_server).port}" in log.tcp_peers, log.describe()
    assert log.sockets_off_loopback() == [], log.describe()
    if engine == "sqlite":
        shutil.copyfile(screenshot, DOCS_SCREENSHOT)


@needs_chromium
def test_the_guard_blocks_and_records_requests_that_leave_loopback(tmp_path: Path) -> None:
    """A page of that browser cannot reach past loopback, and the log says it tried.

    ``.invalid`` names resolve nowhere (RFC 6761): nothing leaves even if a lock failed.
    """
    outside = "http://claimgraph-browser-test.invalid/probe.json"
    with offline_chromium(tmp_path / "profile", tmp_path / "netlog.json") as (page, log):
        page.set_content("<!doctype html><title>probe</title>")
        outcome = page.evaluate("url => fetch(url).then(() => 'reached', () => 'failed')", outside)
    assert outcome == "failed"
    assert log.blocked == [outside]
    assert log.left_loopback() == [outside]
    assert log.sockets_off_loopback() == [], log.describe()


def test_the_net_log_check_finds_a_socket_off_loopback(tmp_path: Path) -> None:
    """The net log reading is not vacuous: a TCP connection or a UDP send elsewhere shows."""
    types = {"TCP_CONNECT": 1, "TCP_CONNECT_ATTEMPT": 2, "UDP_CONNECT": 3, "UDP_BYTES_SENT": 4}

    def event(kind: str, source: int, **params: object) -> dict[str, object]:
        return {"type": types[kind], "source": {"id": source, "type": 0}, "params": params}

    events = [
        event("TCP_CONNECT", 1, address_list=["127.0.0.1:8000"]),
        event("TCP_CONNECT_ATTEMPT", 2, address="192.0.2.7:443"),
        event("UDP_CONNECT", 3, address="[2001:4860:4860::8888]:443"),  # probe: sends nothing
        event("UDP_CONNECT", 4, address="[2001:db8::53]:53"),
        event("UDP_BYTES_SENT", 4, byte_count=40),
    ]
    path = tmp_path / "netlog.json"
    # Cut short, as a log of a browser that did not exit cleanly is.
    text = json.dumps({"constants": {"logEventTypes": types}, "events": events})
    path.write_text(text.removesuffix("]}") + ",\n", encoding="utf-8")
    log = NetworkLog()
    log.read_netlog(path)
    assert log.sockets_off_loopback() == ["192.0.2.7:443", "[2001:db8::53]:53"]
