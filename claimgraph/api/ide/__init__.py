"""The GraphiQL IDE page, self-hosted so it works on networks that block CDNs.

The IDE is a small JavaScript bundle built from npm packages in ``ide/`` at the
repository root (``make ide``, or ``cd ide && npm ci && npm run build``). The
build writes into ``static/`` next to this module:

* ``manifest.json``: Vite's build manifest, naming the entry script and its CSS;
* ``assets/``: the entry module, its styles (fonts inlined), lazily loaded chunks
  and the Monaco editor web workers, all with content hashes in their names and
  referencing each other by relative URLs.

The app serves that folder with :func:`ide_assets_app` (for example at
``/graphql/ide-assets``) and the page from :func:`render_ide_page`. The page
passes its configuration to the bundle as an inline JSON element::

    <script id="claimgraph-ide-config" type="application/json">
      {"endpoint": "/graphql", "tabs": [{"title": "...", "query": "...", "variables": "..."}]}
    </script>

When the bundle has not been built, :func:`render_ide_page` returns a fallback
page that loads the same GraphiQL versions from a CDN (needs internet) and logs
one warning per process saying how to build the assets.
"""

from __future__ import annotations

import functools
import html
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from starlette.staticfiles import StaticFiles

__all__ = [
    "CONFIG_ELEMENT_ID",
    "ExampleTab",
    "ide_assets_app",
    "render_ide_page",
    "static_dir",
]

logger = logging.getLogger("claimgraph.ide")

#: The folder ``npm run build`` in ``ide/`` writes to (git-ignored).
STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
#: Vite's manifest in STATIC_DIR (``build.manifest`` in ide/vite.config.js).
MANIFEST: Final = "manifest.json"

#: The id of the inline JSON element the bundle reads its configuration from.
CONFIG_ELEMENT_ID: Final = "claimgraph-ide-config"

PAGE_TITLE: Final = "claimgraph · GraphiQL"

#: Versions the CDN fallback loads: the same as the pins in ide/package-lock.json
#: (tests/api/test_ide.py checks that they agree).
CDN_VERSIONS: Final[Mapping[str, str]] = {
    "graphiql": "5.4.0",
    "@graphiql/react": "0.39.1",
    "@graphiql/plugin-explorer": "5.1.5",
    "@graphiql/toolkit": "0.12.1",
    "graphql": "16.15.0",
    "react": "19.3.1",
    "react-dom": "19.3.1",
}

_CDN: Final = "https://esm.sh"

FALLBACK_WARNING: Final = (
    "GraphiQL IDE assets are not built (%s is missing): the IDE page falls back to "
    "loading GraphiQL from a CDN (esm.sh), so it needs internet access. "
    "Run `make ide` (needs Node.js and npm) to build the self-hosted IDE."
)

_fallback_warning_logged = False


@dataclass(frozen=True)
class ExampleTab:
    """An example operation opened as a tab when a browser first opens the IDE."""

    title: str
    query: str
    variables: str | None = None


@dataclass(frozen=True)
class _Entry:
    """The files the page loads, as paths relative to the assets folder."""

    script: str
    stylesheets: tuple[str, ...]
    preloads: tuple[str, ...]


def static_dir() -> Path | None:
    """The folder of the built IDE assets, or None when they have not been built."""
    if _read_entry(STATIC_DIR) is None:
        return None
    return STATIC_DIR


def ide_assets_app() -> StaticFiles | None:
    """An ASGI app serving the built IDE assets, or None when they have not been built.

    Mount it where ``render_ide_page(assets_url=...)`` points, e.g.
    ``app.mount("/graphql/ide-assets", assets, name="ide-assets")``.
    """
    directory = static_dir()
    if directory is None:
        return None
    return StaticFiles(directory=directory)


def render_ide_page(*, endpoint: str, assets_url: str, tabs: Sequence[ExampleTab]) -> str:
    """The HTML page of the IDE.

    ``endpoint`` is the URL the IDE POSTs operations to; ``assets_url`` is where
    :func:`ide_assets_app` is mounted; ``tabs`` are opened as GraphiQL's default
    tabs (used when the browser has no saved tabs for this origin yet).
    """
    config = _json_for_script({"endpoint": endpoint, "tabs": [_tab_config(tab) for tab in tabs]})
    directory = static_dir()
    entry = None if directory is None else _read_entry(directory)
    if entry is None:
        _warn_fallback()
        return _fallback_page(config)
    return _built_page(config, assets_url.rstrip("/"), entry)


