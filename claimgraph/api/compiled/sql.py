"""What every statement that builds JSON in the database is made of: the rows an object
stands for (a :class:`Scope` in a :class:`Level`), the rows joined one-to-one to them, and the
lists of rows that belong to them. The GraphQL compiler (compiler.py) and the export's
records (records.py) both build on :class:`SqlBuilder`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    FromClause,
    case,
    func,
    literal_column,
)
from sqlalchemy.sql.selectable import NamedFromClause
from sqlalchemy.types import TypeDecorator

from claimgraph.api.compiled.json_sql import JsonSql, Unsupported
from claimgraph.api.links import LINKS, NODE_MODELS
from claimgraph.db import models as m
from claimgraph.db.queries.batch import link_order
from claimgraph.db.queries.visibility import shown

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
class Rows:
    """The rows of a list that belongs to an object, with what keeps them and their order."""

    scope: Scope
    where: list[ColumnElement[bool]]
    order_by: list[Any]
    #: The list's column that names its owner, and the owner's column it names (an actor's
    #: roles: ``roles.actor_id`` and ``actors.id``), where one column ties them.
    owner_key: tuple[SqlValue, SqlValue] | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """What keeps a row in the list of one owner."""
        if self.owner_key is None:
            return self.where
        key, owner = self.owner_key
        return [*self.where, key == owner]


class SqlBuilder:
    """One statement's JSON-building SQL for one dialect."""

    def __init__(self, json: JsonSql) -> None:
        self.json = json
        self.depth = 0  # lists within lists, so far down
        self.aliases: dict[str, int] = {}

    def alias(self, table: Any) -> NamedFromClause:
        """The next alias of ``table`` in this statement: ``statements_1``, ``statements_2``…
        Shared by every statement compiled, since building an alias's columns costs far more
        than the rest of compiling (and the same names let SQLAlchemy reuse its SQL)."""
        number = self.aliases[table.name] = self.aliases.get(table.name, 0) + 1
        return _alias(table, number)

    def join_node(
        self, type_name: str, level: Level, on: Callable[[FromClause], ColumnElement[bool]]
    ) -> NamedFromClause:
        """The row of a ``type_name`` node joined into ``level`` by ``on``."""
        row = self.alias(NODE_MODELS[type_name].__table__)
        level.join(row, on(row))
        return row

    @staticmethod
    def unless_null(column: SqlValue, value: SqlValue, *, nullable: bool) -> SqlValue:
        """``value``, or null where ``column`` is (if the field may be null)."""
        if not nullable:
            return value
        return case((column.is_(None), literal_column("NULL")), else_=value)

    @classmethod
    def unless_missing(cls, row: FromClause, value: SqlValue, *, nullable: bool) -> SqlValue:
        """``value``, or null where the outer-joined ``row`` is missing (if it may be)."""
        return cls.unless_null(row.c.id, value, nullable=nullable)

    def global_id(self, type_name: str, row: FromClause) -> SqlValue:
        """A node's global ID, as claimgraph.api.ids writes it."""
        return self.json.base64url(self.json.text(f"{type_name}:").concat(row.c.slug))

    def column_value(self, column: SqlValue) -> SqlValue:
        """A column's JSON value, as the GraphQL scalars of its type serialise it."""
        kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        if isinstance(kind, Boolean):
            return self.json.boolean(column)
        if isinstance(kind, DateTime):
            return self.json.timestamp_text(column)
        if isinstance(kind, Date):
            return self.json.date_text(column)
        if isinstance(kind, JSON):
            return self.json.json_column(column)
        return column

    def excerpt_text(self, scope: Scope) -> SqlValue:
        """An excerpt's passage, cut from its source's text (offsets count code points on
        both engines), with the source joined into the excerpt owner's level."""
        source = self.alias(m.Source.__table__)
        scope.level.join(source, source.c.id == scope.row.c.source_id)
        start, end = scope.column("start"), scope.column("end")
        return func.substr(source.c.text, start + 1, end - start)

    def array(self, rows: Rows, item: SqlValue) -> SqlValue:
        """A JSON array of ``item`` over ``rows``."""
        level = rows.scope.level
        return self.json.array(
            item,
            source=level.source,
            own=level.tables,
            where=rows.conditions(),
            order_by=rows.order_by,
        )

    def statement_shown(self, row: FromClause) -> ColumnElement[bool]:
        """A statement ``row`` is one this request may see (a draft only to an editor)."""
        return shown(row.c.status)

    def nested_list(self) -> _Deeper:
        """Enter a list inside a list (SQLite's parser limits how deep)."""
        return _Deeper(self)

    def linked_rows(self, name: str, scope: Scope) -> Rows:
        """The rows a link table joins the object to (``LINKS[name]``), in the link's order."""
        link = LINKS[name]
        table = self.alias(link.table)
        model_table = link.model.__table__
        row = self.alias(model_table)
        order = [
            row.c[column.name] if column.table is model_table else column
            for column in (c.expression for c in link_order(table, link.order_by))
        ]
        level = Level(row)
        level.join(table, table.c[link.child] == row.c.id)
        return Rows(
            Scope(row, level),
            where=[self.statement_shown(row)] if link.model is m.Statement else [],
            order_by=[*order, row.c.id],
            owner_key=(table.c[link.parent], scope.row.c.id),
        )

    def child_rows(self, model: Any, parent: str, scope: Scope) -> Rows:
        """The rows that belong to the object, by position (an actor's roles, terms)."""
        row = self.alias(model.__table__)
        return Rows(
            Scope(row, Level(row)),
            where=[],
            order_by=[row.c.position, row.c.id],
            owner_key=(row.c[parent], scope.row.c.id),
        )


@functools.cache
def _alias(table: Any, number: int) -> NamedFromClause:
    alias: NamedFromClause = table.alias(f"{table.name}_{number}")
    alias.c  # noqa: B018  # build the columns once
    return alias


class _Deeper:
    """A list inside a list: counted, because SQLite's parser stops at a few levels."""

    def __init__(self, builder: SqlBuilder) -> None:
        self.builder = builder

    def __enter__(self) -> None:
        self.builder.depth += 1
        if self.builder.depth > self.builder.json.max_list_depth:
            raise Unsupported("lists nested deeper than the engine's SQL parser allows")

    def __exit__(self, *_: object) -> None:
        self.builder.depth -= 1
