"""Bulk export: every record of a type as one flat dictionary with its links, streamed in id
order a batch at a time.

Rows come through a server-side cursor (``AsyncConnection.stream`` with ``yield_per``), and
the link tables are read once per batch of rows (``WHERE parent_id IN (…batch…)``), never once
per row, so memory holds one batch whatever the size of the corpus and the statement count
grows with the number of batches only. The same record builders answer the change feed's
``record`` field (:func:`records_by_slugs`), so a record reads the same in both places.

References to other nodes are made by the caller's ``ref(node_type, slug)`` (the API passes
its global-ID encoder): this module stays below the API and knows no ID format.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.db import models as m

#: How many rows one batch holds: the unit of memory and of link-table reads.
BATCH_SIZE = 500

#: (node type, slug) -> the reference written in a record.
Ref = Callable[[str, str], str]
Record = dict[str, Any]


def _table(model: type[m.Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


SOURCES = _table(m.Source)
STATEMENTS = _table(m.Statement)
ACTORS = _table(m.Actor)
AGREEMENTS = _table(m.Agreement)
DEPLOYMENTS = _table(m.Deployment)
EVENTS = _table(m.Event)
ROLES = _table(m.Role)
TERMS = _table(m.AgreementTerm)
RELATIONS = _table(m.StatementRelation)

_FUZZY_PARTS = ("edtf", "earliest", "latest", "precision", "approximate", "uncertain")


def _plain(value: Any) -> Any:
    """A column value as JSON-ready data: enums by name, dates and times in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, dt.date):  # datetimes too (UTC, with offset)
        return value.isoformat()
    return value


def fuzzy(row: Row[Any], prefix: str) -> dict[str, Any] | None:
    """The fuzzy date stored in ``<prefix>_*`` columns, as the API's FuzzyDate reads
    (None when the date is not given)."""
    data = row._mapping
    if data[f"{prefix}_edtf"] is None:
        return None
    value = {part: _plain(data[f"{prefix}_{part}"]) for part in _FUZZY_PARTS}
    value["phrase"] = data[f"{prefix}_phrase"]
    value["anchor"] = data[f"{prefix}_anchor"]
    return value


def _times(row: Row[Any]) -> dict[str, Any]:
    return {
        "recordedAt": _plain(row.recorded_at),
        "updatedAt": _plain(row.updated_at),
    }


# -- links, read once per batch -----------------------------------------------------------


async def _grouped(
    conn: AsyncConnection,
    query: Select[Any],
    *,
    key: Callable[[Row[Any]], int] = lambda row: int(row[0]),
    convert: Callable[[Row[Any]], Any] = lambda row: row,
) -> dict[int, list[Any]]:
    """Rows of ``query`` grouped by parent id (``key``; by default the first column), in
    the query's order."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in await conn.execute(query):
        grouped[key(row)].append(convert(row))
    return grouped


async def _linked_slugs(
    conn: AsyncConnection,
    *,
    link: Table,
    parent: str,
    child: str,
    target: Table,
    parent_ids: Sequence[int],
    order_by: Sequence[ColumnElement[Any]] = (),
) -> dict[int, list[str]]:
    """For each parent, the slugs of the ``target`` rows a link table joins it to: in link
    order when the link has a ``position``, else in ``order_by`` then id order (as the API
    lists them)."""
    ordering = [link.c.position] if "position" in link.c else list(order_by)
    query = (
        select(link.c[parent], target.c.slug)
        .join(target, target.c.id == link.c[child])
        .where(link.c[parent].in_(parent_ids))
        .order_by(link.c[parent], *ordering, target.c.id)
    )
    return await _grouped(conn, query, convert=lambda row: row.slug)


async def _evidence(
    conn: AsyncConnection, *, link: Table, key: str, child_ids: Sequence[int]
) -> dict[int, list[str]]:
    """For each role or term, the slugs of the statements that evidence it (by when said).
    Asked even for no roles or terms, so a batch's statement count depends on its types only."""
    return await _linked_slugs(
        conn,
        link=link,
        parent=key,
        child="statement_id",
        target=STATEMENTS,
        parent_ids=child_ids,
        order_by=[STATEMENTS.c.said_earliest, STATEMENTS.c.said_latest],
    )


# -- one builder per type -------------------------------------------------------------------


