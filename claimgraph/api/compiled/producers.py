"""Each field's SQL, derived from its declaration (claimgraph.api.fields): a column, a
node joined by a foreign key, a list a link table makes, a page of nested statements; the
few fields declared custom have their SQL here by name (``CUSTOM``). The root fields take the
same lists, orders and cursors as the resolvers (claimgraph.api.lists)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from graphql import GraphQLField, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, get_named_type
from sqlalchemy import (
    ColumnElement,
    bindparam,
    case,
    func,
    or_,
    select,
)

from claimgraph.api.compiled.json_sql import Unsupported
from claimgraph.api.compiled.sql import Level, Rows, Scope, SqlValue
from claimgraph.api.errors import ClientError
from claimgraph.api.fields import (
    Children,
    Column,
    Embedded,
    GlobalId,
    Linked,
    One,
    StatementPage,
    declaration_of,
    key_column,
)
from claimgraph.api.ids import decode_cursor, parse_global_id
from claimgraph.api.links import CHILDREN, nested_statements
from claimgraph.api.lists import BY_DIALECT, ROOT_LISTS, RootList
from claimgraph.api.paging import page_request
from claimgraph.db import models as m
from claimgraph.db.queries.merges import followed
from claimgraph.db.queries.pagination import PageRequest
from claimgraph.db.queries.visibility import relation_shown

if TYPE_CHECKING:
    from claimgraph.api.compiled.compiler import Compiler, Details

#: A field's SQL: given the compiler, the object's scope, the field's nodes and definition.
Producer = Callable[["Compiler", Scope, "Details", GraphQLField], SqlValue]


def _column(name: str) -> Producer:
    return lambda c, scope, details, field: c.column_value(scope.column(name))


def _global_id(type_name: str) -> Producer:
    return lambda c, scope, details, field: c.global_id(type_name, scope.row)


def _embedded(prefix: str) -> Producer:
    def produce(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        target = get_named_type(field.type)
        inner = scope.within(f"{prefix}_")
        value = c.object(target.name, inner, details)
        nullable = not isinstance(field.type, GraphQLNonNull)
        return c.unless_null(inner.column(key_column(target)), value, nullable=nullable)

    return produce


def _one(type_name: str, foreign_key: str, *, of_owner: bool = False) -> Producer:
    def produce(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        key = scope.row.c[foreign_key] if of_owner else scope.column(foreign_key)
        return c.joined(
            type_name,
            scope.level,
            lambda row: row.c.id == key,
            details,
            nullable=not isinstance(field.type, GraphQLNonNull),
        )

    return produce


def _linked(name: str) -> Producer:
    return lambda c, scope, details, field: c.listed(c.linked_rows(name, scope), details, field)


def _children(name: str) -> Producer:
    kind = CHILDREN[name]
    return lambda c, scope, details, field: c.listed(
        c.child_rows(kind.model, kind.parent, scope), details, field
    )


def _statements_of(list_name: str) -> Producer:
    """A page of the statements nested in an object (an actor's, a source's, …)."""

    def produce(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        query, parent_column, ordering = nested_statements(list_name)
        nested = RootList(
            f"{list_name}.statements",
            query.where(parent_column == scope.row.c.id),
            ordering,
            "Statement",
        )
        request = _paged(c, details, nested, c.arguments(field, details))
        return c.connection(nested, request, details, field, parent=scope.row)

    return produce


def _excerpt_text(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    return c.excerpt_text(scope)


def _relations(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    relation = c.alias(m.StatementRelation.__table__)
    statement_id = scope.row.c.id
    where = [
        or_(relation.c.subject_id == statement_id, relation.c.object_id == statement_id),
        relation_shown(relation.c.subject_id, relation.c.object_id),
    ]
    kinds = c.arguments(field, details).get("kind")
    if kinds is not None:  # the enum's names are the stored values
        where.append(relation.c.kind.in_([m.RelationKind[k.name] for k in kinds]))
    rows = Rows(
        Scope(relation, Level(relation), seen_from=scope.row),
        where=where,
        order_by=[relation.c.kind, relation.c.id],
    )
    return c.listed(rows, details, field)


def _outgoing(scope: Scope) -> ColumnElement[bool]:
    assert scope.seen_from is not None
    return scope.row.c.subject_id == scope.seen_from.c.id


def _direction(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    return case((_outgoing(scope), c.json.text("OUTGOING")), else_=c.json.text("INCOMING"))


def _other_statement(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    relation = scope.row
    other = case((_outgoing(scope), relation.c.object_id), else_=relation.c.subject_id)
    return c.joined(
        "Statement", scope.level, lambda row: row.c.id == other, details, nullable=False
    )


def _actor_deployments(
    c: Compiler, scope: Scope, details: Details, field: GraphQLField
) -> SqlValue:
    """The deployments an actor is the force of or a partner in (as the loader gives)."""
    row = c.alias(m.Deployment.__table__)
    partner = c.alias(m.deployment_partners)
    actor_id = scope.row.c.id
    partnered = (
        select(partner.c.deployment_id)
        .where(partner.c.deployment_id == row.c.id, partner.c.actor_id == actor_id)
        .correlate_except(partner)
        .exists()
    )
    rows = Rows(
        Scope(row, Level(row)),
        where=[or_(row.c.force_id == actor_id, partnered)],
        order_by=[row.c.as_of_earliest, row.c.id],
    )
    return c.listed(rows, details, field)


#: The compiled meaning of the fields declared ``Custom`` (the rest derive from their
#: declarations; tests/api/test_fields.py proves every field is one or the other).
CUSTOM: dict[tuple[str, str], Producer] = {
    ("Statement", "relations"): _relations,
    ("StatementRelation", "direction"): _direction,
    ("StatementRelation", "statement"): _other_statement,
    ("Excerpt", "text"): _excerpt_text,
    ("Actor", "deployments"): _actor_deployments,
}


#: Each field's producer, found once (declarations do not change while the process runs).
_PRODUCERS: dict[tuple[str, str], Producer | None] = {}
_UNKNOWN: Any = object()


def producer_of(type_name: str, name: str, field: GraphQLField) -> Producer | None:
    """The field's producer: derived from its declaration, else a custom one (found once)."""
    found = _PRODUCERS.get((type_name, name), _UNKNOWN)
    if found is _UNKNOWN:
        found = _PRODUCERS[type_name, name] = producer(type_name, field) or CUSTOM.get(
            (type_name, name)
        )
    return found  # type: ignore[no-any-return]


