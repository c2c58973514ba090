"""Loading extraction files into the database: validate everything, then upsert in one
transaction. Loading the same files twice changes nothing; records keep their slugs, and so
their global IDs, across reloads and engines.

The parts: ``references`` (the slugs a file names, and whether they are known), ``rows`` (what
each kind of record is stored as), ``sync`` (upserts, link lists and the change log),
``writer`` (a file's records in order) and ``report`` (what a load did).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from claimgraph.seed.loader.report import LoadReport
from claimgraph.seed.loader.writer import write_files
from claimgraph.seed.reader import extraction_paths, read_files

__all__ = ["LoadReport", "load_seed", "write_files"]


async def load_seed(
    engine: AsyncEngine, path: Path | None = None, *, now: dt.datetime | None = None
) -> LoadReport:
    """Validate the extraction files at ``path`` (default: the shipped seed), then write them
    in one transaction. Raises :class:`SeedError` (and writes nothing) on any problem."""
    files = read_files(extraction_paths(path))
    async with engine.begin() as connection:
        return await write_files(connection, files, now=now or dt.datetime.now(dt.UTC))
