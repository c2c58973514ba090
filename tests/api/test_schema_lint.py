"""schema.graphql passes graphql-schema-linter with the repository's configuration.

The linter is an npm package pinned in ``tools/package.json`` (locked in
``tools/package-lock.json``); the first run installs it with ``npm ci`` (a few seconds). Its
configuration, ``.graphql-schema-linterrc.yaml`` at the root, lists the rules that run and
gives the reason for each rule it leaves out. Skipped when npm is not installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS = REPO_ROOT / "tools"
SCHEMA = REPO_ROOT / "schema.graphql"
CONFIG = REPO_ROOT / ".graphql-schema-linterrc.yaml"
LINTER = TOOLS / "node_modules" / "graphql-schema-linter"
#: A rule left out of the configuration, with its reason: ``# - rule-name: reason``.
DISABLED_RULE = re.compile(r"^# - ([a-z-]+): (\S.*)$", re.MULTILINE)


def _installed() -> bool:
    """The linter is installed from the current lockfile (npm ci writes the hidden one)."""
    hidden_lockfile = TOOLS / "node_modules" / ".package-lock.json"
    return (LINTER / "package.json").is_file() and (
        hidden_lockfile.is_file()
        and hidden_lockfile.stat().st_mtime >= (TOOLS / "package-lock.json").stat().st_mtime
    )


@pytest.fixture(scope="module")
def npx() -> str:
    """npx, with tools/ installed (``npm ci`` when node_modules is missing or stale)."""
    npm, npx = shutil.which("npm"), shutil.which("npx")
    if npm is None or npx is None:
        pytest.skip(
            "npm not found: graphql-schema-linter (tools/package.json) needs Node.js 20+ and npm"
        )
    if not _installed():
        install = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=TOOLS,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert install.returncode == 0, f"npm ci in tools/ failed:\n{install.stderr}"
    return npx


def _lint(npx: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [npx, "--no", "--", "graphql-schema-linter", "--config-directory", str(REPO_ROOT), *args],
        cwd=TOOLS,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_schema_graphql_passes_graphql_schema_linter(npx: str) -> None:
    result = _lint(npx, str(SCHEMA))
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "0 errors detected" in result.stdout, result.stdout


def test_every_rule_runs_or_is_left_out_with_a_reason(npx: str) -> None:
    shipped = {path.stem.replace("_", "-") for path in (LINTER / "lib" / "rules").glob("*.js")}
    text = CONFIG.read_text(encoding="utf-8")
    enabled = set(yaml.safe_load(text)["rules"])
    disabled = dict(DISABLED_RULE.findall(text))
    assert enabled, "an empty `rules` list would run every rule"
    assert not enabled & disabled.keys(), "a rule is both listed and left out"
    assert enabled | disabled.keys() == shipped, (
        f"unknown: {sorted((enabled | disabled.keys()) - shipped)}; "
        f"neither listed nor left out with a reason: {sorted(shipped - enabled - disabled.keys())}"
    )


def test_the_linter_reads_the_configuration(npx: str) -> None:
    """The configuration is the one in force: a rule it runs reports, a rule it leaves out
    does not (the fields below are out of alphabetical order)."""
    schema = '"""The root."""\ntype Query {\n  """Second."""\n  zebra: String\n  apple: String\n}\n'
    result = _lint(npx, "--stdin", "--format", "json", stdin=schema)
    assert result.returncode == 1, f"{result.stdout}\n{result.stderr}"
    rules = {error["rule"] for error in json.loads(result.stdout)["errors"]}
    assert "fields-have-descriptions" in rules
    assert "type-fields-sorted-alphabetically" not in rules
