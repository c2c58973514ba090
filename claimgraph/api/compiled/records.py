"""The bulk export's records, built by the database from the same field declarations as the
GraphQL answers (claimgraph.api.fields), so a field reads the same in both.

A record is a node's fields by their GraphQL names, with references to other nodes as global
IDs (``"speaker": "<id>"``, ``"mentions": ["<id>", …]``) instead of nested objects, and the
objects a node owns (its dates, excerpt, roles, terms) nested whole. Each type's record
lists its keys here, in the order partners read them (and CSV files write them); what each
key means comes from its declaration. One SQL statement builds every record of a type, a
line of JSON a row, so the server only forwards what the database wrote.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLField, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, get_named_type
from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection

from claimgraph.api.compiled.json_sql import JsonSql
from claimgraph.api.compiled.sql import Level, Rows, Scope, SqlBuilder, SqlValue
from claimgraph.api.fields import (
    Children,
    Column,
    Custom,
    Embedded,
    GlobalId,
    Linked,
    One,
    declaration_of,
    key_column,
)
from claimgraph.api.links import CHILDREN, NODE_MODELS
from claimgraph.db import models as m
from claimgraph.db.queries.visibility import exported

#: How many rows one batch holds: the unit of memory while streaming.
BATCH_SIZE = 500


@dataclass(frozen=True)
class RecordType:
    """One exported type: its file name, node type, the keys its records began with (in the
    order partners read them), and how many records a batch holds (fewer for sources, whose
    full texts make each record large). Fields added later join the record by themselves
    (:func:`record_keys`)."""

    name: str
    node_type: str
    first_keys: tuple[str, ...]
    batch_size: int = BATCH_SIZE


def _keys(names: str) -> tuple[str, ...]:
    return ("id", "type", *names.split())


_TIMES = ("recordedAt", "updatedAt")

#: Fields that records leave out, and why; every other field is in its type's record.
LEFT_OUT: dict[tuple[str, str], str] = {
    ("Actor", "statements"): "each statement names its speaker",
    ("Actor", "mentionedIn"): "each statement lists the actors it mentions",
    ("Actor", "agreements"): "each agreement lists its parties",
    ("Actor", "deployments"): "each deployment names its force and partners",
    ("Source", "statements"): "each statement names its source",
    ("Agreement", "statements"): "each statement lists its agreements",
    ("Deployment", "evidence"): "each statement lists its deployments",
    ("Event", "evidence"): "each statement lists its events",
    ("Statement", "jsonLd"): "a document made from the record, served at /statements/{id}.jsonld",
    **{
        (node_type, "history"): "the export holds records as they stand; each record's "
        "history is read through the API (`history`)"
        for node_type in ("Actor", "Agreement", "Deployment", "Event", "Source", "Statement")
    },
}


def record_keys(schema: GraphQLSchema, name: str) -> tuple[str, ...]:
    """The keys of a type's records: the first ones in their order, every field declared
    since (in declaration order), then when it was recorded and updated."""
    record_type = RECORD_TYPES[name]
    object_type = schema.get_type(record_type.node_type)
    assert isinstance(object_type, GraphQLObjectType)
    later = [
        field
        for field in object_type.fields
        if field not in record_type.first_keys
        and field not in _TIMES
        and (record_type.node_type, field) not in LEFT_OUT
    ]
    return (*record_type.first_keys, *later, *_TIMES)


#: Every exported type, in the order ``all`` writes them (referenced before referring).
RECORD_TYPES: dict[str, RecordType] = {
    record.name: record
    for record in (
        RecordType("actors", "Actor", _keys("name aliases kind description country roles")),
        RecordType(
            "sources",
            "Source",
            _keys(
                "kind title url publisher contributors publishedOn dateline language text "
                "contentSha256"
            ),
            batch_size=50,
        ),
        RecordType(
            "agreements", "Agreement", _keys("title summary status reportedOn parties terms")
        ),
        RecordType(
            "deployments",
            "Deployment",
            _keys(
                "force country location personnel personnelApproximate asOf operation mission "
                "partners"
            ),
        ),
        RecordType("events", "Event", _keys("title kind occurredOn location participants")),
        RecordType(
            "statements",
            "Statement",
            _keys(
                "speaker speakerRole mode claim quote source excerpt channel saidOn reportedOn "
                "relations mentions agreements deployments events"
            ),
        ),
    )
}

#: Node type ("Statement") -> its record type.
BY_NODE_TYPE = {record.node_type: record for record in RECORD_TYPES.values()}

#: The keys of the objects records nest, in order.
NESTED: dict[str, tuple[str, ...]] = {
    "FuzzyDate": (
        "edtf",
        "earliest",
        "latest",
        "precision",
        "approximate",
        "uncertain",
        "phrase",
        "anchor",
    ),
    "Excerpt": ("start", "end", "text"),
    "Retraction": ("reason", "retractedAt"),
    "Role": ("title", "organization", "period", "evidence"),
    "AgreementTerm": ("description", "due", "evidence"),
}


class RecordSql(SqlBuilder):
    """The SQL of one type's records."""

    def __init__(self, schema: GraphQLSchema, json: JsonSql, *, whole: bool = False) -> None:
        super().__init__(json)
        self.schema = schema
        #: Every record of the type at once (the export), not a few: a record's lists are
        #: then read by one grouped pass over each list's table (PostgreSQL), not one
        #: lookup per record, which at a million records is most of the work.
        self.whole = whole and json.postgres

    def statement_shown(self, row: FromClause) -> ColumnElement[bool]:
        """Records never hold a draft, whoever asks for the export."""
        return exported(row.c.status)

    def record(self, type_name: str, scope: Scope, keys: Iterable[str]) -> SqlValue:
        """The JSON object of ``keys`` that a ``type_name`` row makes."""
        object_type = self.schema.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        pairs: list[tuple[str, SqlValue]] = []
        for key in keys:
            if key == "type":
                pairs.append((key, self.json.text(type_name)))
            else:
                pairs.append((key, self.value(type_name, key, object_type.fields[key], scope)))
        return self.json.object(pairs)

    def value(self, type_name: str, key: str, field: GraphQLField, scope: Scope) -> SqlValue:
        """A field's value in a record, by its declaration."""
        declaration = declaration_of(field)
        target = get_named_type(field.type).name
        nullable = not isinstance(field.type, GraphQLNonNull)
        if isinstance(declaration, Column):
            return self.column_value(scope.column(declaration.name))
        if isinstance(declaration, GlobalId):
            return self.global_id(type_name, scope.row)
        if isinstance(declaration, Embedded):
            inner = scope.within(f"{declaration.prefix}_")
            value = self.record(target, inner, NESTED[target])
            present = inner.column(key_column(self.schema.get_type(target)))
            return self.unless_null(present, value, nullable=nullable)
        if isinstance(declaration, One):
            name = declaration.foreign_key
            foreign = scope.row.c[name] if declaration.of_owner else scope.column(name)
            row = self.join_node(declaration.type_name, scope.level, lambda r: r.c.id == foreign)
            return self.unless_missing(
                row, self.global_id(declaration.type_name, row), nullable=nullable
            )
        if isinstance(declaration, Linked):
            return self.listed(
                self.linked_rows(declaration.link, scope), self.ref_of(target), scope
            )
        if isinstance(declaration, Children):
            kind = CHILDREN[declaration.name]
            rows = self.child_rows(kind.model, kind.parent, scope)
            return self.listed(rows, lambda s: self.record(target, s, NESTED[target]), scope)
        if isinstance(declaration, Custom) and (type_name, key) in _CUSTOM:
            return _CUSTOM[type_name, key](self, scope)
        raise LookupError(f"{type_name}.{key} has no meaning in a record")

    def ref_of(self, type_name: str) -> Any:
        return lambda scope: self.global_id(type_name, scope.row)

    def listed(self, rows: Rows, item: Any, owner: Scope) -> SqlValue:
        """A JSON array of ``item`` over the ``owner``'s ``rows``."""
        grouped = self.whole and self.depth == 0 and rows.owner_key is not None
        with self.nested_list():
            value = item(rows.scope)
            return self.grouped(rows, value, owner) if grouped else self.array(rows, value)

    def grouped(self, rows: Rows, item: SqlValue, owner: Scope) -> SqlValue:
        """The array of each owner from one pass over the list's rows, grouped by owner and
        joined to the owner's row (PostgreSQL's json_agg takes its own order)."""
        assert rows.owner_key is not None
        key, owner_id = rows.owner_key
        items = func.json_agg(aggregate_order_by(item, *rows.order_by))
        per_owner = (
            select(key.label("owner_id"), items.label("items"))
            .select_from(rows.scope.level.source)
            .where(*rows.where)
            .group_by(key)
            .subquery()
        )
        owner.level.join(per_owner, per_owner.c.owner_id == owner_id)
        return func.coalesce(per_owner.c["items"], literal_column("CAST('[]' AS JSON)"))


