"""Merging a duplicate actor into the one kept: everything that names the duplicate (as
speaker, mentioned, party, participant, partner, force, publisher, contributor, role holder
or role organization) names the kept actor instead, with no link stored twice; the
duplicate's row stays as a redirect (``replaced_by_id``) so its global ID keeps answering."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.db import models as m
from claimgraph.db.models.base import table_of

#: Links from a node to actors: (link table, its column for the node, the node's model).
LINKS: list[tuple[Table, str, Any]] = [
    (m.statement_mentions, "statement_id", m.Statement),
    (m.agreement_parties, "agreement_id", m.Agreement),
    (m.deployment_partners, "deployment_id", m.Deployment),
    (m.event_participants, "event_id", m.Event),
    (m.source_contributors, "source_id", m.Source),
]
#: Columns of nodes naming one actor: (model, column).
NAMED_BY: list[tuple[Any, str]] = [
    (m.Statement, "speaker_id"),
    (m.Deployment, "force_id"),
    (m.Source, "publisher_id"),
]


async def _move_link(
    session: AsyncSession, link: Table, parent: str, keep: int, dup: int
) -> set[int]:
    """Move a link table's rows from ``dup`` to ``keep`` (dropping those the kept actor has
    already); the ids of the nodes whose links changed."""
    parents = set(await session.scalars(select(link.c[parent]).where(link.c.actor_id == dup)))
    if not parents:
        return parents
    kept = select(link.c[parent]).where(link.c.actor_id == keep).scalar_subquery()
    await session.execute(delete(link).where(link.c.actor_id == dup, link.c[parent].in_(kept)))
    await session.execute(update(link).where(link.c.actor_id == dup).values(actor_id=keep))
    return parents


async def _move_column(
    session: AsyncSession, model: Any, column: str, keep: int, dup: int
) -> set[int]:
    table = table_of(model)
    moved = await session.execute(
        update(table).where(table.c[column] == dup).values({column: keep}).returning(table.c.id)
    )
    return {int(row_id) for (row_id,) in moved}


async def _move_roles(session: AsyncSession, keep: int, dup: int) -> set[int]:
    """The duplicate's roles, after the kept actor's; roles at the duplicate as their
    organization name the kept actor. The actors whose roles changed."""
    roles = table_of(m.Role)
    after = await session.scalar(select(func.max(roles.c.position)).where(roles.c.actor_id == keep))
    shift = 0 if after is None else int(after) + 1
    await session.execute(
        update(roles)
        .where(roles.c.actor_id == dup)
        .values(actor_id=keep, position=roles.c.position + shift)
    )
    holders = set(
        await session.scalars(
            update(roles)
            .where(roles.c.organization_id == dup)
            .values(organization_id=keep)
            .returning(roles.c.actor_id)
        )
    )
    return {int(holder) for holder in holders} - {keep, dup}


async def move_actor(session: AsyncSession, *, keep: int, duplicate: int) -> dict[Any, set[int]]:
    """Make everything that names ``duplicate`` name ``keep``, and ``duplicate`` a redirect to
    it (as are the actors merged into it before); model -> ids of the nodes that changed."""
    touched: dict[Any, set[int]] = {}
    for link, parent, model in LINKS:
        touched.setdefault(model, set()).update(
            await _move_link(session, link, parent, keep, duplicate)
        )
    for model, column in NAMED_BY:
        touched.setdefault(model, set()).update(
            await _move_column(session, model, column, keep, duplicate)
        )
    touched[m.Actor] = await _move_roles(session, keep, duplicate)
    actors = table_of(m.Actor)
    await session.execute(
        update(actors)
        .where((actors.c.id == duplicate) | (actors.c.replaced_by_id == duplicate))
        .values(replaced_by_id=keep)
    )
    return touched


def followed(type_name: str, slug: Any) -> Any:
    """The slug a global ID of ``type_name`` answers as (SQL): for an actor merged into
    another, the kept actor's; any other as it is."""
    if type_name != "Actor":
        return slug
    actors = table_of(m.Actor)
    named, kept = actors.alias("named_actor"), actors.alias("kept_actor")
    return (
        select(func.coalesce(kept.c.slug, named.c.slug))
        .select_from(named.outerjoin(kept, kept.c.id == named.c.replaced_by_id))
        .where(named.c.slug == slug)
        .scalar_subquery()
    )


async def visible_slugs(session: AsyncSession, model: Any, ids: Iterable[int]) -> list[str]:
    """The slugs of the nodes with these ids that reach the change feed (no drafts)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    query = select(model.slug).where(model.id.in_(wanted))
    if model is m.Statement:
        query = query.where(model.status != m.StatementStatus.DRAFT)
    return sorted(await session.scalars(query))