def _statements_query() -> Select[Any]:
    speaker = ACTORS.alias("speaker")
    text = SOURCES.c.text
    start, end = STATEMENTS.c.excerpt_start, STATEMENTS.c.excerpt_end
    return (
        select(
            STATEMENTS,
            speaker.c.slug.label("speaker_slug"),
            SOURCES.c.slug.label("source_slug"),
            # The passage itself, cut in SQL (offsets count code points on every engine), so
            # a batch never carries whole source texts.
            func.substr(text, start + 1, end - start).label("excerpt_text"),
        )
        .join(speaker, speaker.c.id == STATEMENTS.c.speaker_id)
        .join(SOURCES, SOURCES.c.id == STATEMENTS.c.source_id)
    )


async def _statement_records(
    conn: AsyncConnection, rows: Sequence[Row[Any]], ref: Ref
) -> list[Record]:
    ids = [row.id for row in rows]
    mentions = await _linked_slugs(
        conn,
        link=m.statement_mentions,
        parent="statement_id",
        child="actor_id",
        target=ACTORS,
        parent_ids=ids,
        order_by=[ACTORS.c.name],
    )
    agreements = await _linked_slugs(
        conn,
        link=m.statement_agreements,
        parent="statement_id",
        child="agreement_id",
        target=AGREEMENTS,
        parent_ids=ids,
        order_by=[AGREEMENTS.c.title],
    )
    deployments = await _linked_slugs(
        conn,
        link=m.statement_deployments,
        parent="statement_id",
        child="deployment_id",
        target=DEPLOYMENTS,
        parent_ids=ids,
    )
    events = await _linked_slugs(
        conn,
        link=m.statement_events,
        parent="statement_id",
        child="event_id",
        target=EVENTS,
        parent_ids=ids,
        order_by=[EVENTS.c.occurred_earliest, EVENTS.c.occurred_latest],
    )
    relations = await _outgoing_relations(conn, ids, ref)
    records = []
    for row in rows:
        records.append(
            {
                "id": ref("Statement", row.slug),
                "type": "Statement",
                "speaker": ref("Actor", row.speaker_slug),
                "speakerRole": row.speaker_role,
                "mode": _plain(row.mode),
                "claim": row.claim,
                "quote": row.quote,
                "source": ref("Source", row.source_slug),
                "excerpt": {
                    "start": row.excerpt_start,
                    "end": row.excerpt_end,
                    "text": row.excerpt_text,
                },
                "channel": row.channel,
                "saidOn": fuzzy(row, "said"),
                "reportedOn": fuzzy(row, "reported"),
                "relations": relations.get(row.id, []),
                "mentions": [ref("Actor", s) for s in mentions.get(row.id, [])],
                "agreements": [ref("Agreement", s) for s in agreements.get(row.id, [])],
                "deployments": [ref("Deployment", s) for s in deployments.get(row.id, [])],
                "events": [ref("Event", s) for s in events.get(row.id, [])],
                **_times(row),
            }
        )
    return records


async def _outgoing_relations(
    conn: AsyncConnection, ids: Sequence[int], ref: Ref
) -> dict[int, list[dict[str, Any]]]:
    """For each statement, the relations it is the subject of (each relation is stored once,
    so exporting the subject's side exports every relation exactly once)."""
    other = STATEMENTS.alias("object")
    # The source whose extraction file declares the relation: its provenance.
    declaring = SOURCES.alias("declared_in")
    query = (
        select(
            RELATIONS.c.subject_id,
            RELATIONS.c.kind,
            other.c.slug.label("object_slug"),
            RELATIONS.c.note,
            declaring.c.slug.label("declared_in_slug"),
        )
        .join(other, other.c.id == RELATIONS.c.object_id)
        .join(declaring, declaring.c.id == RELATIONS.c.declared_in_id)
        .where(RELATIONS.c.subject_id.in_(ids))
        .order_by(RELATIONS.c.subject_id, RELATIONS.c.kind, RELATIONS.c.id)
    )

    def convert(row: Row[Any]) -> dict[str, Any]:
        return {
            "kind": _plain(row.kind),
            "object": ref("Statement", row.object_slug),
            "note": row.note,
            "declaredIn": ref("Source", row.declared_in_slug),
        }

    return await _grouped(conn, query, convert=convert)


def _actors_query() -> Select[Any]:
    return select(ACTORS)


