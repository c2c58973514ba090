"""Reading extraction files: parse, validate every record, and locate every excerpt.

Nothing here touches the database; :mod:`claimgraph.seed.loader` writes what this reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from claimgraph.seed.errors import Problem, SeedError
from claimgraph.seed.schema import ExtractionFile

#: The curated seed that ships with claimgraph.
DEFAULT_SEED_DIR = Path(__file__).resolve().parent / "data"
EXTRACTION_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Located:
    """Where a statement's excerpt stands in its source text (code points, end exclusive)."""

    start: int
    end: int


@dataclass(frozen=True)
class ExcerptProblem:
    """Why an excerpt cannot be placed: ``EXCERPT_NOT_FOUND`` or ``EXCERPT_AMBIGUOUS``."""

    code: str
    message: str


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    extraction: ExtractionFile
    text: str
    excerpts: dict[str, Located]  # statement slug -> offsets

    @property
    def name(self) -> str:
        return self.path.name


def extraction_paths(path: Path | None = None) -> list[Path]:
    """The extraction files at ``path`` (a file, or every one in a folder), sorted by name."""
    path = path or DEFAULT_SEED_DIR
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix in EXTRACTION_SUFFIXES)
        if not found:
            raise SeedError([Problem(str(path), "folder", "holds no .yaml, .yml or .json file")])
        return found
    if not path.exists():
        raise SeedError([Problem(str(path), "file", "does not exist")])
    return [path]


def read_files(paths: Sequence[Path]) -> list[ParsedFile]:
    """Parse and check every file; raise :class:`SeedError` listing every problem found."""
    parsed: list[ParsedFile] = []
    problems: list[Problem] = []
    for path in paths:
        result = _read_file(path)
        if isinstance(result, ParsedFile):
            parsed.append(result)
        else:
            problems.extend(result)
    problems.extend(_duplicate_slugs(parsed))
    if problems:
        raise SeedError(problems)
    return parsed


def _read_file(path: Path) -> ParsedFile | list[Problem]:
    name = path.name
    try:
        raw_text = path.read_text(encoding="utf-8")
        raw = json.loads(raw_text) if path.suffix == ".json" else yaml.safe_load(raw_text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError) as error:
        return [Problem(name, "file", f"cannot be read: {error}")]
    if not isinstance(raw, dict):
        return [Problem(name, "file", "must hold a mapping with a 'source' key at the top")]
    problems: list[Problem] = []
    extraction: ExtractionFile | None = None
    try:
        extraction = ExtractionFile.model_validate(raw)
    except ValidationError as error:
        problems.extend(_problem_from_pydantic(name, raw, detail) for detail in error.errors())
    # Even when some records are malformed, check every excerpt we can read, so one run
    # lists every problem of the file.
    raw_source = raw.get("source")
    source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
    text = _read_source_text(path, source)
    if isinstance(text, Problem):
        return [*problems, text] if text.message else problems
    excerpts: dict[str, Located] = {}
    raw_statements = raw.get("statements")
    statements: list[Any] = raw_statements if isinstance(raw_statements, list) else []
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict) or not isinstance(statement.get("excerpt"), str):
            continue  # pydantic has said what is wrong with it
        record = f"statements[{index}] '{statement.get('slug')}'"
        located = locate(text, statement["excerpt"])
        if isinstance(located, ExcerptProblem):
            problems.append(Problem(name, record, located.message))
        else:
            excerpts[str(statement.get("slug"))] = located
    if problems or extraction is None:
        return problems
    return ParsedFile(path, extraction, text, excerpts)


def _read_source_text(path: Path, source: dict[str, Any]) -> str | Problem:
    """The source's text, checked against its recorded SHA-256. A Problem with no message
    means the source record itself is malformed (pydantic reports that)."""
    text_file, expected = source.get("text_file"), source.get("content_sha256")
    record = f"source '{source.get('slug')}'"
    if not isinstance(text_file, str) or not isinstance(expected, str):
        return Problem(path.name, record, "")
    try:
        data = (path.parent / text_file).read_bytes()
    except OSError as error:
        return Problem(path.name, record, f"text_file {text_file!r} cannot be read: {error}")
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        return Problem(
            path.name,
            record,
            f"text_file {text_file!r} has SHA-256 {digest}, not the content_sha256 "
            f"{expected} the file records: the text changed or is the wrong file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(path.name, record, f"text_file {text_file!r} is not UTF-8: {error}")


def locate(text: str, excerpt: str) -> Located | ExcerptProblem:
    """Where ``excerpt`` stands in ``text``: it must be there verbatim, exactly once (the
    seed files and the desk's mutations place excerpts by this one rule)."""
    start = text.find(excerpt)
    if start < 0:
        return ExcerptProblem(
            "EXCERPT_NOT_FOUND", f"excerpt {_clip(excerpt)!r} is not in the source text verbatim"
        )
    again = text.find(excerpt, start + 1)
    if again >= 0:
        return ExcerptProblem(
            "EXCERPT_AMBIGUOUS",
            f"excerpt {_clip(excerpt)!r} is ambiguous: it stands at characters {start} and "
            f"{again}; lengthen it until it appears once",
        )
    return Located(start, start + len(excerpt))


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _problem_from_pydantic(name: str, raw: dict[str, Any], detail: Any) -> Problem:
    location = list(detail["loc"])
    record = "file"
    if len(location) >= 2 and isinstance(location[1], int):
        collection, index = location[0], location[1]
        entry = (raw.get(collection) or [None] * (index + 1))[index]
        slug = entry.get("slug") if isinstance(entry, dict) else None
        record = f"{collection}[{index}]" + (f" '{slug}'" if slug else "")
        location = location[2:]
    elif location and location[0] == "source":
        source = raw.get("source")
        slug = source.get("slug") if isinstance(source, dict) else None
        record = "source" + (f" '{slug}'" if slug else "")
        location = location[1:]
    field = ".".join(str(part) for part in location)
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "missing":
        message = "is required but missing"
    elif detail["type"] == "extra_forbidden":
        message = "is not a known field"
    return Problem(name, record, f"{field}: {message}" if field else message)


def _duplicate_slugs(files: Iterable[ParsedFile]) -> list[Problem]:
    """Slugs name records across all files: the same slug twice is a mistake, unless an actor
    is declared identically in two files (each article may introduce the actors it needs)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], tuple[str, Any]] = {}
    for parsed in files:
        extraction = parsed.extraction
        collections: dict[str, Sequence[Any]] = {
            "sources": [extraction.source],
            "actors": extraction.actors,
            "agreements": extraction.agreements,
            "deployments": extraction.deployments,
            "events": extraction.events,
            "statements": extraction.statements,
        }
        for collection, records in collections.items():
            for record in records:
                key = (collection, record.slug)
                if key in seen:
                    first_file, first = seen[key]
                    if collection == "actors" and first == record:
                        continue
                    problems.append(
                        Problem(
                            parsed.name,
                            f"{collection} '{record.slug}'",
                            f"slug already used by another record in {first_file}",
                        )
                    )
                else:
                    seen[key] = (parsed.name, record)
    return problems