def _outgoing_relations(builder: RecordSql, scope: Scope) -> SqlValue:
    """The relations a statement is the subject of (each relation is stored once, so the
    subject's side exports every relation exactly once), with the source that declares it."""
    relation = builder.alias(m.StatementRelation.__table__)
    level = Level(relation)
    other = builder.join_node("Statement", level, lambda r: r.c.id == relation.c.object_id)
    declaring = builder.join_node("Source", level, lambda r: r.c.id == relation.c.declared_in_id)
    item = builder.json.object(
        [
            ("kind", relation.c.kind),
            ("object", builder.global_id("Statement", other)),
            ("note", relation.c.note),
            ("declaredIn", builder.global_id("Source", declaring)),
        ]
    )
    rows = Rows(
        Scope(relation, level),
        where=[builder.statement_shown(other)],  # never a relation to a draft
        order_by=[relation.c.kind, relation.c.id],
        owner_key=(relation.c.subject_id, scope.row.c.id),
    )
    return builder.listed(rows, lambda _: item, scope)


#: Record values of fields declared custom.
_CUSTOM: dict[tuple[str, str], Callable[[RecordSql, Scope], SqlValue]] = {
    ("Statement", "relations"): _outgoing_relations,
    ("Excerpt", "text"): lambda builder, scope: builder.excerpt_text(scope),
}


