"""``claimgraph ingest``: read an article, extract, write the draft. Every check runs before
anything is written."""

from __future__ import annotations

import asyncio
from pathlib import Path

from claimgraph.extract.draft_file import write_draft
from claimgraph.extract.errors import ExtractError, decode_text, parse_published
from claimgraph.extract.extractor import extract
from claimgraph.extract.known import from_database, from_files
from claimgraph.extract.model import Draft, KnownActor


def known_actors(actors: Path | None) -> tuple[KnownActor, ...]:
    """From extraction files when given, else from the database (DATABASE_URL), read-only."""
    if actors is not None:
        return from_files(actors)
    from claimgraph.db.engine import create_engine

    async def read() -> tuple[KnownActor, ...]:
        engine = create_engine()
        try:
            return await from_database(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(read())
    except Exception as error:  # the driver's own errors: no file, no table, no server
        raise ExtractError(
            f"DATABASE_URL: cannot read the known actors ({type(error).__name__}: {error}); "
            "run `claimgraph db upgrade` and `claimgraph seed load`, or pass --actors FILE"
        ) from error


def read_draft(
    text_file: Path, *, published: str, publisher: str, title: str | None, actors: Path | None
) -> Draft:
    """Extract ``text_file``; raise ExtractError on bad input. Writes nothing."""
    try:
        data = text_file.read_bytes()
    except OSError as error:
        raise ExtractError(f"{text_file}: cannot be read ({error.strerror})") from error
    text = decode_text(data, str(text_file))
    day = parse_published(published)
    return extract(
        text, published=day, publisher=publisher, known_actors=known_actors(actors), title=title
    )


def ingest(
    text_file: Path,
    *,
    url: str,
    published: str,
    publisher: str,
    title: str | None,
    out: Path,
    actors: Path | None,
) -> tuple[Draft, Path, Path]:
    """Extract ``text_file`` and write the draft into ``out``; raise ExtractError on bad input."""
    draft = read_draft(
        text_file, published=published, publisher=publisher, title=title, actors=actors
    )
    text_path, yaml_path = write_draft(draft, out, url=url)
    return draft, text_path, yaml_path
