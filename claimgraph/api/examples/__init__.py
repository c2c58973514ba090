"""The example queries the IDE opens with: one ``.graphql`` file each, read in name order.

Each file starts with ``# Title: …`` and a comment saying what it asks; an optional
``# Variables: {…}`` line gives its variables.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from claimgraph.api.ide import ExampleTab

EXAMPLES_DIR = Path(__file__).resolve().parent


@cache
def example_tabs() -> tuple[ExampleTab, ...]:
    tabs = []
    for path in sorted(EXAMPLES_DIR.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        title = path.stem.split("_", 1)[-1].replace("-", " ")
        variables = None
        for line in text.splitlines():
            if line.startswith("# Title:"):
                title = line.removeprefix("# Title:").strip()
            elif line.startswith("# Variables:"):
                variables = line.removeprefix("# Variables:").strip()
        tabs.append(ExampleTab(title=title, query=text, variables=variables))
    return tuple(tabs)
