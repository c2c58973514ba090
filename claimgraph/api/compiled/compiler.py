"""A validated GraphQL query, compiled into one SQL statement that returns the response's
`data` as JSON, built by the database (as PostGraphile and Hasura do).

Each field the compiler covers maps to a SQL expression over the row its object stands for:
a column, a JSON object of a related row (a correlated subquery), or a JSON array of related
rows in the order the resolvers give them. Lists are cut into pages by the same queries,
orders and cursors as the resolvers use (:mod:`claimgraph.api.lists`,
:mod:`claimgraph.db.queries.pagination`). A field it does not cover, or an argument the
resolvers would refuse, raises :class:`Unsupported`, and the ordinary resolvers answer the
whole query instead, errors and all; ``tests/api/test_compiled.py`` proves the two answer
alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    OperationDefinitionNode,
    VariableNode,
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
    BindParameter,
    ColumnElement,
    FromClause,
    Select,
    bindparam,
    select,
)
from strawberry.types.arguments import convert_arguments

from claimgraph.api.compiled.connection import ConnectionSql
from claimgraph.api.compiled.json_sql import JsonSql, Unsupported
from claimgraph.api.compiled.producers import ROOT_FIELDS, producer_of
from claimgraph.api.compiled.shapes import (
    Binding,
    Fill,
    Structure,
    checked,
    structure_or_refused,
)
from claimgraph.api.compiled.sql import Level, Rows, Scope, SqlBuilder, SqlValue
from claimgraph.api.links import NODE_MODELS
from claimgraph.api.lists import RootList
from claimgraph.api.settings import ApiSettings
from claimgraph.db.queries.pagination import PageRequest

Details = list[FieldDetails]


@dataclass(frozen=True)
class CompiledQuery:
    """One statement returning one row: the response's ``data`` as JSON text."""

    statement: Select[Any]
    #: Root fields that are null only when the resolvers would raise (``node`` of an ID that
    #: names nothing: NOT_FOUND); if one is null, the resolvers answer instead.
    required: tuple[str, ...]
    #: The variables bound as parameters (claimgraph.api.compiled.shapes).
    bindings: tuple[Binding, ...] = ()
    #: Their values for the request at hand (none: those the statement was built with).
    params: Mapping[str, Any] = field(default_factory=dict)


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
    compiler.given = raw_variables or {}
    return compiler.query()


class Compiler(SqlBuilder):
    """A validated query's selection as SQL that builds its JSON."""

    def __init__(
        self,
        schema: strawberry.Schema,
        json: JsonSql,
        settings: ApiSettings,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
    ) -> None:
        super().__init__(json)
        self.schema = schema
        self.graphql = schema._schema
        self.settings = settings
        self.operation = operation
        self.fragments = fragments
        self.variables = variables
        #: The request's variables as given (a bound one must be given, not defaulted).
        self.given: dict[str, Any] = {}
        self.bindings: list[Binding] = []

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
        return CompiledQuery(statement, tuple(required), tuple(self.bindings))

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

    def variable_of(self, details: Details, argument: str) -> str | None:
        """The variable the field's ``argument`` is given as, if the request gives it."""
        for node in details[0].node.arguments or ():
            if node.name.value == argument and isinstance(node.value, VariableNode):
                name = node.value.name.value
                return name if name in self.given else None
        return None

    def bind(
        self,
        variable: str,
        values: Sequence[Any],
        types: Sequence[Any],
        *,
        fill: Fill,
        structure: Structure,
    ) -> list[BindParameter[Any]]:
        """Parameters for the ``values`` a ``variable`` gives here, which ``fill`` works out
        for another value of the same ``structure`` (claimgraph.api.compiled.shapes)."""
        number = len(self.bindings)
        names = tuple(f"v{number}_{i}" for i in range(len(values)))
        self.bindings.append(
            Binding(variable, names, checked(fill), structure_or_refused(structure))
        )
        return [
            bindparam(name, value, type_=kind)
            for name, value, kind in zip(names, values, types, strict=True)
        ]

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
            field = object_type.fields[name]
            produce = producer_of(type_name, name, field)
            if produce is None:
                raise Unsupported(f"{type_name}.{name}")
            pairs.append((key, produce(self, scope, field_details, field)))
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
        row = self.join_node(type_name, level, on)
        value = self.object(type_name, Scope(row, level), details)
        return self.unless_missing(row, value, nullable=nullable)

    def node(self, type_name: str, column: str, value: Any, details: Details) -> SqlValue:
        """The object of the ``type_name`` row whose ``column`` is ``value`` (null if none)."""
        row = self.alias(NODE_MODELS[type_name].__table__)
        level = Level(row)
        found = select(self.object(type_name, Scope(row, level), details))
        found = found.select_from(level.source).where(row.c[column] == value)
        if type_name == "Statement":
            found = found.where(self.statement_shown(row))
        return self.json.nested(found.correlate_except(*level.tables).scalar_subquery())

    def listed(self, rows: Rows, details: Details, field: GraphQLField) -> SqlValue:
        """A JSON array of the field's objects, one for each of ``rows``."""
        with self.nested_list():
            item = self.object(get_named_type(field.type).name, rows.scope, details)
            return self.array(rows, item)

    def connection(
        self,
        root: RootList,
        request: PageRequest,
        details: Details,
        field: GraphQLField,
        *,
        parent: FromClause | None = None,
    ) -> SqlValue:
        """A connection over one page of ``root`` (claimgraph.api.compiled.connection)."""
        return ConnectionSql(self, root, request, field, parent).build(details)
