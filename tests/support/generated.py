"""How many generated examples the property and fuzzing tests run.

Each test states its full count: CI runs all of it (``make test-all`` sets
``CLAIMGRAPH_TEST_EXAMPLES=full``); the everyday loop (``make test``, or a plain ``pytest``)
runs a share of it, with the same fixed seeds, so a run still repeats the one before it.
"""

from __future__ import annotations

import os

FULL = os.environ.get("CLAIMGRAPH_TEST_EXAMPLES") == "full"


def examples(full: int, *, everyday: float = 0.25) -> int:
    """``full`` in CI; the ``everyday`` share of it (at least 10) in the everyday loop."""
    return full if FULL else max(10, round(full * everyday))