def producer(type_name: str, field: GraphQLField) -> Producer | None:
    """The SQL of a field of an object type, from its declaration (None if not compiled)."""
    declaration = declaration_of(field)
    if isinstance(declaration, Column):
        return _column(declaration.name)
    if isinstance(declaration, GlobalId):
        return _global_id(type_name)
    if isinstance(declaration, Embedded):
        return _embedded(declaration.prefix)
    if isinstance(declaration, One):
        return _one(declaration.type_name, declaration.foreign_key, of_owner=declaration.of_owner)
    if isinstance(declaration, Linked):
        return _linked(declaration.link)
    if isinstance(declaration, Children):
        return _children(declaration.name)
    if isinstance(declaration, StatementPage):
        return _statements_of(declaration.list_name)
    return None


# -- the root fields ----------------------------------------------------------------------

RootProducer = Callable[["Compiler", "Details", GraphQLField], SqlValue]
_PAGING = ("first", "after", "last", "before")


def _checked(parse: Callable[[], Any]) -> Any:
    """An argument the resolvers check: if they would refuse it, so do we (they answer)."""
    try:
        return parse()
    except ClientError as error:
        raise Unsupported(f"refused argument: {error}") from error


def _root_list(name: str) -> RootProducer:
    def produce(c: Compiler, details: Details, field: GraphQLField) -> SqlValue:
        arguments = c.arguments(field, details)
        paging = {k: arguments.pop(k) for k in _PAGING if k in arguments}
        if name in BY_DIALECT:
            arguments["dialect"] = "postgresql" if c.json.postgres else "sqlite"
        root = _checked(lambda: ROOT_LISTS[name](**arguments))
        return c.connection(root, _paged(c, details, root, paging), details, field)

    return produce


