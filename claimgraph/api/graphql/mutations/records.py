"""The desk's agreement, deployment and event edits, created and corrected as actors are: each
checked as the seed record it would be (claimgraph.seed.schema: EDTF dates, vague or not;
countries ISO alpha-2 in either case), its actors named by IDs that must exist, every change a
revision with its fields before and after, and an entry in the change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import strawberry
from pydantic import BaseModel
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.mutations.checks import Checks, date_spec
from claimgraph.api.graphql.mutations.common import correction, row_values, save_update
from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.db.queries.edits import insert_node, replace_links, unique_slug
from claimgraph.db.queries.revisions import Revised
from claimgraph.seed.loader.rows import agreement_row, deployment_row, event_row
from claimgraph.seed.schema import AgreementSpec, DeploymentSpec, EventSpec


@dataclass(frozen=True)
class Kind:
    """How one kind of record is edited: its seed spec and row, and where its fields live."""

    type_name: str
    model: Any
    spec: type[BaseModel]
    to_row: Callable[[Any, Mapping[str, int]], dict[str, Any]]
    #: The spec field naming the words of its slug (``title``), or an actor's (``force``).
    words: str
    #: Its list of actors: spec field, link table, the link's column for the record.
    link: tuple[str, Table, str]
    #: Spec fields kept as they are, in their columns of the same name.
    plain: tuple[str, ...]
    #: Spec fields holding a fuzzy date -> their columns' prefix.
    dates: Mapping[str, str] = field(default_factory=dict)
    #: Spec fields naming one actor -> their column.
    actors: Mapping[str, str] = field(default_factory=dict)


KINDS = {
    "Agreement": Kind(
        "Agreement",
        m.Agreement,
        AgreementSpec,
        lambda spec, _: agreement_row(spec),
        "title",
        ("parties", m.agreement_parties, "agreement_id"),
        ("title", "summary", "status"),
        {"reported_on": "reported"},
    ),
    "Deployment": Kind(
        "Deployment",
        m.Deployment,
        DeploymentSpec,
        deployment_row,
        "force",
        ("partners", m.deployment_partners, "deployment_id"),
        ("country", "location", "personnel", "personnel_approximate", "operation", "mission"),
        {"as_of": "as_of"},
        {"force": "force_id"},
    ),
    "Event": Kind(
        "Event",
        m.Event,
        EventSpec,
        lambda spec, _: event_row(spec),
        "title",
        ("participants", m.event_participants, "event_id"),
        ("title", "kind", "location"),
        {"occurred_on": "occurred"},
    ),
}


def _given(value: Any) -> bool:
    return value is not strawberry.UNSET


async def _overlay(
    checks: Checks, kind: Kind, data: Any, values: dict[str, Any], actors: dict[str, Any]
) -> list[Any] | None:
    """Lay the fields ``data`` gives over ``values`` (a seed record's), resolving the actors
    it names into ``actors`` (slug -> row); the linked actors, when it gives them."""
    for name in kind.plain:
        value = getattr(data, name)
        if _given(value):
            values[name] = value.name if name == "status" and value is not None else value
    if isinstance(values.get("country"), str):
        values["country"] = values["country"].upper()  # `iq` is `IQ`, as in filters
    for name in kind.dates:
        value = getattr(data, name)
        if _given(value):
            values[name] = value.spec() if value is not None else None
    for name in kind.actors:
        value = getattr(data, name)
        if _given(value):
            actor = await checks.node("Actor", value or "", name)
            values[name] = actor.slug if actor else "unknown"
            actors.update({actor.slug: actor} if actor else {})
    linked = getattr(data, kind.link[0])
    if not _given(linked):
        return None
    rows = await checks.nodes("Actor", linked or [], kind.link[0])
    values[kind.link[0]] = [row.slug for row in rows]
    actors.update({row.slug: row for row in rows})
    return rows


async def create_record(
    session: AsyncSession, kind: Kind, data: Any, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    values: dict[str, Any] = {"slug": "desk"}
    actors: dict[str, Any] = {}
    linked = await _overlay(checks, kind, data, values, actors) or []
    spec = checks.spec(kind.spec, values, {})
    checks.done()
    assert spec is not None
    row = kind.to_row(spec, {slug: actor.id for slug, actor in actors.items()})
    words = getattr(spec, kind.words)
    if kind.words in kind.actors:  # a deployment: its force's name and the country
        words = f"{actors[words].name} {spec.country}"  # type: ignore[attr-defined]
    table = table_of(kind.model)
    row["slug"] = await unique_slug(session, table=table, words=words)
    name, link, column = kind.link
    after = [actor.slug for actor in linked]
    changes = [{"field": name, "before": [], "after": after}] if after else []
    record_id = await insert_node(
        session, table, row, revised=Revised(editor, data.reason, changes), now=now
    )
    await _write_link(session, link, column, record_id, linked)
    return kind.model, record_id


async def _write_link(
    session: AsyncSession, link: Table, column: str, record_id: int, actors: list[Any]
) -> None:
    rows = [{"actor_id": actor.id, "position": i} for i, actor in enumerate(actors)]
    await replace_links(session, link, parent=column, parent_id=record_id, rows=rows)


async def _current(session: AsyncSession, kind: Kind, row: Any) -> tuple[dict[str, Any], Any]:
    """A record as the seed record it is, and its actors (slug -> row)."""
    stored = row_values(row)
    values: dict[str, Any] = {"slug": row.slug}
    for name in kind.plain:
        value = stored[name]
        values[name] = value.name if name == "status" else value
    for name, prefix in kind.dates.items():
        values[name] = date_spec(prefix, stored)
    name, link, column = kind.link
    ids = [stored[c] for c in kind.actors.values()]
    linked = list(
        await session.scalars(
            select(link.c.actor_id).where(link.c[column] == row.id).order_by(link.c.position)
        )
    )
    found = {
        actor.id: actor
        for actor in await session.scalars(select(m.Actor).where(m.Actor.id.in_(ids + linked)))
    }
    for (field_name, column_name), actor_id in zip(kind.actors.items(), ids, strict=True):
        values[field_name] = found[stored[column_name]].slug if actor_id in found else None
    values[name] = [found[i].slug for i in linked]
    return values, {actor.slug: actor for actor in found.values()}


async def update_record(
    session: AsyncSession, kind: Kind, data: Any, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    row = await correction(checks, kind.type_name, data.id, data.expected_revision, data.reason)
    values, actors = await _current(session, kind, row)
    name, link, column = kind.link
    before = list(values[name])
    linked = await _overlay(checks, kind, data, values, actors)
    spec = checks.spec(kind.spec, values, {})
    checks.done()
    assert spec is not None
    new = kind.to_row(spec, {slug: actor.id for slug, actor in actors.items()})
    new["slug"] = row.slug
    changes = []
    if linked is not None and [a.slug for a in linked] != before:
        changes = [{"field": name, "before": before, "after": [a.slug for a in linked]}]
    relink = linked if changes else None  # (save_update adds the fields' changes to the list)
    revised = Revised(editor, data.reason, changes)
    expected = data.expected_revision
    saved = await save_update(session, row, new, expected=expected, revised=revised, now=now)
    if saved and relink is not None:
        await _write_link(session, link, column, row.id, relink)
    return kind.model, row.id


def writer(type_name: str, *, create: bool) -> Any:
    """The edit (create or update) of one kind of record, as the Mutation type runs it."""
    kind = KINDS[type_name]
    write = create_record if create else update_record

    async def edit(
        session: AsyncSession, data: Any, editor: str, now: dt.datetime
    ) -> tuple[type[Any], int]:
        return await write(session, kind, data, editor, now)

    return edit
