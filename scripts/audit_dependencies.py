"""Known vulnerabilities in the installed dependencies, from PyPI's advisory data.

pip-audit is the tool for this, but it asks PyPI for each release's own JSON
(`/pypi/NAME/VERSION/json`), which the package registry this project's machines reach does
not serve, so pip-audit skips every package and reports a clean bill it never checked. This
script asks the project JSON (`/pypi/NAME/json`), whose `vulnerabilities` are those of the
newest release: a package installed at its newest release is audited exactly; one that is
not is listed as unaudited, never counted as clean. It fails on any known vulnerability.

    python scripts/audit_dependencies.py          # the environment it runs in
"""

from __future__ import annotations

import asyncio
import sys
from importlib import metadata

import httpx

PYPI = "https://pypi.org/pypi/{name}/json"


async def audit(name: str, version: str, http: httpx.AsyncClient) -> tuple[str, list[str]]:
    """("vulnerable" | "clean" | "unaudited", details) for one installed distribution."""
    try:
        response = await http.get(PYPI.format(name=name))
    except httpx.HTTPError as error:
        return "unaudited", [f"PyPI did not answer: {error}"]
    if response.status_code != 200:
        return "unaudited", [f"not on PyPI (HTTP {response.status_code})"]
    data = response.json()
    newest = data["info"]["version"]
    if newest != version:
        return "unaudited", [f"installed {version}, PyPI's data covers {newest} only"]
    found = [
        f"{v.get('id')} (fixed in {', '.join(v.get('fixed_in') or []) or 'no release yet'})"
        for v in data.get("vulnerabilities") or []
        if not v.get("withdrawn")
    ]
    return ("vulnerable" if found else "clean"), found


async def main() -> int:
    installed = sorted({(d.metadata["Name"].lower(), d.version) for d in metadata.distributions()})
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(timeout=20, limits=limits) as http:
        results = await asyncio.gather(*(audit(n, v, http) for n, v in installed))
    tally: dict[str, list[str]] = {"vulnerable": [], "clean": [], "unaudited": []}
    for (name, version), (state, details) in zip(installed, results, strict=True):
        tally[state].append(f"{name} {version}: {'; '.join(details)}" if details else name)
    for line in tally["vulnerable"]:
        print(f"VULNERABLE {line}")
    for line in tally["unaudited"]:
        print(f"unaudited  {line}")
    print(
        f"{len(installed)} distributions: {len(tally['clean'])} audited clean, "
        f"{len(tally['vulnerable'])} vulnerable, {len(tally['unaudited'])} unaudited"
    )
    return 1 if tally["vulnerable"] else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