async def _actor_records(conn: AsyncConnection, rows: Sequence[Row[Any]], ref: Ref) -> list[Record]:
    ids = [row.id for row in rows]
    organization = ACTORS.alias("organization")
    role_rows = await _grouped(
        conn,
        select(ROLES, organization.c.slug.label("organization_slug"))
        .outerjoin(organization, organization.c.id == ROLES.c.organization_id)
        .where(ROLES.c.actor_id.in_(ids))
        .order_by(ROLES.c.actor_id, ROLES.c.position, ROLES.c.id),
        key=lambda row: int(row.actor_id),
    )
    role_ids = [role.id for roles in role_rows.values() for role in roles]
    evidence = await _evidence(conn, link=m.role_evidence, key="role_id", child_ids=role_ids)
    return [
        {
            "id": ref("Actor", row.slug),
            "type": "Actor",
            "name": row.name,
            "aliases": list(row.aliases),
            "kind": _plain(row.kind),
            "description": row.description,
            "country": row.country,
            "roles": [
                {
                    "title": role.title,
                    "organization": (
                        None
                        if role.organization_slug is None
                        else ref("Actor", role.organization_slug)
                    ),
                    "period": fuzzy(role, "period"),
                    "evidence": [ref("Statement", s) for s in evidence.get(role.id, [])],
                }
                for role in role_rows.get(row.id, [])
            ],
            **_times(row),
        }
        for row in rows
    ]


def _agreements_query() -> Select[Any]:
    return select(AGREEMENTS)


async def _agreement_records(
    conn: AsyncConnection, rows: Sequence[Row[Any]], ref: Ref
) -> list[Record]:
    ids = [row.id for row in rows]
    parties = await _linked_slugs(
        conn,
        link=m.agreement_parties,
        parent="agreement_id",
        child="actor_id",
        target=ACTORS,
        parent_ids=ids,
    )
    term_rows = await _grouped(
        conn,
        select(TERMS)
        .where(TERMS.c.agreement_id.in_(ids))
        .order_by(TERMS.c.agreement_id, TERMS.c.position, TERMS.c.id),
        key=lambda row: int(row.agreement_id),
    )
    term_ids = [term.id for terms in term_rows.values() for term in terms]
    evidence = await _evidence(conn, link=m.term_evidence, key="term_id", child_ids=term_ids)
    return [
        {
            "id": ref("Agreement", row.slug),
            "type": "Agreement",
            "title": row.title,
            "summary": row.summary,
            "status": _plain(row.status),
            "reportedOn": fuzzy(row, "reported"),
            "parties": [ref("Actor", s) for s in parties.get(row.id, [])],
            "terms": [
                {
                    "description": term.description,
                    "due": fuzzy(term, "due"),
                    "evidence": [ref("Statement", s) for s in evidence.get(term.id, [])],
                }
                for term in term_rows.get(row.id, [])
            ],
            **_times(row),
        }
        for row in rows
    ]


def _deployments_query() -> Select[Any]:
    force = ACTORS.alias("force")
    return select(DEPLOYMENTS, force.c.slug.label("force_slug")).join(
        force, force.c.id == DEPLOYMENTS.c.force_id
    )


async def _deployment_records(
    conn: AsyncConnection, rows: Sequence[Row[Any]], ref: Ref
) -> list[Record]:
    partners = await _linked_slugs(
        conn,
        link=m.deployment_partners,
        parent="deployment_id",
        child="actor_id",
        target=ACTORS,
        parent_ids=[row.id for row in rows],
    )
    return [
        {
            "id": ref("Deployment", row.slug),
            "type": "Deployment",
            "force": ref("Actor", row.force_slug),
            "country": row.country,
            "location": row.location,
            "personnel": row.personnel,
            "personnelApproximate": row.personnel_approximate,
            "asOf": fuzzy(row, "as_of"),
            "operation": row.operation,
            "mission": row.mission,
            "partners": [ref("Actor", s) for s in partners.get(row.id, [])],
            **_times(row),
        }
        for row in rows
    ]


def _events_query() -> Select[Any]:
    return select(EVENTS)


async def _event_records(conn: AsyncConnection, rows: Sequence[Row[Any]], ref: Ref) -> list[Record]:
    participants = await _linked_slugs(
        conn,
        link=m.event_participants,
        parent="event_id",
        child="actor_id",
        target=ACTORS,
        parent_ids=[row.id for row in rows],
    )
    return [
        {
            "id": ref("Event", row.slug),
            "type": "Event",
            "title": row.title,
            "kind": row.kind,
            "occurredOn": fuzzy(row, "occurred"),
            "location": row.location,
            "participants": [ref("Actor", s) for s in participants.get(row.id, [])],
            **_times(row),
        }
        for row in rows
    ]


def _sources_query() -> Select[Any]:
    publisher = ACTORS.alias("publisher")
    return select(SOURCES, publisher.c.slug.label("publisher_slug")).outerjoin(
        publisher, publisher.c.id == SOURCES.c.publisher_id
    )


