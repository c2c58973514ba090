"""The desk's source and actor edits: a source added with its verbatim text (the server
computes its SHA-256), actors created and corrected against the revision read."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.mutations.checks import Checks, blank
from claimgraph.api.graphql.mutations.common import correction, save_update
from claimgraph.api.graphql.mutations.errors import UserErrorCode
from claimgraph.api.graphql.mutations.inputs import (
    AddSourceInput,
    CreateActorInput,
    UpdateActorInput,
)
from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.db.queries.edits import insert_node, replace_links, unique_slug
from claimgraph.db.queries.revisions import Revised
from claimgraph.seed.loader.rows import actor_row, source_row
from claimgraph.seed.schema import ActorSpec, SourceSpec

SOURCES, ACTORS = table_of(m.Source), table_of(m.Actor)


async def add_source(
    session: AsyncSession, data: AddSourceInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    publisher = await checks.node("Actor", data.publisher, "publisher") if data.publisher else None
    contributors = await checks.nodes("Actor", data.contributors, "contributors")
    digest = hashlib.sha256(data.text.encode()).hexdigest()
    spec = checks.spec(
        SourceSpec,
        {
            "slug": "desk",
            "kind": data.kind.name,
            "title": data.title,
            "text_file": "(sent to the API)",
            "content_sha256": digest,
            "url": data.url,
            "publisher": publisher.slug if publisher else None,
            "contributors": [actor.slug for actor in contributors],
            "published": data.published_on.spec(),
            "dateline": data.dateline,
            "language": data.language,
        },
        {"published": "publishedOn"},
    )
    if blank(data.text):
        checks.add(UserErrorCode.INVALID, "text: give the source's full text", "text")
    same = await session.scalar(select(m.Source.slug).where(m.Source.content_sha256 == digest))
    if same is not None:
        known = to_global_id("Source", same)
        checks.add(UserErrorCode.INVALID, f"text: this text is the source {known} already", "text")
    checks.done()
    assert spec is not None
    actor = {a.slug: a.id for a in [publisher, *contributors] if a is not None}
    row = source_row(spec, data.text, actor)
    row["slug"] = await unique_slug(session, table=SOURCES, words=data.title)
    source_id = await insert_node(
        session, SOURCES, row, revised=Revised(editor, data.reason), now=now
    )
    await replace_links(
        session,
        m.source_contributors,
        parent="source_id",
        parent_id=source_id,
        rows=[{"actor_id": a.id, "position": i} for i, a in enumerate(contributors)],
    )
    return m.Source, source_id


def _actor_spec(checks: Checks, values: dict[str, Any]) -> ActorSpec | None:
    if isinstance(values.get("country"), str):
        values["country"] = values["country"].upper()  # `iq` is `IQ`, as in filters
    return checks.spec(ActorSpec, values, {})


async def create_actor(
    session: AsyncSession, data: CreateActorInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    spec = _actor_spec(
        checks,
        {
            "slug": "desk",
            "name": data.name,
            "aliases": data.aliases,
            "kind": data.kind.name,
            "description": data.description,
            "country": data.country,
        },
    )
    checks.done()
    assert spec is not None
    row = actor_row(spec)
    row["slug"] = await unique_slug(session, table=ACTORS, words=spec.name)
    actor_id = await insert_node(
        session, ACTORS, row, revised=Revised(editor, data.reason), now=now
    )
    return m.Actor, actor_id


async def update_actor(
    session: AsyncSession, data: UpdateActorInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    row = await correction(checks, "Actor", data.id, data.expected_revision, data.reason)
    values: dict[str, Any] = {
        "slug": row.slug,
        "name": row.name,
        "aliases": list(row.aliases),
        "kind": row.kind,
        "description": row.description,
        "country": row.country,
    }
    for name in ("name", "aliases", "kind", "description", "country"):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            values[name] = value.name if name == "kind" and value is not None else value
    spec = _actor_spec(checks, values)
    checks.done()
    assert spec is not None
    revised = Revised(editor, data.reason)
    await save_update(
        session, row, actor_row(spec), expected=data.expected_revision, revised=revised, now=now
    )
    return m.Actor, row.id
