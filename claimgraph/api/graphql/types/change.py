"""The change feed: every node created, updated or deleted, in commit order, for partners who
keep a copy of the data (see docs/partners.md).

A feed cursor is ``base64url(JSON ["changes", <change id>])``, made and read by the same
``encode_cursor``/``decode_cursor`` as every other list. It names a position in the log, not
a row of a page, so it stays valid across restarts and reloads; the bulk export hands out the
same kind of cursor for the newest change its snapshot holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLSchema
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from claimgraph.api.compiled.records import records_by_slugs
from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.rows import as_type
from claimgraph.api.graphql.types.connection import PageInfo
from claimgraph.api.graphql.types.node import Node
from claimgraph.api.ids import encode_cursor, to_global_id
from claimgraph.api.paging import page_request
from claimgraph.db.queries.changes import (
    CHANGE_ORDERING,
    ChangeEntry,
    change_entry,
    changes_query,
    data_version,
)
from claimgraph.db.queries.pagination import fetch_page

#: The list name every feed cursor carries (and the export's cursor too).
CHANGES_LIST = "changes"

NodeKey = tuple[str, str]


def changes_cursor(change_id: int) -> str:
    """The feed cursor that resumes after change ``change_id`` (0: the log's beginning)."""
    return encode_cursor(CHANGES_LIST, (change_id,))


@strawberry.enum(description="What a change did to its node.")
class ChangeKind(Enum):
    CREATED = strawberry.enum_value("CREATED", description="The node was added.")
    UPDATED = strawberry.enum_value(
        "UPDATED",
        description="A field of the node changed, or one of its lists (roles, terms, "
        "relations, mentions, …): fetch it again.",
    )
    DELETED = strawberry.enum_value(
        "DELETED", description="The node was removed; its ID names nothing any more."
    )


@strawberry.type(
    description="One entry of the change log: a node was created, updated or deleted. "
    "Entries come in commit order; apply them in that order. `node` and `record` show the "
    "node as it is now (so a later entry may already be reflected), null once it is gone."
)
class Change:
    node_id: strawberry.ID = strawberry.field(
        description="The global ID of the node that changed (given even after deletion)."
    )
    node_type: str = strawberry.field(
        description="The node's type: Source, Statement, Actor, Agreement, Deployment or Event."
    )
    kind: ChangeKind = strawberry.field(description="What happened to the node.")
    changed_at: dt.datetime = strawberry.field(
        description="When the write that made the change ran (exact, UTC); equal to the "
        "node's `updatedAt` for the write that last changed it."
    )
    slug: strawberry.Private[str]
    records: strawberry.Private[DataLoader[NodeKey, dict[str, Any] | None]]

    @strawberry.field(description="The node as it is now; null when it no longer exists.")
    async def node(self, info: strawberry.Info[Context, None]) -> Node | None:
        row = await info.context.loaders.by_slug(self.node_type).load(self.slug)
        return None if row is None else as_type(row)

    @strawberry.field(
        description="The node as it is now, as the bulk export writes it (the same keys and "
        "values as its line in `/export/*.jsonl`), so a copy made from the export can take "
        "it as is; null when the node no longer exists."
    )
    async def record(self) -> JSON | None:
        found = await self.records.load((self.node_type, self.slug))
        return None if found is None else JSON(found)


@strawberry.type(description="An entry of the change feed, with the cursor that points at it.")
class ChangeEdge:
    cursor: str = strawberry.field(
        description="Opaque; pass as `after` to read the entries that follow this one."
    )
    node: Change = strawberry.field(description="The entry.")


@strawberry.type(
    description="A page of the change feed. Keep `cursor` and pass it as `after` next time: "
    "it is never null, so a partner polling an idle feed keeps its place."
)
class ChangeConnection:
    edges: list[ChangeEdge] = strawberry.field(description="The page's entries with cursors.")
    page_info: PageInfo = strawberry.field(
        description="Where the page stands. Here `endCursor` is never null: on an empty page "
        "it is the cursor you passed (or the log's beginning), as `cursor` is."
    )
    cursor: str = strawberry.field(
        description="Where to resume: the last entry's cursor, or on an empty page the "
        "cursor you passed (the log's beginning if none). It stays valid while nothing "
        "changes, across restarts and reloads."
    )

    @strawberry.field(description="The page's entries, without cursors.")
    def nodes(self) -> list[Change]:
        return [edge.node for edge in self.edges]


FeedFirst = Annotated[
    int | None,
    strawberry.argument(description="How many entries, 1 to 100 (default 20)."),
]
FeedAfter = Annotated[
    str | None,
    strawberry.argument(
        description="Read the entries after this cursor: a `cursor` or `endCursor` of this "
        "feed, or the `changesCursor` of a bulk export. Omit it to read the log from its "
        "beginning (every node ever created)."
    ),
]


def _record_loader(
    context: Context, schema: GraphQLSchema
) -> DataLoader[NodeKey, dict[str, Any] | None]:
    """Records for (type, slug) keys: per type one batch, as the export builds them."""

    async def load(keys: list[NodeKey]) -> list[dict[str, Any] | None]:
        wanted: dict[str, list[str]] = defaultdict(list)
        for node_type, slug in keys:
            wanted[node_type].append(slug)
        found: dict[NodeKey, dict[str, Any]] = {}
        for node_type, slugs in wanted.items():
            records = await context.db.run(_records, schema, node_type, slugs)
            found.update(((node_type, slug), record) for slug, record in records.items())
        return [found.get(key) for key in keys]

    return DataLoader(load)


async def _records(
    session: AsyncSession, schema: GraphQLSchema, node_type: str, slugs: list[str]
) -> dict[str, Any]:
    conn = await session.connection()
    return await records_by_slugs(conn, schema, node_type, slugs)


async def change_feed(
    info: strawberry.Info[Context, None], *, first: int | None, after: str | None
) -> ChangeConnection:
    """A page of the change log after ``after``, in commit (id) order."""
    context = info.context
    request = page_request(
        settings=context.settings,
        list_name=CHANGES_LIST,
        ordering=CHANGE_ORDERING,
        first=first,
        after=after,
    )
    page = await context.db.run(
        fetch_page,
        query=changes_query(),
        ordering=CHANGE_ORDERING,
        request=request,
        convert=change_entry,
    )
    start = int(request.after[0]) if request.after is not None else 0
    if not page.items and start > 0 and start > await context.db.run(data_version):
        raise ClientError(
            "after: this cursor is ahead of the change log, which was rebuilt since it was "
            "handed out: export again and follow the feed from the export's cursor",
            code="INVALID_CURSOR",
        )
    records = _record_loader(context, info.schema._schema)
    cursors = [changes_cursor(entry.id) for entry in page.items]
    resume = cursors[-1] if cursors else changes_cursor(start)
    edges = [
        ChangeEdge(cursor=cursor, node=_change(entry, records))
        for cursor, entry in zip(cursors, page.items, strict=True)
    ]
    return ChangeConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=resume,
        ),
        cursor=resume,
    )


def _change(entry: ChangeEntry, records: DataLoader[NodeKey, dict[str, Any] | None]) -> Change:
    return Change(
        node_id=strawberry.ID(to_global_id(entry.node_type, entry.node_slug)),
        node_type=entry.node_type,
        kind=ChangeKind[entry.kind.name],
        changed_at=entry.changed_at,
        slug=entry.node_slug,
        records=records,
    )
