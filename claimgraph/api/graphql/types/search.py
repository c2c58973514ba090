"""`search`'s answer: a connection whose edges also carry a highlight, the passage of the
hit's text that matched with the matching words marked."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.declare import custom
from claimgraph.api.graphql.types.actor import Actor
from claimgraph.api.graphql.types.agreement import Agreement
from claimgraph.api.graphql.types.connection import Connection, PageInfo
from claimgraph.api.graphql.types.deployment import Deployment
from claimgraph.api.graphql.types.event import Event
from claimgraph.api.graphql.types.source import Source
from claimgraph.api.graphql.types.statement import Statement
from claimgraph.api.lists import KIND_TYPES
from claimgraph.db.queries.search import SUBSTRING, WORDS, highlights

KINDS = {name: kind for kind, name in KIND_TYPES.items()}


@strawberry.enum(description="How `search` matches its text.")
class SearchMatch(Enum):
    WORDS = strawberry.enum_value(
        WORDS,
        description="Whole words, in any form (`withdraw` finds `withdrawal`), best match "
        'first. Write it as in a web search engine: `"an exact phrase"`, `a or b`, '
        "`-without`. PostgreSQL's full-text search (English), or SQLite's FTS5.",
    )
    SUBSTRING = strawberry.enum_value(
        SUBSTRING,
        description="The text as it is, anywhere, ignoring case (`withdr` finds "
        "`Withdrawal`); in kind order: statements, events, actors, agreements, deployments, "
        "sources. Slower than words on a large corpus.",
    )


class _PageHighlights:
    """The highlights of one page's hits, read in one go when the first edge asks."""

    def __init__(self, context: Context, hits: list[tuple[int, int]], text: str, mode: str):
        self.context, self.hits, self.text, self.mode = context, hits, text, mode
        self._found: asyncio.Task[dict[tuple[int, int], str | None]] | None = None

    async def of(self, hit: tuple[int, int]) -> str | None:
        if self._found is None:
            self._found = asyncio.ensure_future(
                self.context.db.run(highlights, self.hits, text=self.text, mode=self.mode)
            )
        return (await self._found).get(hit)


SearchResult = Annotated[
    Statement | Actor | Agreement | Deployment | Event | Source,
    strawberry.union("SearchResult", description="Anything `search` can find."),
]


@strawberry.type(name="SearchResultEdge", description="A hit, with its cursor and highlight.")
class SearchEdge:
    cursor: str = strawberry.field(description="Opaque; pass as `after` to page from this hit.")
    node: SearchResult = strawberry.field(description="The record found.")
    hit: strawberry.Private[tuple[int, int]]
    page: strawberry.Private[_PageHighlights]

    @custom(
        description="The passage of the hit's text that matched, the matching words marked "
        "«like this» (names and aliases for an actor; claim and quote for a statement).",
        resolver_only="a snippet is the text-search engine's own function over the hit's "
        "text (ts_headline, FTS5's snippet), asked for once per page by the resolvers",
    )
    async def highlight(self) -> str | None:
        return await self.page.of(self.hit)


@strawberry.type(
    name="SearchResultConnection",
    description="A page of hits. Page forward with `first`/`after`.",
)
class SearchConnection:
    edges: list[SearchEdge] = strawberry.field(description="The page's hits with cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page stands in the list.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The page's hits, without cursors or highlights.")
    def nodes(self) -> list[SearchResult]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many records match, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def with_highlights(
    context: Context, connection: Connection[Any], text: str, mode: str
) -> SearchConnection:
    """``connection`` with edges that can tell their highlight."""
    hits = [(KINDS[type(edge.node).__name__], edge.node.row.id) for edge in connection.edges]
    page = _PageHighlights(context, hits, text, mode)
    edges = [
        SearchEdge(cursor=edge.cursor, node=edge.node, hit=hit, page=page)
        for edge, hit in zip(connection.edges, hits, strict=True)
    ]
    return SearchConnection(edges=edges, page_info=connection.page_info, count=connection.count)


__all__ = ["SearchConnection", "SearchEdge", "SearchMatch", "SearchResult", "with_highlights"]
