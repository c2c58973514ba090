"""The GraphiQL IDE page: configuration embedding, built assets and CDN fallback."""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from starlette.staticfiles import StaticFiles

from claimgraph.api import ide
from claimgraph.api.ide import ExampleTab, render_ide_page

REPO_ROOT = Path(__file__).resolve().parents[2]
ASSETS_URL = "/graphql/ide-assets"

TABS = (
    ExampleTab(
        title="Claims by a person",
        query="query ClaimsBy($name: String!) {\n  person(name: $name) { name }\n}\n",
        variables='{"name": "Ada Lovelace"}',
    ),
    ExampleTab(
        title="Tricky </script> title & <!-- comment -->",
        query='# </script><script>alert("x")</script>\n{ search(text: "</SCRIPT> &amp; \\u2028") }',
    ),
    ExampleTab(title="Unicode", query='{ search(text: "Zürich \u2028 \u2029 — «quote»") }'),
)


class _PageParser(HTMLParser):
    """Collects the elements of a page, and the text of its <script> elements by id/type."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)


def _parse(page: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    return parser


def _config(page: str) -> Any:
    found = [
        text for attrs, text in _parse(page).scripts if attrs.get("id") == ide.CONFIG_ELEMENT_ID
    ]
    assert len(found) == 1
    assert page.count(f'id="{ide.CONFIG_ELEMENT_ID}"') == 1
    return json.loads(found[0])


def _expected_config(endpoint: str = "/graphql") -> dict[str, Any]:
    return {
        "endpoint": endpoint,
        "tabs": [
            {"title": tab.title, "query": tab.query, "variables": tab.variables} for tab in TABS
        ],
    }


def _write_build(directory: Path, entry_hash: str = "AbC123") -> None:
    """A fake Vite build: manifest.json plus the files it names (shaped like the real one)."""
    entry = f"assets/graphiql-{entry_hash}.js"
    manifest = {
        "src/main.jsx": {
            "file": entry,
            "name": "graphiql",
            "src": "src/main.jsx",
            "isEntry": True,
            "imports": ["_runtime-R1.js"],
            "dynamicImports": ["_monaco-M1.js"],
            "css": [f"assets/graphiql-{entry_hash}.css"],
            "assets": ["assets/editor.worker-W1.js"],
        },
        "_runtime-R1.js": {"file": "assets/runtime-R1.js", "css": ["assets/runtime-R1.css"]},
        "_monaco-M1.js": {
            "file": "assets/monaco-M1.js",
            "imports": ["src/main.jsx", "_runtime-R1.js"],
            "css": ["assets/monaco-M1.css"],
        },
    }
    (directory / "assets").mkdir(exist_ok=True)
    for file in (entry, "assets/runtime-R1.js", "assets/monaco-M1.js"):
        (directory / file).write_text("export {};\n", encoding="utf-8")
    (directory / ide.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake built IDE: static_dir() returns a folder with a manifest and its entry."""
    _write_build(tmp_path)
    monkeypatch.setattr(ide, "static_dir", lambda: tmp_path)
    return tmp_path


@pytest.fixture
def not_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """No built IDE, and the once-per-process warning not yet logged."""
    monkeypatch.setattr(ide, "static_dir", lambda: None)
    monkeypatch.setattr(ide, "_fallback_warning_logged", False)


def test_config_round_trips_when_built(built: Path) -> None:
    page = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)
    assert _config(page) == _expected_config()


def test_config_round_trips_in_fallback(not_built: None) -> None:
    page = render_ide_page(endpoint="/api/graphql", assets_url=ASSETS_URL, tabs=TABS)
    assert _config(page) == _expected_config("/api/graphql")


@pytest.mark.usefixtures("built")
def test_config_cannot_close_its_script_element() -> None:
    page = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)
    start = page.index(f'id="{ide.CONFIG_ELEMENT_ID}"')
    end = page.index("</script>", start)
    embedded = page[start:end]
    assert "<" not in embedded.split(">", 1)[1]
    assert "\u2028" not in page
    assert "\u2029" not in page
    # The only </script> sequences are the page's own closing tags.
    assert page.lower().count("</script") == page.lower().count("<script")


def test_no_tabs(built: Path) -> None:
    page = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=())
    assert _config(page) == {"endpoint": "/graphql", "tabs": []}