def _tab_config(tab: ExampleTab) -> dict[str, str | None]:
    return {"title": tab.title, "query": tab.query, "variables": tab.variables}


def _json_for_script(value: object) -> str:
    """JSON safe to embed in a ``<script>`` element.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where the ``\\uXXXX``
    escapes decode to the same text, so no ``</script>`` or ``<!--`` can end or
    change the element. ``ensure_ascii`` also escapes U+2028 and U+2029.
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _read_entry(directory: Path) -> _Entry | None:
    """The entry of the built IDE in ``directory``, or None when it is not (fully) built."""
    try:
        stat = (directory / MANIFEST).stat()
    except OSError:
        return None
    entry = _load_entry(directory, stat.st_mtime_ns, stat.st_size)
    if entry is None or not (directory / entry.script).is_file():
        return None
    return entry


@functools.lru_cache(maxsize=8)
def _load_entry(directory: Path, mtime_ns: int, size: int) -> _Entry | None:
    """Parse the Vite manifest (cached until the file changes; the arguments are the key)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    chunks: dict[str, dict[str, object]] = {
        key: chunk for key, chunk in manifest.items() if isinstance(chunk, dict)
    }
    entries = [chunk for chunk in chunks.values() if chunk.get("isEntry") is True]
    if len(entries) != 1:
        return None
    script = entries[0].get("file")
    if not isinstance(script, str):
        return None

    # The entry's CSS and that of the chunks it imports statically, recursively
    # (lazily loaded chunks bring their own CSS); those chunks are worth preloading.
    stylesheets: list[str] = []
    preloads: list[str] = []
    seen: set[int] = set()

    def visit(chunk: dict[str, object], *, is_entry: bool) -> None:
        if id(chunk) in seen:
            return
        seen.add(id(chunk))
        file = chunk.get("file")
        if not is_entry and isinstance(file, str) and file.endswith(".js"):
            preloads.append(file)
        for css in _strings(chunk.get("css")):
            if css not in stylesheets:
                stylesheets.append(css)
        for key in _strings(chunk.get("imports")):
            imported = chunks.get(key)
            if imported is not None:
                visit(imported, is_entry=False)

    visit(entries[0], is_entry=True)
    return _Entry(script=script, stylesheets=tuple(stylesheets), preloads=tuple(preloads))


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]


def _warn_fallback() -> None:
    global _fallback_warning_logged
    if _fallback_warning_logged:
        return
    _fallback_warning_logged = True
    logger.warning(FALLBACK_WARNING, STATIC_DIR / MANIFEST)


_HEAD_START: Final = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>{title}</title>
    <link rel="icon" href="data:,">
"""

_BODY: Final = """  </head>
  <body>
    <div id="graphiql">Loading the GraphiQL IDE…</div>
    <noscript>The GraphiQL IDE needs JavaScript.</noscript>
  </body>