def _node(c: Compiler, details: Details, field: GraphQLField) -> SqlValue:
    given = str(c.arguments(field, details)["id"])
    type_name, slug = _checked(lambda: parse_global_id(given, argument="id"))
    variable = c.variable_of(details, "id")
    if variable is None:
        return c.node(type_name, "slug", followed(type_name, bindparam(None, slug)), details)

    def fill(value: Any) -> tuple[Any, ...]:
        found, new_slug = parse_global_id(_id_text(value), argument="id")
        if found != type_name:
            raise ValueError(f"an ID of a {found}, not of a {type_name}")
        return (new_slug,)

    [bound] = c.bind(
        variable,
        [slug],
        [m.Actor.slug.type],
        fill=fill,
        structure=lambda value: parse_global_id(_id_text(value), argument="id")[0],
    )
    return c.node(type_name, "slug", followed(type_name, bound), details)


def _id_text(value: Any) -> str:
    """A variable's value as GraphQL's ID reads it (text, or a whole number)."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise TypeError(f"{value!r} is not an ID")


def _paged(c: Compiler, details: Details, listed: RootList, paging: dict[str, Any]) -> PageRequest:
    """The page the paging arguments ask for, with a cursor given as a variable bound."""
    ordering = listed.ordering
    request = _checked(
        lambda: page_request(
            settings=c.settings, list_name=listed.list_name, ordering=ordering, **paging
        )
    )
    for argument in ("after", "before"):
        variable = c.variable_of(details, argument)
        if variable is None:
            continue

        def decode(value: Any, argument: str = argument) -> tuple[Any, ...]:
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{value!r} is not a cursor")
            key = decode_cursor(
                value, list_name=listed.list_name, ordering=ordering, argument=argument
            )
            return key or ()

        key = getattr(request, argument) or ()
        bound = c.bind(
            variable,
            key,
            [k.type for k in ordering.keys][: len(key)],
            fill=decode,
            structure=lambda value, decode=decode: len(decode(value)),  # type: ignore[misc]
        )
        if key:
            request = replace(request, **{argument: tuple(bound)})
    return request  # type: ignore[no-any-return]


def _nodes(c: Compiler, details: Details, field: GraphQLField) -> SqlValue:
    ids = [str(i) for i in c.arguments(field, details)["ids"]]
    if len(ids) > 50:  # PostgreSQL passes at most 100 arguments
        raise Unsupported("nodes of over 50 IDs")
    parsed = [
        _checked(lambda i=i, v=v: parse_global_id(v, argument=f"ids[{i}]"))  # type: ignore[misc]
        for i, v in enumerate(ids)
    ]
    found = [c.node(t, "slug", bindparam(None, slug), details) for t, slug in parsed]
    build = func.json_build_array if c.json.postgres else func.json_array
    return c.json.nested(build(*found))


ROOT_FIELDS: dict[str, RootProducer] = {
    **{name: _root_list(name) for name in ROOT_LISTS},
    "node": _node,
    "nodes": _nodes,
}


def compiled_fields(schema: GraphQLSchema) -> set[tuple[str, str]]:
    """Every (type, field) of the object types that the compiler covers, the root's too."""
    covered = {("Query", name) for name in ROOT_FIELDS}
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            covered |= {
                (named.name, name)
                for name, field in named.fields.items()
                if producer_of(named.name, name, field)
            }
    return covered
