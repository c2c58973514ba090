"""The desk merges a duplicate actor into the one it keeps (ADMIN scope): the duplicate's
statements, roles and links move to the kept actor, which takes its names as aliases; the
duplicate stays as a redirect, so ``node(id:)`` with its ID answers the kept actor. Both
actors get a revision with the reason; the feed records the duplicate DELETED, the kept
actor and every record that now names it UPDATED."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.mutations.checks import Checks, blank
from claimgraph.api.graphql.mutations.common import save_update
from claimgraph.api.graphql.mutations.errors import UserErrorCode
from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.db.queries.merges import move_actor, visible_slugs
from claimgraph.db.queries.revisions import NODE_TYPES, Revised, log_changes


@strawberry.input(description="Merge a duplicate actor into the actor kept.")
class MergeActorsInput:
    keep: strawberry.ID = strawberry.field(description="The actor kept.")
    duplicate: strawberry.ID = strawberry.field(
        description="The duplicate: its statements, roles and links move to the kept actor, "
        "and its ID answers the kept actor from now on."
    )
    reason: str = strawberry.field(description="Why they are one actor: the edit summary.")


async def _actors(checks: Checks, data: MergeActorsInput) -> tuple[m.Actor, m.Actor]:
    keep = await checks.node("Actor", data.keep, "keep")
    duplicate = await checks.node("Actor", data.duplicate, "duplicate")
    if blank(data.reason):
        checks.add(UserErrorCode.INVALID, "reason: say why they are one actor", "reason")
    checks.done()
    assert keep is not None
    assert duplicate is not None
    if keep.id == duplicate.id:
        checks.add(
            UserErrorCode.INVALID, "duplicate: an actor cannot merge into itself", "duplicate"
        )
    for actor, name in ((keep, "keep"), (duplicate, "duplicate")):
        if actor.replaced_by_id is not None:
            checks.add(
                UserErrorCode.INVALID,
                f"{name}: {to_global_id('Actor', actor.slug)} was merged into another actor "
                "already; name that one",
                name,
            )
    checks.done()
    return keep, duplicate


async def merge_actors(
    session: AsyncSession, data: MergeActorsInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    keep, duplicate = await _actors(Checks(session), data)
    touched = await move_actor(session, keep=keep.id, duplicate=duplicate.id)
    names = [keep.name, *keep.aliases]
    aliases = list(keep.aliases) + [
        name for name in dict.fromkeys([duplicate.name, *duplicate.aliases]) if name not in names
    ]
    merged = {"field": "mergedFrom", "before": None, "after": duplicate.slug}
    await save_update(
        session,
        keep,
        {"aliases": aliases},
        expected=keep.revision,
        revised=Revised(editor, data.reason, [merged]),
        now=now,
    )
    actors = table_of(m.Actor)
    await session.execute(
        update(actors)
        .where(actors.c.id == keep.id)
        .values(search_names="\n".join([keep.name, *aliases]))
    )
    replaced = {"field": "replacedBy", "before": None, "after": keep.slug}
    await save_update(
        session,
        duplicate,
        {},
        expected=duplicate.revision,
        revised=Revised(editor, data.reason, [replaced]),
        now=now,
        kind=m.ChangeKind.DELETED,
    )
    changed = {}
    for model, ids in touched.items():
        node_type = NODE_TYPES[table_of(model).name]
        for slug in await visible_slugs(session, model, ids - {keep.id, duplicate.id}):
            changed[(node_type, slug)] = m.ChangeKind.UPDATED
    await log_changes(session, changed, now=now)
    return m.Actor, keep.id
