"""A validated GraphQL query, compiled into one SQL statement that returns the response's
`data` as JSON, built by the database (as PostGraphile and Hasura do).

Each field the compiler covers maps to a SQL expression over the row its object stands for:
a column, a JSON object of a related row (a correlated subquery), or a JSON array of related
rows in the order the resolvers give them. Lists are cut into pages by the same queries,
orders and cursors as the resolvers use (:mod:`claimgraph.api.root_lists`,
:mod:`claimgraph.db.queries.pagination`). A field it does not cover, or an argument the
resolvers would refuse, raises :class:`Unsupported`, and the ordinary resolvers answer the
whole query instead, errors and all; ``tests/api/test_compiled.py`` proves the two answer
alike.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    get_named_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.selectable import NamedFromClause
from strawberry.types.arguments import convert_arguments

from claimgraph.api.compiled.json_sql import JsonSql, Unsupported
from claimgraph.api.errors import ClientError
from claimgraph.api.ids import parse_global_id
from claimgraph.api.loaders import LINKS, NODE_MODELS, STATEMENT_LISTS
from claimgraph.api.root_lists import KIND_TYPES, ROOT_LISTS, RootList
from claimgraph.api.settings import ApiSettings
from claimgraph.api.types.connection import page_request
from claimgraph.db import models as m
from claimgraph.db.queries.batch import link_order
from claimgraph.db.queries.pagination import Ordering, PageRequest, page_query

Details = list[FieldDetails]
SqlValue = ColumnElement[Any]


class Level:
    """The FROM clause of one SELECT: the rows its objects stand for, with the rows they
    refer to one-to-one (a statement's speaker and source) joined in. Joins instead of
    subqueries keep the SQL shallow: SQLite's parser stops at a few nested subqueries."""

    def __init__(self, base: FromClause) -> None:
        self.source: FromClause = base
        #: The tables of the FROM clause: what the SELECT must not correlate to outer ones.
        self.tables: list[FromClause] = [base]

    def join(self, table: FromClause, on: ColumnElement[bool]) -> None:
        self.source = self.source.outerjoin(table, on)
        self.tables.append(table)


@dataclass(frozen=True)
class Scope:
    """What an object's fields read: the ``row`` it stands for (an aliased table) in the
    ``level`` that holds it, the prefix of its columns there (a FuzzyDate is eight columns
    of its owner's row), and for a relation the statement it is seen from."""

    row: FromClause
    level: Level
    prefix: str = ""
    seen_from: FromClause | None = None

    def column(self, name: str) -> SqlValue:
        return self.row.c[self.prefix + name]

    def within(self, prefix: str) -> Scope:
        """The scope of an object embedded in this row's columns (a FuzzyDate, an Excerpt)."""
        return Scope(self.row, self.level, prefix)


@dataclass(frozen=True)
class CompiledQuery:
    """One statement returning one row: the response's ``data`` as JSON text."""

    statement: Select[Any]
    #: Root fields that are null only when the resolvers would raise (``node`` of an ID that
    #: names nothing: NOT_FOUND); if one is null, the resolvers answer instead.
    required: tuple[str, ...]


#: A field's SQL: given the compiler, the object's scope, the field's nodes and definition.
Producer = Callable[["Compiler", Scope, Details, GraphQLField], SqlValue]


def compile_query(
    schema: strawberry.Schema,
    document: Any,
    operation_name: str | None,
    raw_variables: dict[str, Any] | None,
    *,
    dialect: str,
    settings: ApiSettings,
) -> CompiledQuery:
    """The query as one SQL statement, or :class:`Unsupported`."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if (operation_name is None and len(operations) == 1)
        or (o.name is not None and o.name.value == operation_name)
    ]
    if len(chosen) != 1 or chosen[0].operation.value != "query":
        raise Unsupported("not exactly one query operation")
    operation = chosen[0]
    fragments = {
        d.name.value: FragmentDetails(d)
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    variables = get_variable_values(
        schema._schema, operation.variable_definitions or (), raw_variables or {}
    )
    if not isinstance(variables, VariableValues):
        raise Unsupported("the variables do not fit")
    compiler = Compiler(schema, JsonSql(dialect), settings, operation, fragments, variables)
    return compiler.query()


class Compiler:
    def __init__(
        self,
        schema: strawberry.Schema,
        json: JsonSql,
        settings: ApiSettings,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.graphql = schema._schema
        self.json = json
        self.settings = settings
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        self.depth = 0  # lists within lists, so far down
        self.aliases: dict[str, int] = {}

    def alias(self, table: Any) -> NamedFromClause:
        """The next alias of ``table`` in this statement: ``statements_1``, ``statements_2``…
        Shared by every statement compiled, since building an alias's columns costs far more
        than the rest of compiling (and the same names let SQLAlchemy reuse its SQL)."""
        number = self.aliases[table.name] = self.aliases.get(table.name, 0) + 1
        return _alias(table, number)

    # -- the document -------------------------------------------------------------------

    def query(self) -> CompiledQuery:
        root_type = self.graphql.query_type
        assert root_type is not None
        collected = collect_fields(
            self.graphql, self.fragments, self.variables, root_type, self.operation
        )
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        pairs: list[tuple[str, SqlValue]] = []
        required: list[str] = []
        for key, details in collected.grouped_field_set.items():
            name = details[0].node.name.value
            if name == "__typename":
                pairs.append((key, self.json.text(root_type.name)))
                continue
            produce = ROOT_FIELDS.get(name)
            if produce is None:
                raise Unsupported(f"Query.{name}")
            if name == "node":
                required.append(key)
            pairs.append((key, produce(self, details, root_type.fields[name])))
        statement = select(self.json.as_text(self.json.object(pairs)))
        return CompiledQuery(statement, tuple(required))

    def subfields(self, runtime_type: GraphQLObjectType, details: Details) -> dict[str, Details]:
        collected = collect_subfields(
            self.graphql, self.fragments, self.variables, self.operation, runtime_type, details
        )
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return collected.grouped_field_set

    def arguments(self, field: GraphQLField, details: Details) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (input objects built)."""
        first = details[0]
        raw = get_argument_values(field, first.node, self.variables, first.fragment_variable_values)
        definition = field.extensions.get("strawberry-definition")
        if definition is None:
            raise Unsupported("a field without a Strawberry definition")
        try:
            return convert_arguments(
                raw,
                definition.arguments,
                scalar_registry=self.schema.schema_converter.scalar_registry,
                config=self.schema.config,
            )
        except (GraphQLError, ValueError, TypeError) as error:
            raise Unsupported(f"arguments: {error}") from error

    # -- objects ------------------------------------------------------------------------

    def object(self, type_name: str, scope: Scope, details: Details) -> SqlValue:
        """The JSON object a ``type_name`` selection makes of ``scope``."""
        object_type = self.graphql.get_type(type_name)
        assert isinstance(object_type, GraphQLObjectType)
        pairs: list[tuple[str, SqlValue]] = []
        for key, field_details in self.subfields(object_type, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                pairs.append((key, self.json.text(type_name)))
                continue
            produce = FIELDS.get((type_name, name))
            if produce is None:
                raise Unsupported(f"{type_name}.{name}")
            pairs.append((key, produce(self, scope, field_details, object_type.fields[name])))
        return self.json.object(pairs)

    def joined(
        self,
        type_name: str,
        level: Level,
        on: Callable[[FromClause], ColumnElement[bool]],
        details: Details,
        *,
        nullable: bool,
    ) -> SqlValue:
        """The object of the ``type_name`` row joined into ``level`` by ``on`` (null when
        there is none, if the field may be null)."""
        row = self.alias(NODE_MODELS[type_name].__table__)
        level.join(row, on(row))
        value = self.object(type_name, Scope(row, level), details)
        if not nullable:
            return value
        return case((row.c.id.is_(None), literal_column("NULL")), else_=value)

    def node(self, type_name: str, column: str, value: Any, details: Details) -> SqlValue:
        """The object of the ``type_name`` row whose ``column`` is ``value`` (null if none)."""
        row = self.alias(NODE_MODELS[type_name].__table__)
        level = Level(row)
        found = select(self.object(type_name, Scope(row, level), details))
        found = found.select_from(level.source).where(row.c[column] == value)
        return self.json.nested(found.correlate_except(*level.tables).scalar_subquery())

    def array(
        self,
        level: Level,
        item: SqlValue,
        *,
        where: list[ColumnElement[bool]],
        order_by: list[Any],
    ) -> SqlValue:
        return self.json.array(
            item, source=level.source, own=level.tables, where=where, order_by=order_by
        )

    def nested_list(self) -> _Deeper:
        """Enter a list inside a list (SQLite's parser limits how deep)."""
        return _Deeper(self)

    def linked(self, name: str, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        """A list a link table makes (a statement's agreements, an event's participants)."""
        link = LINKS[name]
        type_name = get_named_type(field.type).name
        table = self.alias(link.table)
        model_table = link.model.__table__
        row = self.alias(model_table)
        order = [
            row.c[column.name] if column.table is model_table else column
            for column in (c.expression for c in link_order(table, link.order_by))
        ]
        level = Level(row)
        level.join(table, table.c[link.child] == row.c.id)
        with self.nested_list():
            item = self.object(type_name, Scope(row, level), details)
            return self.array(
                level,
                item,
                where=[table.c[link.parent] == scope.row.c.id],
                order_by=[*order, row.c.id],
            )

    def children(
        self,
        model: type[m.Base],
        parent: str,
        scope: Scope,
        details: Details,
        field: GraphQLField,
    ) -> SqlValue:
        """Rows that belong to the object, by position (an actor's roles, terms)."""
        row = self.alias(model.__table__)
        level = Level(row)
        with self.nested_list():
            item = self.object(get_named_type(field.type).name, Scope(row, level), details)
            return self.array(
                level,
                item,
                where=[row.c[parent] == scope.row.c.id],
                order_by=[row.c.position, row.c.id],
            )

    # -- lists --------------------------------------------------------------------------

    def connection(
        self,
        root: RootList,
        request: PageRequest,
        details: Details,
        field: GraphQLField,
        *,
        parent: FromClause | None = None,
    ) -> SqlValue:
        """A connection (edges, nodes, pageInfo, totalCount) over one page of ``root``; for
        a list nested in an object, ``parent`` is that object's row (``root.query`` refers to
        it, so each use of the page is a subquery correlated to it)."""
        ordering, backward, size = root.ordering, request.backward, request.size
        rows = page_query(root.query, ordering=ordering, request=request)
        # Numbered by the keys the page query appended (they are its FROM's, whatever that is).
        keys = list(rows.selected_columns)[-len(ordering.keys) :]
        page_order = Ordering(keys, ordering.descending).order_by(reverse=backward)
        rows = rows.add_columns(func.row_number().over(order_by=page_order).label("page_position"))
        shared = rows.cte() if parent is None else None
        width = len(root.query.selected_columns)

        def new_page() -> FromClause:
            return shared if shared is not None else rows.correlate(parent).subquery()

        def parts(page: FromClause) -> tuple[list[Any], list[Any], Any]:
            """A page's item columns (id, or kind and id), sort keys and position."""
            columns = list(page.c)
            return (
                columns[:width],
                columns[width : width + len(ordering.keys)],
                page.c.page_position,
            )

        def in_order(position_column: Any, *, reverse: bool = False) -> Any:
            """The list's order, whichever way the page was read (or the other way round)."""
            return position_column.desc() if backward != reverse else position_column.asc()

        connection_type = get_named_type(field.type)
        assert isinstance(connection_type, GraphQLObjectType)
        edge_type = get_named_type(connection_type.fields["edges"].type)
        assert isinstance(edge_type, GraphQLObjectType)
        item_type = get_named_type(edge_type.fields["node"].type)

        def item(level: Level, items: list[Any], node_details: Details) -> SqlValue:
            """The object of a page row: joined by id, or for mixed lists by kind and id."""
            if root.node_type is not None:
                return self.joined(
                    root.node_type,
                    level,
                    lambda row: row.c.id == items[0],
                    node_details,
                    nullable=False,
                )
            assert isinstance(item_type, GraphQLAbstractType)
            kinds = {name: number for number, name in KIND_TYPES.items()}
            branches = []
            for possible in self.graphql.get_possible_types(item_type):
                is_kind = items[0] == kinds[possible.name]
                value = self.joined(
                    possible.name,
                    level,
                    lambda row, is_kind=is_kind: and_(is_kind, row.c.id == items[1]),  # type: ignore[misc]
                    node_details,
                    nullable=False,
                )
                branches.append((is_kind, value))
            return case(*branches, else_=literal_column("NULL"))

        def edge(level: Level, items: list[Any], keys: list[Any], sub: Details) -> SqlValue:
            pairs: list[tuple[str, SqlValue]] = []
            for key, edge_details in self.subfields(edge_type, sub).items():
                name = edge_details[0].node.name.value
                if name == "__typename":
                    pairs.append((key, self.json.text(edge_type.name)))
                elif name == "cursor":
                    pairs.append((key, self.cursor(root, keys)))
                else:
                    pairs.append((key, item(level, items, edge_details)))
            return self.json.object(pairs)

        def page_array(name: str, sub: Details) -> SqlValue:
            page = new_page()
            items, keys, position_column = parts(page)
            level = Level(page)
            with self.nested_list():
                value = (
                    edge(level, items, keys, sub) if name == "edges" else item(level, items, sub)
                )
                return self.array(
                    level,
                    value,
                    where=[position_column <= size],
                    order_by=[in_order(position_column)],
                )

        def end_cursor(*, last: bool) -> SqlValue:
            """The cursor of the page's first (or last) item."""
            page = new_page()
            _, keys, position_column = parts(page)
            first = (
                select(self.cursor(root, keys))
                .select_from(page)
                .where(position_column <= size)
                .order_by(in_order(position_column, reverse=last))
                .limit(1)
            )
            return first.correlate_except(page).scalar_subquery()

        def more() -> SqlValue:
            """Whether the page read one row more than it shows."""
            page = new_page()
            count = select(func.count()).select_from(page).correlate_except(page)
            return self.json.boolean(count.scalar_subquery() > size)

        def page_info(info_details: Details) -> SqlValue:
            info_type = get_named_type(connection_type.fields["pageInfo"].type)
            assert isinstance(info_type, GraphQLObjectType)
            values: dict[str, Callable[[], SqlValue]] = {
                "__typename": lambda: self.json.text(info_type.name),
                # As claimgraph.db.queries.pagination.fetch_page says.
                "hasNextPage": lambda: (
                    self.json.constant(request.before is not None) if backward else more()
                ),
                "hasPreviousPage": lambda: (
                    more() if backward else self.json.constant(request.after is not None)
                ),
                "startCursor": lambda: end_cursor(last=False),
                "endCursor": lambda: end_cursor(last=True),
            }
            pairs = [
                (key, values[sub[0].node.name.value]())
                for key, sub in self.subfields(info_type, info_details).items()
            ]
            return self.json.object(pairs)

        def total() -> SqlValue:
            everything = root.query.order_by(None)
            if parent is not None:
                everything = everything.correlate(parent)
            rows = everything.subquery()
            return select(func.count()).select_from(rows).correlate_except(rows).scalar_subquery()

        pairs: list[tuple[str, SqlValue]] = []
        for key, sub in self.subfields(connection_type, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                value = self.json.text(connection_type.name)
            elif name in ("edges", "nodes"):
                value = page_array(name, sub)
            elif name == "pageInfo":
                value = page_info(sub)
            elif name == "totalCount":
                value = total()
            else:
                raise Unsupported(f"{connection_type.name}.{name}")
            pairs.append((key, value))
        return self.json.object(pairs)

    def cursor(self, root: RootList, keys: list[Any]) -> SqlValue:
        """An item's cursor, as :func:`claimgraph.api.ids.encode_cursor` writes it: base64url
        of the JSON array [list name, key values...]."""
        parts: list[SqlValue] = [self.json.text(f'["{root.list_name}"')]
        for key, sort_key in zip(keys, root.ordering.keys, strict=True):
            python_type = sort_key.type.python_type
            if python_type is dt.date:
                parts += [self.json.text(',"'), self.json.date_text(key), self.json.text('"')]
            elif python_type is int:
                parts += [self.json.text(","), self.json.int_text(key)]
            elif python_type is str:
                parts += [self.json.text(","), self.json.quoted_text(key)]
            else:
                raise Unsupported(f"a cursor over a {python_type.__name__} key")
        parts.append(self.json.text("]"))
        text = parts[0]
        for part in parts[1:]:
            text = text.concat(part)
        return self.json.base64url(text)


@functools.cache
def _alias(table: Any, number: int) -> NamedFromClause:
    alias: NamedFromClause = table.alias(f"{table.name}_{number}")
    alias.c  # noqa: B018  # build the columns once
    return alias


class _Deeper:
    """A list inside a list: counted, because SQLite's parser stops at a few levels."""

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler

    def __enter__(self) -> None:
        self.compiler.depth += 1
        if self.compiler.depth > self.compiler.json.max_list_depth:
            raise Unsupported("lists nested deeper than the engine's SQL parser allows")

    def __exit__(self, *_: object) -> None:
        self.compiler.depth -= 1


# -- the fields ---------------------------------------------------------------------------


def _column(name: str) -> Producer:
    return lambda c, scope, details, field: scope.column(name)


def _flag(name: str) -> Producer:
    return lambda c, scope, details, field: c.json.boolean(scope.column(name))


def _date(name: str) -> Producer:
    return lambda c, scope, details, field: c.json.date_text(scope.column(name))


def _timestamp(name: str) -> Producer:
    return lambda c, scope, details, field: c.json.timestamp_text(scope.column(name))


def _statements_of(list_name: str) -> Producer:
    """A page of the statements nested in an object (an actor's, a source's, …)."""

    def produce(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        query, parent_column, ordering = STATEMENT_LISTS[list_name]
        nested = RootList(
            f"{list_name}.statements",
            query.where(parent_column == scope.row.c.id),
            ordering,
            "Statement",
        )
        arguments = c.arguments(field, details)
        request = _checked(
            lambda: page_request(
                settings=c.settings,
                list_name=nested.list_name,
                ordering=ordering,
                **arguments,
            )
        )
        return c.connection(nested, request, details, field, parent=scope.row)

    return produce


def _global_id(type_name: str) -> Producer:
    def produce(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        return c.json.base64url(c.json.text(f"{type_name}:").concat(scope.column("slug")))

    return produce


def _fuzzy(prefix: str) -> Producer:
    def produce(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        value = c.object("FuzzyDate", scope.within(f"{prefix}_"), details)
        if isinstance(field.type, GraphQLNonNull):
            return value
        missing = scope.column(f"{prefix}_edtf").is_(None)
        return case((missing, literal_column("NULL")), else_=value)

    return produce


def _one(type_name: str, foreign_key: str) -> Producer:
    def produce(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
        return c.joined(
            type_name,
            scope.level,
            lambda row: row.c.id == scope.column(foreign_key),
            details,
            nullable=not isinstance(field.type, GraphQLNonNull),
        )

    return produce


def _linked(name: str) -> Producer:
    return lambda c, scope, details, field: c.linked(name, scope, details, field)


def _children(model: type[m.Base], parent: str) -> Producer:
    return lambda c, scope, details, field: c.children(model, parent, scope, details, field)


def _excerpt(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    return c.object("Excerpt", scope.within("excerpt_"), details)


def _excerpt_text(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    source = c.alias(m.Source.__table__)
    scope.level.join(source, source.c.id == scope.row.c.source_id)
    start, end = scope.column("start"), scope.column("end")
    return func.substr(source.c.text, start + 1, end - start)


def _excerpt_source(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    return _one("Source", "source_id")(c, Scope(scope.row, scope.level), details, field)


def _relations(c: Compiler, scope: Scope, details: Details, field: GraphQLField) -> SqlValue:
    relation = c.alias(m.StatementRelation.__table__)
    statement_id = scope.row.c.id
    level = Level(relation)
    where = [or_(relation.c.subject_id == statement_id, relation.c.object_id == statement_id)]
    kinds = c.arguments(field, details).get("kind")
    if kinds is not None:  # the enum's names are the stored values
        where.append(relation.c.kind.in_([m.RelationKind[k.name] for k in kinds]))
    with c.nested_list():
        item = c.object("StatementRelation", Scope(relation, level, seen_from=scope.row), details)
        return c.array(level, item, where=where, order_by=[relation.c.kind, relation.c.id])


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
    level = Level(row)
    with c.nested_list():
        item = c.object("Deployment", Scope(row, level), details)
        return c.array(
            level,
            item,
            where=[or_(row.c.force_id == actor_id, partnered)],
            order_by=[row.c.as_of_earliest, row.c.id],
        )


FIELDS: dict[tuple[str, str], Producer] = {
    **{(t, "id"): _global_id(t) for t in NODE_MODELS},
    **{(t, "recordedAt"): _timestamp("recorded_at") for t in NODE_MODELS},
    **{(t, "updatedAt"): _timestamp("updated_at") for t in NODE_MODELS},
    ("Actor", "statements"): _statements_of("speaker"),
    ("Actor", "mentionedIn"): _statements_of("mentioned"),
    ("Source", "statements"): _statements_of("source"),
    ("Agreement", "statements"): _statements_of("agreement"),
    # Statement
    ("Statement", "speakerRole"): _column("speaker_role"),
    ("Statement", "mode"): _column("mode"),
    ("Statement", "claim"): _column("claim"),
    ("Statement", "quote"): _column("quote"),
    ("Statement", "channel"): _column("channel"),
    ("Statement", "saidOn"): _fuzzy("said"),
    ("Statement", "reportedOn"): _fuzzy("reported"),
    ("Statement", "excerpt"): _excerpt,
    ("Statement", "speaker"): _one("Actor", "speaker_id"),
    ("Statement", "source"): _one("Source", "source_id"),
    ("Statement", "agreements"): _linked("agreements_of_statement"),
    ("Statement", "deployments"): _linked("deployments_of_statement"),
    ("Statement", "events"): _linked("events_of_statement"),
    ("Statement", "mentions"): _linked("mentions_of_statement"),
    ("Statement", "relations"): _relations,
    ("Excerpt", "start"): _column("start"),
    ("Excerpt", "end"): _column("end"),
    ("Excerpt", "text"): _excerpt_text,
    ("Excerpt", "source"): _excerpt_source,
    ("StatementRelation", "kind"): _column("kind"),
    ("StatementRelation", "note"): _column("note"),
    ("StatementRelation", "direction"): _direction,
    ("StatementRelation", "statement"): _other_statement,
    # FuzzyDate (its columns carry the owner's prefix)
    ("FuzzyDate", "edtf"): _column("edtf"),
    ("FuzzyDate", "earliest"): _date("earliest"),
    ("FuzzyDate", "latest"): _date("latest"),
    ("FuzzyDate", "precision"): _column("precision"),
    ("FuzzyDate", "approximate"): _flag("approximate"),
    ("FuzzyDate", "uncertain"): _flag("uncertain"),
    ("FuzzyDate", "phrase"): _column("phrase"),
    ("FuzzyDate", "anchor"): _column("anchor"),
    # Actor and Role
    ("Actor", "name"): _column("name"),
    ("Actor", "aliases"): lambda c, scope, details, field: c.json.json_column(
        scope.column("aliases")
    ),
    ("Actor", "kind"): _column("kind"),
    ("Actor", "description"): _column("description"),
    ("Actor", "country"): _column("country"),
    ("Actor", "roles"): _children(m.Role, "actor_id"),
    ("Actor", "agreements"): _linked("agreements_of_actor"),
    ("Actor", "deployments"): _actor_deployments,
    ("Role", "title"): _column("title"),
    ("Role", "period"): _fuzzy("period"),
    ("Role", "organization"): _one("Actor", "organization_id"),
    ("Role", "evidence"): _linked("evidence_of_role"),
    # Source
    ("Source", "kind"): _column("kind"),
    ("Source", "title"): _column("title"),
    ("Source", "url"): _column("url"),
    ("Source", "publishedOn"): _fuzzy("published"),
    ("Source", "dateline"): _column("dateline"),
    ("Source", "language"): _column("language"),
    ("Source", "text"): _column("text"),
    ("Source", "contentSha256"): _column("content_sha256"),
    ("Source", "publisher"): _one("Actor", "publisher_id"),
    ("Source", "contributors"): _linked("contributors_of_source"),
    # Agreement and its terms
    ("Agreement", "title"): _column("title"),
    ("Agreement", "summary"): _column("summary"),
    ("Agreement", "status"): _column("status"),
    ("Agreement", "reportedOn"): _fuzzy("reported"),
    ("Agreement", "parties"): _linked("parties_of_agreement"),
    ("Agreement", "terms"): _children(m.AgreementTerm, "agreement_id"),
    ("AgreementTerm", "description"): _column("description"),
    ("AgreementTerm", "due"): _fuzzy("due"),
    ("AgreementTerm", "evidence"): _linked("evidence_of_term"),
    # Deployment
    ("Deployment", "country"): _column("country"),
    ("Deployment", "location"): _column("location"),
    ("Deployment", "personnel"): _column("personnel"),
    ("Deployment", "personnelApproximate"): _flag("personnel_approximate"),
    ("Deployment", "asOf"): _fuzzy("as_of"),
    ("Deployment", "operation"): _column("operation"),
    ("Deployment", "mission"): _column("mission"),
    ("Deployment", "force"): _one("Actor", "force_id"),
    ("Deployment", "partners"): _linked("partners_of_deployment"),
    ("Deployment", "evidence"): _linked("evidence_of_deployment"),
    # Event
    ("Event", "title"): _column("title"),
    ("Event", "kind"): _column("kind"),
    ("Event", "occurredOn"): _fuzzy("occurred"),
    ("Event", "location"): _column("location"),
    ("Event", "participants"): _linked("participants_of_event"),
    ("Event", "evidence"): _linked("evidence_of_event"),
}


# -- the root fields ----------------------------------------------------------------------

RootProducer = Callable[[Compiler, Details, GraphQLField], SqlValue]
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
        root = _checked(lambda: ROOT_LISTS[name](**arguments))
        request = _checked(
            lambda: page_request(
                settings=c.settings,
                list_name=root.list_name,
                ordering=root.ordering,
                **paging,
            )
        )
        return c.connection(root, request, details, field)

    return produce


def _node(c: Compiler, details: Details, field: GraphQLField) -> SqlValue:
    given = str(c.arguments(field, details)["id"])
    type_name, slug = _checked(lambda: parse_global_id(given, argument="id"))
    return c.node(type_name, "slug", bindparam(None, slug), details)


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
