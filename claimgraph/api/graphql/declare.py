"""The field helpers the GraphQL types declare their fields with: each attaches the field's
declaration (claimgraph.api.fields) and, for a field that needs other rows, the one resolver
every field of its kind shares."""

from __future__ import annotations

from typing import Any

import strawberry

from claimgraph.api.fields import (
    DECLARATION,
    Children,
    Column,
    Custom,
    Declaration,
    Embedded,
    Linked,
    One,
    StatementPage,
)
from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.rows import as_type, as_types
from claimgraph.api.graphql.types.connection import (
    After,
    Connection,
    First,
    build_connection,
)
from claimgraph.api.graphql.types.revision import Revision
from claimgraph.api.links import STATEMENT_LISTS
from claimgraph.api.paging import page_request
from claimgraph.db.models.base import table_of
from claimgraph.db.queries.revisions import (
    NODE_TYPES,
    REVISION_ORDERING,
    count_history,
    history_page,
)

Info = strawberry.Info[Context, None]


def _field(declaration: Declaration, description: str, resolver: Any = None) -> Any:
    if resolver is None:
        return strawberry.field(description=description, metadata={DECLARATION: declaration})
    return strawberry.field(
        resolver=resolver, description=description, metadata={DECLARATION: declaration}
    )


def column(name: str, *, description: str) -> Any:
    """A column of the object's row."""
    return _field(Column(name), description)


def embedded(prefix: str, *, description: str) -> Any:
    """An object kept in the row's ``<prefix>_*`` columns (a FuzzyDate, an Excerpt)."""
    return _field(Embedded(prefix), description)


def one(type_name: str, foreign_key: str, *, description: str, of_owner: bool = False) -> Any:
    """The node a foreign key of the row names."""

    async def resolve(root: Any, info: Info) -> Any:
        row = root.row.owner if of_owner else root.row
        key = getattr(row, foreign_key)
        if key is None:
            return None
        return as_type(await info.context.loaders.rows(type_name).load(key))

    return _field(One(type_name, foreign_key, of_owner), description, resolve)


def linked(link: str, *, description: str) -> Any:
    """The nodes a link table joins the row to."""

    async def resolve(root: Any, info: Info) -> Any:
        return as_types(await info.context.loaders.linked(link).load(root.row.id))

    return _field(Linked(link), description, resolve)


def children(name: str, *, description: str) -> Any:
    """The rows that belong to the row, in order."""

    async def resolve(root: Any, info: Info) -> Any:
        return as_types(await info.context.loaders.children(name).load(root.row.id))

    return _field(Children(name), description, resolve)


def statement_page(list_name: str, *, description: str) -> Any:
    """A page of the statements nested in the row (a source's, an actor's, …)."""

    async def resolve(
        root: Any, info: Info, first: First = None, after: After = None
    ) -> Connection[Any]:
        return await nested_statements(
            info, list_name=list_name, parent_pk=root.row.id, first=first, after=after
        )

    return _field(StatementPage(list_name), description, resolve)


def custom(*, description: str, resolver_only: str | None = None) -> Any:
    """A field with its own resolver (used as the method's decorator) or set when the object
    is built; ``resolver_only`` says why the compiled path leaves it to the resolvers."""
    return strawberry.field(description=description, metadata={DECLARATION: Custom(resolver_only)})


async def nested_statements(
    info: Info, *, list_name: str, parent_pk: int, first: int | None, after: str | None
) -> Connection[Any]:
    """A page of the statements nested in another object (a source's, an actor's, …)."""
    loaders = info.context.loaders
    cursor_name = f"{list_name}.statements"
    request = page_request(
        settings=info.context.settings,
        list_name=cursor_name,
        ordering=STATEMENT_LISTS[list_name][2],
        first=first,
        after=after,
    )
    assert request.first is not None
    page = await loaders.statement_pages.load((list_name, parent_pk, request.first, request.after))
    rows = await loaders.rows("Statement").load_many(page.items)

    async def count() -> int:
        return await loaders.statement_counts.load((list_name, parent_pk))

    return build_connection(page, as_types(rows), list_name=cursor_name, count=count)


def recorded_at(noun: str) -> Any:
    """When this database first recorded the record (every node has it)."""
    return column(
        "recorded_at", description=f"When this database first recorded the {noun} (exact, UTC)."
    )


def updated_at(noun: str) -> Any:
    """When this database last changed the record (every node has it)."""
    return column(
        "updated_at", description=f"When this database last changed the {noun} (exact, UTC)."
    )


def revision(noun: str) -> Any:
    """How many times the record has been revised (every node has it)."""
    return column(
        "revision",
        description=f"The {noun}'s revision: 1 as first recorded, one more for each change. "
        "Name it as `expectedRevision` when you correct the record.",
    )


def history(noun: str) -> Any:
    """The record's revisions, oldest first (every node has them)."""

    async def resolve(
        root: Any, info: Info, first: First = None, after: After = None
    ) -> Connection[Revision]:
        node_type = NODE_TYPES[table_of(type(root.row)).name]
        request = page_request(
            settings=info.context.settings,
            list_name="history",
            ordering=REVISION_ORDERING,
            first=first,
            after=after,
        )
        db = info.context.db
        page = await db.run(history_page, node_type=node_type, node_id=root.row.id, request=request)

        async def count() -> int:
            return await db.run(count_history, node_type=node_type, node_id=root.row.id)

        revisions = [Revision.of(row) for row in page.items]
        return build_connection(page, revisions, list_name="history", count=count)

    return strawberry.field(
        resolver=resolve,
        description=f"Every change to the {noun}, oldest first: who, when, why and what. "
        "Append-only: nothing rewrites it.",
        metadata={
            DECLARATION: Custom(
                resolver_only="a page of the revisions table with JSON changes, read by "
                "editors one record at a time; the compiler pages statement lists only"
            )
        },
    )
