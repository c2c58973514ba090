"""Known actors: from the database (read-only) or from extraction files in the seed format,
so the extractor links speakers to the slugs that already exist."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from claimgraph.db import models as m
from claimgraph.db.models.enums import ActorKind
from claimgraph.extract.model import KnownActor
from claimgraph.seed.reader import extraction_paths, read_files
from claimgraph.seed.schema import ExtractionFile


def from_extraction(
    extraction: ExtractionFile, only: Iterable[str] | None = None
) -> tuple[KnownActor, ...]:
    """The actors an extraction file declares (only those in ``only``, when given)."""
    wanted = set(only) if only is not None else None
    return tuple(
        KnownActor(a.slug, a.name, a.kind, tuple(a.aliases), tuple(r.title for r in a.roles))
        for a in extraction.actors
        if wanted is None or a.slug in wanted
    )


def from_files(path: Path) -> tuple[KnownActor, ...]:
    """Every actor declared in the extraction files at ``path`` (a file or a folder)."""
    seen: dict[str, KnownActor] = {}
    for parsed in read_files(extraction_paths(path)):
        for actor in from_extraction(parsed.extraction):
            seen.setdefault(actor.slug, actor)
    return tuple(seen.values())


async def from_database(engine: AsyncEngine) -> tuple[KnownActor, ...]:
    """Every actor in the database (but merged ones) with its role titles, in slug order.
    Only reads."""
    async with engine.connect() as connection:
        return await from_connection(connection)


async def from_connection(connection: AsyncConnection) -> tuple[KnownActor, ...]:
    """:func:`from_database` on an open connection (a mutation's, in its transaction)."""
    a = m.Actor
    actors = (
        await connection.execute(
            select(a.id, a.slug, a.name, a.kind, a.aliases)
            .where(a.replaced_by_id.is_(None))  # a merged actor's names are its keeper's
            .order_by(a.slug)
        )
    ).all()
    roles = (
        await connection.execute(
            select(m.Role.actor_id, m.Role.title).order_by(m.Role.actor_id, m.Role.position)
        )
    ).all()
    titles: dict[int, list[str]] = {}
    for actor_id, title in roles:
        titles.setdefault(actor_id, []).append(title)
    return tuple(
        KnownActor(slug, name, ActorKind(kind), tuple(aliases or ()), tuple(titles.get(id_, ())))
        for id_, slug, name, kind, aliases in actors
    )