def test_built_page_references_local_assets_only(built: Path) -> None:
    page = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL + "/", tabs=TABS)
    parsed = _parse(page)

    assert "https://" not in page
    assert "http://" not in page
    assert "//" not in page  # no protocol-relative URLs either

    modules = [attrs for attrs, _ in parsed.scripts if attrs.get("type") == "module"]
    assert [attrs.get("src") for attrs in modules] == [f"{ASSETS_URL}/assets/graphiql-AbC123.js"]
    links = [(attrs.get("rel"), attrs.get("href")) for tag, attrs in parsed.tags if tag == "link"]
    # The entry's CSS and that of its static imports; lazily loaded chunks load their own.
    assert links == [
        ("icon", "data:,"),
        ("stylesheet", f"{ASSETS_URL}/assets/graphiql-AbC123.css"),
        ("stylesheet", f"{ASSETS_URL}/assets/runtime-R1.css"),
        ("modulepreload", f"{ASSETS_URL}/assets/runtime-R1.js"),
    ]
    assert not [attrs for attrs, _ in parsed.scripts if attrs.get("type") == "importmap"]
    assert any(attrs.get("id") == "graphiql" for tag, attrs in parsed.tags if tag == "div")


def test_built_page_follows_a_rebuild(built: Path) -> None:
    first = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)
    assert "graphiql-AbC123.js" in first
    _write_build(built, entry_hash="XyZ789")
    second = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)
    assert "graphiql-XyZ789.js" in second
    assert "graphiql-AbC123" not in second


def test_built_page_escapes_urls(built: Path) -> None:
    page = render_ide_page(endpoint='/g"raphql', assets_url='/a"b<c', tabs=())
    assert '/a"b<c' not in page
    assert "/a&quot;b&lt;c/assets/graphiql-AbC123.js" in page
    assert _config(page)["endpoint"] == '/g"raphql'


def test_built_page_logs_nothing(built: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="claimgraph.ide"):
        render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)
    assert caplog.records == []


def test_fallback_page_loads_graphiql_from_cdn(not_built: None) -> None:
    page = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)
    parsed = _parse(page)

    assert ASSETS_URL not in page
    import_maps = [text for attrs, text in parsed.scripts if attrs.get("type") == "importmap"]
    assert len(import_maps) == 1
    imports = json.loads(import_maps[0])["imports"]
    assert imports["graphiql"].startswith(
        f"https://esm.sh/graphiql@{ide.CDN_VERSIONS['graphiql']}?"
    )
    assert "@graphiql/plugin-explorer" in imports

    modules = [text for attrs, text in parsed.scripts if attrs.get("type") == "module"]
    assert len(modules) == 1
    assert "defaultTabs" in modules[0]
    assert "explorerPlugin()" in modules[0]
    assert "application/graphql-response+json, application/json" in modules[0]
    assert ide.CONFIG_ELEMENT_ID in modules[0]

    styles = [attrs.get("href") or "" for tag, attrs in parsed.tags if tag == "link"]
    assert any(href.startswith("https://esm.sh/graphiql@") for href in styles)


def test_fallback_warning_logged_once(not_built: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="claimgraph.ide"):
        for _ in range(3):
            render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)

    records = [record for record in caplog.records if record.name == "claimgraph.ide"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    message = records[0].getMessage()
    assert "\n" not in message
    assert "not built" in message
    assert "internet" in message
    assert "make ide" in message
    assert "Node.js" in message
    assert "npm" in message


def test_fallback_cdn_versions_match_the_npm_lockfile() -> None:
    lock_path = REPO_ROOT / "ide" / "package-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    packages = lock["packages"]
    locked = {name: packages[f"node_modules/{name}"]["version"] for name in ide.CDN_VERSIONS}
    assert dict(ide.CDN_VERSIONS) == locked
    manifest = json.loads((REPO_ROOT / "ide" / "package.json").read_text(encoding="utf-8"))
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly"


def test_static_dir_requires_a_usable_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ide, "STATIC_DIR", tmp_path)
    assert ide.static_dir() is None
    assert ide.ide_assets_app() is None

    (tmp_path / ide.MANIFEST).write_text("not json", encoding="utf-8")
    assert ide.static_dir() is None
    (tmp_path / ide.MANIFEST).write_text('{"x": {"file": "assets/x.js"}}', encoding="utf-8")
    assert ide.static_dir() is None  # no entry

    _write_build(tmp_path)
    assert ide.static_dir() == tmp_path
    assert isinstance(ide.ide_assets_app(), StaticFiles)

    (tmp_path / "assets" / "graphiql-AbC123.js").unlink()
    assert ide.static_dir() is None  # the entry it names is missing


def test_half_built_assets_fall_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """static_dir() found a build, but it is gone (or broken) by the time the page renders."""
    monkeypatch.setattr(ide, "static_dir", lambda: tmp_path)
    monkeypatch.setattr(ide, "_fallback_warning_logged", False)
    with caplog.at_level(logging.WARNING, logger="claimgraph.ide"):
        page = render_ide_page(endpoint="/graphql", assets_url=ASSETS_URL, tabs=TABS)
    assert "https://esm.sh/" in page
    assert len(caplog.records) == 1
