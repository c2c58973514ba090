"""Batch loads for the API's per-request DataLoaders: one statement per batch, results in
the order of the keys they were asked for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import FromClause, Table, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.db import models as m
from claimgraph.db.models.base import col
from claimgraph.db.queries.pagination import SqlColumn
from claimgraph.db.queries.visibility import relation_shown, shown

M = TypeVar("M", bound=m.Base)


async def rows_by_ids(
    session: AsyncSession, *, model: type[M], ids: Sequence[int]
) -> list[M | None]:
    """The rows of ``model`` with these ids, None where there is none."""
    found = {row.id: row for row in await session.scalars(select(model).where(model.id.in_(ids)))}  # type: ignore[attr-defined]
    return [found.get(id_) for id_ in ids]


async def rows_by_slugs(
    session: AsyncSession, *, model: type[M], slugs: Sequence[str]
) -> list[M | None]:
    """The rows of ``model`` with these slugs, None where there is none."""
    query = select(model).where(model.slug.in_(slugs))  # type: ignore[attr-defined]
    if model is m.Statement:  # a draft only to an editor (claimgraph.db.queries.visibility)
        query = query.where(shown(m.Statement.status))
    rows = await session.scalars(query)
    found = {row.slug: row for row in rows}  # type: ignore[attr-defined]  # slugged models only
    return [found.get(slug) for slug in slugs]


def link_order(link: FromClause, order_by: Sequence[SqlColumn]) -> list[SqlColumn]:
    """How a linked list is sorted, before its rows' ids break ties: by the link's
    ``position`` when it has one (the curator's order), else by ``order_by``."""
    return [link.c.position] if "position" in link.c else list(order_by)


async def linked_rows(
    session: AsyncSession,
    *,
    link: Table,
    parent: str,
    child: str,
    model: type[M],
    parent_ids: Sequence[int],
    order_by: Sequence[SqlColumn] = (),
) -> list[list[M]]:
    """For each parent, the ``model`` rows a link table joins it to (in link order when the
    link has a ``position``, else in ``order_by`` then id order)."""
    query = (
        select(link.c[parent], model)
        .join(link, link.c[child] == model.id)  # type: ignore[attr-defined]
        .where(link.c[parent].in_(parent_ids))
        .order_by(link.c[parent], *link_order(link, order_by), model.id)  # type: ignore[attr-defined]
    )
    if model is m.Statement:  # evidence: a draft only to an editor
        query = query.where(shown(m.Statement.status))
    grouped: dict[int, list[M]] = defaultdict(list)
    for key, row in (await session.execute(query)).all():
        grouped[key].append(row)
    return [grouped.get(key, []) for key in parent_ids]


async def child_rows(
    session: AsyncSession,
    *,
    model: type[M],
    parent: SqlColumn,
    parent_ids: Sequence[int],
    order_by: Sequence[SqlColumn],
) -> list[list[M]]:
    """For each parent, its ``model`` rows (roles of an actor, terms of an agreement)."""
    query = select(parent, model).where(parent.in_(parent_ids)).order_by(parent, *order_by)
    grouped: dict[int, list[M]] = defaultdict(list)
    for key, row in (await session.execute(query)).all():
        grouped[key].append(row)
    return [grouped.get(key, []) for key in parent_ids]


async def relations_of(
    session: AsyncSession, *, statement_ids: Sequence[int]
) -> list[list[tuple[m.StatementRelation, bool]]]:
    """For each statement, its relations from either end, as (relation, outgoing)."""
    relation = m.StatementRelation
    query = (
        select(relation)
        .where(or_(relation.subject_id.in_(statement_ids), relation.object_id.in_(statement_ids)))
        .where(relation_shown(relation.subject_id, relation.object_id))
        .order_by(relation.kind, relation.id)
    )
    grouped: dict[int, list[tuple[m.StatementRelation, bool]]] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[row.subject_id].append((row, True))
        grouped[row.object_id].append((row, False))
    return [grouped.get(key, []) for key in statement_ids]


async def deployments_of_actors(
    session: AsyncSession, *, actor_ids: Sequence[int]
) -> list[list[m.Deployment]]:
    """For each actor, the deployments it is the force of or a partner in."""
    deployment = m.Deployment
    partner = m.deployment_partners
    involved = union_all(
        select(deployment.force_id.label("actor_id"), deployment.id.label("deployment_id")).where(
            deployment.force_id.in_(actor_ids)
        ),
        select(partner.c.actor_id, partner.c.deployment_id).where(
            partner.c.actor_id.in_(actor_ids)
        ),
    ).subquery()
    query = (
        select(involved.c.actor_id, deployment)
        .join(involved, involved.c.deployment_id == deployment.id)
        .distinct()
        .order_by(involved.c.actor_id, col(deployment, "as_of_earliest"), deployment.id)
    )
    grouped: dict[int, list[m.Deployment]] = defaultdict(list)
    for key, row in (await session.execute(query)).all():
        grouped[key].append(row)
    return [grouped.get(key, []) for key in actor_ids]
