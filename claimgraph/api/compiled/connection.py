"""A connection (edges, nodes, pageInfo, totalCount) over one page of a list, in SQL: the
page is read by the same query, order and cursors as the resolvers use
(:mod:`claimgraph.api.lists`, :func:`claimgraph.db.queries.pagination.page_query`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphql import GraphQLAbstractType, GraphQLField, GraphQLObjectType, get_named_type
from sqlalchemy import FromClause, and_, case, func, literal_column, select

from claimgraph.api.compiled.json_sql import Unsupported
from claimgraph.api.compiled.sql import Level, Rows, Scope, SqlValue
from claimgraph.api.lists import KIND_TYPES, RootList
from claimgraph.db.queries.pagination import Ordering, PageRequest, page_query

if TYPE_CHECKING:
    from claimgraph.api.compiled.compiler import Compiler, Details


class ConnectionSql:
    """One connection field: a page of ``root`` as ``request`` asks; for a list nested in an
    object, ``parent`` is that object's row (``root.query`` refers to it, so each use of the
    page is a subquery correlated to it)."""

    def __init__(
        self,
        compiler: Compiler,
        root: RootList,
        request: PageRequest,
        field: GraphQLField,
        parent: FromClause | None,
    ) -> None:
        self.c = compiler
        self.root = root
        self.request = request
        self.parent = parent
        ordering = root.ordering
        rows = page_query(root.query, ordering=ordering, request=request)
        # Numbered by the keys the page query appended (they are its FROM's, whatever that is).
        keys = list(rows.selected_columns)[-len(ordering.keys) :]
        page_order = Ordering(keys, ordering.descending).order_by(reverse=request.backward)
        self.rows = rows.add_columns(
            func.row_number().over(order_by=page_order).label("page_position")
        )
        self.shared = self.rows.cte() if parent is None else None
        self.width = len(root.query.selected_columns)
        connection_type = get_named_type(field.type)
        assert isinstance(connection_type, GraphQLObjectType)
        edge_type = get_named_type(connection_type.fields["edges"].type)
        assert isinstance(edge_type, GraphQLObjectType)
        self.connection_type, self.edge_type = connection_type, edge_type
        self.item_type = get_named_type(edge_type.fields["node"].type)

    def build(self, details: Details) -> SqlValue:
        """The connection's JSON object, with the subfields ``details`` select."""
        pairs: list[tuple[str, SqlValue]] = []
        for key, sub in self.c.subfields(self.connection_type, details).items():
            name = sub[0].node.name.value
            if name == "__typename":
                value = self.c.json.text(self.connection_type.name)
            elif name in ("edges", "nodes"):
                value = self.page_array(name, sub)
            elif name == "pageInfo":
                value = self.page_info(sub)
            elif name == "totalCount":
                value = self.total()
            else:
                raise Unsupported(f"{self.connection_type.name}.{name}")
            pairs.append((key, value))
        return self.c.json.object(pairs)

    # -- the page -----------------------------------------------------------------------

    def new_page(self) -> FromClause:
        """The page's rows, for one use (a shared CTE at the top, else a subquery)."""
        return (
            self.shared if self.shared is not None else self.rows.correlate(self.parent).subquery()
        )

    def parts(self, page: FromClause) -> tuple[list[Any], list[Any], Any]:
        """A page's item columns (id, or kind and id), sort keys and position."""
        columns = list(page.c)
        keys = len(self.root.ordering.keys)
        return columns[: self.width], columns[self.width : self.width + keys], page.c.page_position

    def in_order(self, position: Any, *, reverse: bool = False) -> Any:
        """The list's order, whichever way the page was read (or the other way round)."""
        return position.desc() if self.request.backward != reverse else position.asc()

    def page_array(self, name: str, sub: Details) -> SqlValue:
        """``edges`` or ``nodes``: the page's items in the list's order."""
        page = self.new_page()
        items, keys, position = self.parts(page)
        level = Level(page)
        with self.c.nested_list():
            value = (
                self.edge(level, items, keys, sub)
                if name == "edges"
                else self.item(level, items, sub)
            )
            rows = Rows(
                Scope(page, level),
                where=[position <= self.request.size],
                order_by=[self.in_order(position)],
            )
            return self.c.array(rows, value)

    def item(self, level: Level, items: list[Any], details: Details) -> SqlValue:
        """The object of a page row: joined by id, or for mixed lists by kind and id."""
        if self.root.node_type is not None:
            return self.c.joined(
                self.root.node_type,
                level,
                lambda row: row.c.id == items[0],
                details,
                nullable=False,
            )
        assert isinstance(self.item_type, GraphQLAbstractType)
        kinds = {name: number for number, name in KIND_TYPES.items()}
        branches = []
        for possible in self.c.graphql.get_possible_types(self.item_type):
            is_kind = items[0] == kinds[possible.name]
            value = self.c.joined(
                possible.name,
                level,
                lambda row, is_kind=is_kind: and_(is_kind, row.c.id == items[1]),  # type: ignore[misc]
                details,
                nullable=False,
            )
            branches.append((is_kind, value))
        return case(*branches, else_=literal_column("NULL"))

    def edge(self, level: Level, items: list[Any], keys: list[Any], sub: Details) -> SqlValue:
        pairs: list[tuple[str, SqlValue]] = []
        for key, edge_details in self.c.subfields(self.edge_type, sub).items():
            name = edge_details[0].node.name.value
            if name == "__typename":
                pairs.append((key, self.c.json.text(self.edge_type.name)))
            elif name == "cursor":
                pairs.append((key, self.cursor(keys)))
            elif name == "node":
                pairs.append((key, self.item(level, items, edge_details)))
            else:  # an edge field of its own (search's highlight): the resolvers answer
                raise Unsupported(f"{self.edge_type.name}.{name}")
        return self.c.json.object(pairs)

    # -- about the page -----------------------------------------------------------------

    def end_cursor(self, *, last: bool) -> SqlValue:
        """The cursor of the page's first (or last) item."""
        page = self.new_page()
        _, keys, position = self.parts(page)
        first = (
            select(self.cursor(keys))
            .select_from(page)
            .where(position <= self.request.size)
            .order_by(self.in_order(position, reverse=last))
            .limit(1)
        )
        return first.correlate_except(page).scalar_subquery()

    def more(self) -> SqlValue:
        """Whether the page read one row more than it shows."""
        page = self.new_page()
        count = select(func.count()).select_from(page).correlate_except(page)
        return self.c.json.boolean(count.scalar_subquery() > self.request.size)

    def page_info(self, details: Details) -> SqlValue:
        info_type = get_named_type(self.connection_type.fields["pageInfo"].type)
        assert isinstance(info_type, GraphQLObjectType)
        request, json = self.request, self.c.json
        values: dict[str, Callable[[], SqlValue]] = {
            "__typename": lambda: json.text(info_type.name),
            # As claimgraph.db.queries.pagination.fetch_page says.
            "hasNextPage": lambda: (
                json.constant(request.before is not None) if request.backward else self.more()
            ),
            "hasPreviousPage": lambda: (
                self.more() if request.backward else json.constant(request.after is not None)
            ),
            "startCursor": lambda: self.end_cursor(last=False),
            "endCursor": lambda: self.end_cursor(last=True),
        }
        pairs = [
            (key, values[sub[0].node.name.value]())
            for key, sub in self.c.subfields(info_type, details).items()
        ]
        return json.object(pairs)

    def total(self) -> SqlValue:
        everything = self.root.query.order_by(None)
        if self.parent is not None:
            everything = everything.correlate(self.parent)
        rows = everything.subquery()
        return select(func.count()).select_from(rows).correlate_except(rows).scalar_subquery()

    def cursor(self, keys: list[Any]) -> SqlValue:
        """An item's cursor, as :func:`claimgraph.api.ids.encode_cursor` writes it: base64url
        of the JSON array [list name, key values...]."""
        json = self.c.json
        parts: list[SqlValue] = [json.text(f'["{self.root.list_name}"')]
        for key, sort_key in zip(keys, self.root.ordering.keys, strict=True):
            python_type = sort_key.type.python_type
            if python_type is dt.date:
                parts += [json.text(',"'), json.date_text(key), json.text('"')]
            elif python_type is int:
                parts += [json.text(","), json.int_text(key)]
            elif python_type is str:
                parts += [json.text(","), json.quoted_text(key)]
            else:
                raise Unsupported(f"a cursor over a {python_type.__name__} key")
        parts.append(json.text("]"))
        text = parts[0]
        for part in parts[1:]:
            text = text.concat(part)
        return json.base64url(text)