@functools.lru_cache(maxsize=32)
def records_query(
    schema: GraphQLSchema, dialect: str, name: str, *, whole: bool = False
) -> Select[Any]:
    """The records of the type ``name`` as (id, slug, JSON text), in id order: ``whole``
    for all of them (the export), else for a few picked by a WHERE added to it."""
    record_type = RECORD_TYPES[name]
    builder = RecordSql(schema, JsonSql(dialect), whole=whole)
    row = builder.alias(NODE_MODELS[record_type.node_type].__table__)
    level = Level(row)
    keys = record_keys(schema, name)
    value = builder.record(record_type.node_type, Scope(row, level), keys)
    query = select(row.c.id, row.c.slug, builder.json.as_text(value)).select_from(level.source)
    if record_type.node_type == "Statement":
        query = query.where(builder.statement_shown(row))
    return query.order_by(row.c.id)


def line(json_text: str) -> bytes:
    """A record's line: the database's JSON written compactly, as ``json.dumps`` with
    ``ensure_ascii=False`` and no spaces would (PostgreSQL spaces its keys)."""
    return orjson.dumps(orjson.loads(json_text)) + b"\n"


async def stream_lines(
    conn: AsyncConnection, schema: GraphQLSchema, name: str, *, batch_size: int | None = None
) -> AsyncGenerator[list[bytes], None]:
    """Every record of the type ``name`` as JSON lines, in id order, a batch at a time.

    ``conn`` must be in a transaction (a server-side cursor lives in one); read every type
    of one export in the same transaction and they are one consistent snapshot.
    """
    size = batch_size or RECORD_TYPES[name].batch_size
    query = records_query(schema, conn.dialect.name, name, whole=True)
    query = query.execution_options(yield_per=size)
    result = await conn.stream(query)
    try:
        async for rows in result.partitions(size):
            yield [line(row[2]) for row in rows]
    finally:
        await result.close()


async def records_by_slugs(
    conn: AsyncConnection, schema: GraphQLSchema, node_type: str, slugs: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The records of the nodes of ``node_type`` with these slugs, by slug (absent where no
    such node exists), built exactly as the export builds them."""
    query = records_query(schema, conn.dialect.name, BY_NODE_TYPE[node_type].name)
    wanted = sorted(set(slugs))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start : start + BATCH_SIZE]
        chosen = query.where(query.selected_columns[1].in_(bindparam("slugs", expanding=True)))
        for _, slug, text in await conn.execute(chosen, {"slugs": chunk}):
            found[slug] = orjson.loads(text)
    return found
