"""Relay connections: edges with opaque keyset cursors, pageInfo, nodes and totalCount."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from sqlalchemy.engine import Row

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.rows import as_types
from claimgraph.api.ids import encode_cursor
from claimgraph.api.lists import RootList
from claimgraph.api.paging import page_request
from claimgraph.db.queries.pagination import (
    Page,
    count_rows,
    fetch_page,
)

NodeT = TypeVar("NodeT")

# The paging arguments every list takes, described once.
First = Annotated[
    int | None,
    strawberry.argument(description="Page forward: how many items, 1 to 100 (default 20)."),
]
After = Annotated[
    str | None,
    strawberry.argument(description="Start after this cursor (an `endCursor` or edge `cursor`)."),
]
Last = Annotated[
    int | None,
    strawberry.argument(description="Page backward: how many items before `before`, 1 to 100."),
]
Before = Annotated[
    str | None,
    strawberry.argument(description="End before this cursor (a `startCursor` or edge `cursor`)."),
]


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow this page (ask with `after: endCursor`)."
    )
    has_previous_page: bool = strawberry.field(
        description="Items come before this page (ask with `before: startCursor`)."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; null for an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item; null for an empty page."
    )


@strawberry.type(description="An item of a list, with the cursor that points at it.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(
        description="Opaque; pass as `after` or `before` to page from this item."
    )
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list. Page with `first`/`after` forward or `last`/`before` "
    "backward; cursors stay valid as data is added."
)
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The page's items with cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page stands in the list.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The page's items, without cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def build_connection(
    page: Page[Any],
    nodes: Sequence[NodeT],
    *,
    list_name: str,
    count: Callable[[], Awaitable[int]],
) -> Connection[NodeT]:
    """A connection for ``page``, whose items have become ``nodes`` (same order)."""
    cursors = [encode_cursor(list_name, key) for key in page.keys]
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(cursors, nodes, strict=True)],
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        count=count,
    )


async def list_connection(
    info: strawberry.Info[Context, None],
    root: RootList,
    *,
    load: Callable[[list[Any]], Awaitable[list[Any]]],
    item: Callable[[Row[Any]], Any],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[Any]:
    """A page of a top-level list: the page's ``item``s (ids, or (kind, id) pairs) from
    its query, then their rows by ``load`` (DataLoaders: one batch per kind)."""
    context = info.context
    list_name, query, ordering = root.list_name, root.query, root.ordering
    request = page_request(
        settings=context.settings,
        list_name=list_name,
        ordering=ordering,
        first=first,
        after=after,
        last=last,
        before=before,
    )
    page = await context.db.run(
        fetch_page, query=query, ordering=ordering, request=request, convert=item
    )
    rows = await load(page.items)

    async def count() -> int:
        return await context.db.run(count_rows, query=query)

    return build_connection(page, as_types(rows), list_name=list_name, count=count)