</html>
"""


def _built_page(config: str, assets_url: str, entry: _Entry) -> str:
    def url(file: str) -> str:
        return html.escape(f"{assets_url}/{file}", quote=True)

    return (
        _HEAD_START.format(title=html.escape(PAGE_TITLE))
        + "".join(f'    <link rel="stylesheet" href="{url(css)}">\n' for css in entry.stylesheets)
        + "".join(f'    <link rel="modulepreload" href="{url(js)}">\n' for js in entry.preloads)
        + f'    <script id="{CONFIG_ELEMENT_ID}" type="application/json">{config}</script>\n'
        + f'    <script type="module" src="{url(entry.script)}"></script>\n'
        + _BODY
    )


def _cdn_import_map() -> str:
    v = CDN_VERSIONS
    graphiql = f"{_CDN}/graphiql@{v['graphiql']}"
    imports = {
        "react": f"{_CDN}/react@{v['react']}",
        "react/": f"{_CDN}/react@{v['react']}/",
        "react-dom": f"{_CDN}/react-dom@{v['react-dom']}",
        "react-dom/": f"{_CDN}/react-dom@{v['react-dom']}/",
        "graphiql": f"{graphiql}?standalone&external=react,react-dom,@graphiql/react,graphql",
        "graphiql/": f"{graphiql}/",
        "@graphiql/plugin-explorer": (
            f"{_CDN}/@graphiql/plugin-explorer@{v['@graphiql/plugin-explorer']}"
            "?standalone&external=react,@graphiql/react,graphql"
        ),
        "@graphiql/react": (
            f"{_CDN}/@graphiql/react@{v['@graphiql/react']}"
            "?standalone&external=react,react-dom,graphql,@graphiql/toolkit,@emotion/is-prop-valid"
        ),
        "@graphiql/toolkit": (
            f"{_CDN}/@graphiql/toolkit@{v['@graphiql/toolkit']}?standalone&external=graphql"
        ),
        "graphql": f"{_CDN}/graphql@{v['graphql']}",
        "@emotion/is-prop-valid": "data:text/javascript,",
    }
    return _json_for_script({"imports": imports})


# The same behaviour as ide/src/main.jsx, for the CDN build of the same packages.
_FALLBACK_SCRIPT: Final = """
      import React from 'react';
      import { createRoot } from 'react-dom/client';
      import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
      import { explorerPlugin } from '@graphiql/plugin-explorer';
      import 'graphiql/setup-workers/esm.sh';

      const element = document.getElementById('%(config_id)s');
      let config = {};
      try {
        config = JSON.parse(element.textContent);
      } catch (error) {
        console.error('claimgraph IDE: invalid configuration', error);
      }
      const endpoint = typeof config.endpoint === 'string' && config.endpoint
        ? config.endpoint : '/graphql';
      const tabs = (Array.isArray(config.tabs) ? config.tabs : [])
        .filter((tab) => tab && typeof tab.query === 'string')
        .map((tab) => {
          const title = typeof tab.title === 'string' ? tab.title.trim() : '';
          const query = title && !tab.query.includes(title)
            ? `# ${title}\\n${tab.query}` : tab.query;
          const variables = typeof tab.variables === 'string' ? tab.variables : null;
          return { query, variables };
        });

      // GraphiQL 5 does not fill the active tab's variables editor until it saved
      // one (see ide/src/main.jsx): pass that tab's query and variables.
      function initialEditorValues() {
        let storage = null;
        try {
          storage = window.localStorage;
        } catch {}
        const saved = (key) => (storage ? storage.getItem(`graphiql:${key}`) : null);
        if (saved('query') !== null || saved('variables') !== null) return {};
        let tab = tabs[0];
        const tabState = saved('tabState');
        if (tabState !== null) {
          try {
            const parsed = JSON.parse(tabState);
            tab = parsed.tabs[parsed.activeTabIndex];
          } catch {
            return {};
          }
        }
        if (!tab || typeof tab.variables !== 'string' || !tab.variables) return {};
        return { initialQuery: tab.query ?? '', initialVariables: tab.variables };
      }

      async function fetcher(graphQLParams, fetcherOpts) {
        const response = await fetch(endpoint, {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            ...(fetcherOpts && fetcherOpts.headers),
            Accept: 'application/graphql-response+json, application/json',
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(graphQLParams),
        });
        const text = await response.text();
        try {
          return JSON.parse(text);
        } catch {
          return {
            errors: [{ message: `HTTP ${response.status}: response is not JSON` }],
            body: text.slice(0, 2000),
          };
        }
      }

      createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {
          fetcher,
          plugins: [HISTORY_PLUGIN, explorerPlugin()],
          defaultEditorToolsVisibility: tabs.some((tab) => tab.variables) ? 'variables' : undefined,
          defaultTabs: tabs.length > 0 ? tabs : undefined,
          ...initialEditorValues(),
        }),
      );
"""


def _fallback_page(config: str) -> str:
    v = CDN_VERSIONS
    stylesheets = (
        f"{_CDN}/graphiql@{v['graphiql']}/dist/style.css",
        f"{_CDN}/@graphiql/plugin-explorer@{v['@graphiql/plugin-explorer']}/dist/style.css",
    )
    links = "".join(
        f'    <link rel="stylesheet" href="{html.escape(url, quote=True)}">\n'
        for url in stylesheets
    )
    script = _FALLBACK_SCRIPT % {"config_id": CONFIG_ELEMENT_ID}
    return (
        _HEAD_START.format(title=html.escape(PAGE_TITLE))
        + "    <!-- The self-hosted IDE is not built (`make ide`): GraphiQL loads from a CDN. -->\n"
        + "    <style>html, body { height: 100%; margin: 0; overflow: hidden; }"
        + " #graphiql { height: 100dvh; }</style>\n"
        + links
        + f'    <script id="{CONFIG_ELEMENT_ID}" type="application/json">{config}</script>\n'
        + f'    <script type="importmap">{_cdn_import_map()}</script>\n'
        + f'    <script type="module">{script}    </script>\n'
        + _BODY
    )