async def _source_records(
    conn: AsyncConnection, rows: Sequence[Row[Any]], ref: Ref
) -> list[Record]:
    contributors = await _linked_slugs(
        conn,
        link=m.source_contributors,
        parent="source_id",
        child="actor_id",
        target=ACTORS,
        parent_ids=[row.id for row in rows],
    )
    return [
        {
            "id": ref("Source", row.slug),
            "type": "Source",
            "kind": _plain(row.kind),
            "title": row.title,
            "url": row.url,
            "publisher": None if row.publisher_slug is None else ref("Actor", row.publisher_slug),
            "contributors": [ref("Actor", s) for s in contributors.get(row.id, [])],
            "publishedOn": fuzzy(row, "published"),
            "dateline": row.dateline,
            "language": row.language,
            "text": row.text,
            "contentSha256": row.content_sha256,
            **_times(row),
        }
        for row in rows
    ]


# -- the catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportType:
    """One exported type: its file name, node type, rows and record builder."""

    name: str
    node_type: str
    table: Table
    query: Callable[[], Select[Any]]
    build: Callable[[AsyncConnection, Sequence[Row[Any]], Ref], Awaitable[list[Record]]]
    #: The record's keys in order (CSV columns).
    fields: tuple[str, ...]
    #: Rows per batch: fewer for sources, whose full texts make each row large.
    batch_size: int = BATCH_SIZE


def _fields(names: str) -> tuple[str, ...]:
    return (*names.split(), "recordedAt", "updatedAt")


#: Every exported type, in the order ``all`` writes them (referenced before referring).
EXPORT_TYPES: dict[str, ExportType] = {
    export.name: export
    for export in (
        ExportType(
            name="actors",
            node_type="Actor",
            table=ACTORS,
            query=_actors_query,
            build=_actor_records,
            fields=_fields("id type name aliases kind description country roles"),
        ),
        ExportType(
            name="sources",
            node_type="Source",
            table=SOURCES,
            query=_sources_query,
            build=_source_records,
            fields=_fields(
                "id type kind title url publisher contributors publishedOn dateline language "
                "text contentSha256"
            ),
            batch_size=50,
        ),
        ExportType(
            name="agreements",
            node_type="Agreement",
            table=AGREEMENTS,
            query=_agreements_query,
            build=_agreement_records,
            fields=_fields("id type title summary status reportedOn parties terms"),
        ),
        ExportType(
            name="deployments",
            node_type="Deployment",
            table=DEPLOYMENTS,
            query=_deployments_query,
            build=_deployment_records,
            fields=_fields(
                "id type force country location personnel personnelApproximate asOf operation "
                "mission partners"
            ),
        ),
        ExportType(
            name="events",
            node_type="Event",
            table=EVENTS,
            query=_events_query,
            build=_event_records,
            fields=_fields("id type title kind occurredOn location participants"),
        ),
        ExportType(
            name="statements",
            node_type="Statement",
            table=STATEMENTS,
            query=_statements_query,
            build=_statement_records,
            fields=_fields(
                "id type speaker speakerRole mode claim quote source excerpt channel saidOn "
                "reportedOn relations mentions agreements deployments events"
            ),
        ),
    )
}

#: Node type ("Statement") -> its export.
BY_NODE_TYPE = {export.node_type: export for export in EXPORT_TYPES.values()}


async def stream_records(
    conn: AsyncConnection, name: str, *, ref: Ref, batch_size: int | None = None
) -> AsyncGenerator[list[Record], None]:
    """Every record of the export ``name``, in id order, a batch at a time.

    ``conn`` must be in a transaction (a server-side cursor lives in one); run every type of
    one export in the same transaction and they are one consistent snapshot.
    """
    export = EXPORT_TYPES[name]
    batch_size = batch_size or export.batch_size
    query = export.query().order_by(export.table.c.id).execution_options(yield_per=batch_size)
    result = await conn.stream(query)
    try:
        async for rows in result.partitions(batch_size):
            yield await export.build(conn, rows, ref)
    finally:
        await result.close()


async def records_by_slugs(
    conn: AsyncConnection, node_type: str, slugs: Iterable[str], *, ref: Ref
) -> dict[str, Record]:
    """The records of the nodes of ``node_type`` with these slugs, by slug (absent where no
    such node exists), built exactly as the export builds them."""
    export = BY_NODE_TYPE[node_type]
    wanted = sorted(set(slugs))
    found: dict[str, Record] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start : start + BATCH_SIZE]
        rows = (await conn.execute(export.query().where(export.table.c.slug.in_(chunk)))).all()
        slug_of = {row.id: row.slug for row in rows}
        records = await export.build(conn, rows, ref)
        found.update((slug_of[row.id], record) for row, record in zip(rows, records, strict=True))
    return found
