"""Building JSON in SQL, the same way on PostgreSQL and SQLite.

PostgreSQL has `json_build_object` and `json_agg(… ORDER BY …)`; SQLite has `json_object`
and `json_group_array`, which takes no ORDER BY before 3.44, so an ordered list is a window
aggregate over the whole ordered partition there. SQLite also forgets that a subquery's
value is JSON (it becomes a string) unless it is wrapped in `json()`, and has no booleans or
base64, so those are spelled out here too (base64 as a function the engine registers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    String,
    Text,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from claimgraph.db.engine import SQLITE_BASE64URL


class Unsupported(Exception):
    """The compiler does not cover this query; the ordinary resolvers answer it."""


#: What we put into SQL as literal text: our own names, response keys, type names.
_SAFE_TEXT = re.compile(r"[A-Za-z0-9_:. \[\]\",-]*")


class JsonSql:
    """JSON-building SQL expressions for one dialect (``postgresql`` or ``sqlite``)."""

    def __init__(self, dialect: str) -> None:
        if dialect not in ("postgresql", "sqlite"):
            raise Unsupported(f"no JSON compiler for {dialect}")
        self.postgres = dialect == "postgresql"
        #: How many lists may nest (SQLite's parser overflows past a few subqueries).
        self.max_list_depth = 20 if self.postgres else 3

    def text(self, value: str) -> ColumnElement[str]:
        """A constant string."""
        if not _SAFE_TEXT.fullmatch(value):
            raise Unsupported(f"unexpected characters in a SQL constant: {value!r}")
        quoted = "'" + value + "'"
        return literal_column(f"CAST({quoted} AS TEXT)" if self.postgres else quoted, String)

    def object(self, pairs: Sequence[tuple[str, ColumnElement[Any]]]) -> ColumnElement[Any]:
        """A JSON object of these keys and values, in this order."""
        if len(pairs) > 50:  # PostgreSQL passes at most 100 arguments
            raise Unsupported("an object of over 50 fields")
        arguments: list[ColumnElement[Any]] = []
        for key, value in pairs:
            arguments += [self.text(key), value]
        build = func.json_build_object if self.postgres else func.json_object
        return build(*arguments)

    def nested(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A JSON value that comes from a subquery, to put inside another one."""
        return value if self.postgres else func.json(value)

    def array(
        self,
        item: ColumnElement[Any],
        *,
        source: FromClause,
        own: Sequence[FromClause],
        where: Sequence[ColumnElement[bool]],
        order_by: Sequence[Any],
    ) -> ColumnElement[Any]:
        """A JSON array of ``item`` for each row of ``source`` that ``where`` keeps, in
        ``order_by`` order; ``[]`` when there is none. Tables other than ``own`` that the
        item or ``where`` mention are the enclosing query's (correlated)."""
        if self.postgres:
            aggregate: ColumnElement[Any] = func.json_agg(aggregate_order_by(item, *order_by))
            empty: ColumnElement[Any] = literal_column("CAST('[]' AS JSON)")
            query = select(func.coalesce(aggregate, empty)).select_from(source).where(*where)
            return query.correlate_except(*own).scalar_subquery()
        whole = func.json_group_array(item).over(order_by=order_by, rows=(None, None))
        query = select(whole).select_from(source).where(*where).limit(1)
        found = query.correlate_except(*own).scalar_subquery()
        return func.json(func.coalesce(found, func.json_array()))

    def boolean(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A boolean (SQLite keeps 0 and 1)."""
        if self.postgres:
            return value
        return case(
            (value.is_(None), literal_column("NULL")),
            (value != 0, literal_column("json('true')")),
            else_=literal_column("json('false')"),
        )

    def constant(self, value: bool) -> ColumnElement[Any]:
        """A constant boolean."""
        word = "true" if value else "false"
        return literal_column(word if self.postgres else f"json('{word}')")

    def date_text(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        """A date as ISO 8601 text, YYYY-MM-DD (SQLite stores it so already)."""
        if not self.postgres:
            return cast(value, Text)
        # asyncpg stores Python's first and last dates as -infinity and infinity.
        return case(
            (func.isfinite(value), func.to_char(value, literal_column("'YYYY-MM-DD'"))),
            (value < literal_column("DATE '2000-01-01'"), literal_column("'0001-01-01'")),
            else_=literal_column("'9999-12-31'"),
        )

    def timestamp_text(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        """A UTC timestamp as Python's ``isoformat`` writes it (the DateTime scalar):
        ``2024-09-08T12:00:00+00:00``, with ``.ffffff`` only when there are microseconds."""
        seconds: ColumnElement[str]
        micro: ColumnElement[str]
        if self.postgres:
            utc = func.timezone(literal_column("'UTC'"), value)
            seconds = func.to_char(utc, literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS'"))
            micro = func.to_char(utc, literal_column("'US'"))
        else:  # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) in SQLite
            seconds = func.substr(value, 1, 10).concat("T").concat(func.substr(value, 12, 8))
            micro = func.substr(value, 21, 6)
        fraction = case(
            (or_(micro == "", micro == "000000"), literal_column("''")),
            else_=literal_column("'.'").concat(micro),
        )
        return seconds.concat(fraction).concat(literal_column("'+00:00'"))

    def int_text(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        return cast(value, Text)

    def quoted_text(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        """A string as a JSON string literal, escaped as Python's ``json.dumps`` escapes it
        with ``ensure_ascii=False``: quote, backslash, \\b \\f \\n \\r \\t, other controls
        as lower-case \\u00xx, everything else as itself (both engines write it so)."""
        if self.postgres:
            return cast(func.to_json(cast(value, Text)), Text)
        return func.json_quote(value)

    def base64url(self, value: ColumnElement[str]) -> ColumnElement[str]:
        """Unpadded base64url of the text's UTF-8 bytes (as claimgraph.api.ids encodes)."""
        if not self.postgres:
            return getattr(func, SQLITE_BASE64URL)(value)  # type: ignore[no-any-return]
        encoded = func.encode(
            func.convert_to(value, literal_column("'UTF8'")), literal_column("'base64'")
        )
        # base64 with + and / as - and _; newlines (every 76 characters) and padding dropped.
        unwrapped = func.translate(encoded, literal_column("E'+/\\n'"), literal_column("'-_'"))
        return func.rtrim(unwrapped, literal_column("'='"))

    def as_text(self, value: ColumnElement[Any]) -> ColumnElement[str]:
        """The whole JSON document as text."""
        return cast(value, Text) if self.postgres else value

    def json_column(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A column that holds JSON (SQLite keeps it as text)."""
        return value if self.postgres else func.json(value)
