"""The root Query and the schema."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.dataloader import DataLoader
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from claimgraph.api.compiled import CompiledQueries
from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.limits import CostLimit, limit_rules
from claimgraph.api.graphql.mutations import Mutation
from claimgraph.api.graphql.rows import as_type
from claimgraph.api.graphql.shape import GuardedValidation
from claimgraph.api.graphql.types.actor import Actor
from claimgraph.api.graphql.types.agreement import Agreement
from claimgraph.api.graphql.types.change import ChangeConnection, FeedAfter, FeedFirst, change_feed
from claimgraph.api.graphql.types.connection import (
    After,
    Before,
    Connection,
    First,
    Last,
    list_connection,
)
from claimgraph.api.graphql.types.deployment import Deployment
from claimgraph.api.graphql.types.event import Event
from claimgraph.api.graphql.types.inputs import (
    DATE_SCALAR,
    ActorFilter,
    DateLiterals,
    DateRange,
    DateText,
    DeploymentFilter,
    EventFilter,
    StatementFilter,
    StatementOrder,
)
from claimgraph.api.graphql.types.node import Node
from claimgraph.api.graphql.types.rate_limit import RateLimit
from claimgraph.api.graphql.types.search import (
    SearchConnection,
    SearchMatch,
    with_highlights,
)
from claimgraph.api.graphql.types.source import Source
from claimgraph.api.graphql.types.statement import Statement
from claimgraph.api.ids import parse_global_id
from claimgraph.api.lists import (
    KIND_TYPES,
    RootList,
    actors_list,
    agreements_list,
    deployments_list,
    events_list,
    search_list,
    sources_list,
    statements_list,
    timeline_list,
)
from claimgraph.api.settings import ApiSettings

TimelineEntry = Annotated[
    Statement | Event,
    strawberry.union(
        "TimelineEntry",
        description="A point on the timeline: a statement (dated by when it was said) or an "
        "event (dated by when it happened).",
    ),
]


def _loads_by_kind(context: Context) -> dict[int, DataLoader[int, Any]]:
    return {kind: context.loaders.rows(type_name) for kind, type_name in KIND_TYPES.items()}


async def _load_mixed(context: Context, items: Sequence[tuple[int, int]]) -> list[Any]:
    """Rows for (kind, id) pairs, one batch per kind, in the pairs' order."""
    by_kind = _loads_by_kind(context)
    wanted: dict[int, list[int]] = defaultdict(list)
    for kind, id_ in items:
        wanted[kind].append(id_)
    kinds = list(wanted)
    batches = await asyncio.gather(*(by_kind[k].load_many(wanted[k]) for k in kinds))
    found = {(k, row.id): row for k, rows in zip(kinds, batches, strict=True) for row in rows}
    return [found[item] for item in items]


@strawberry.type(description="Everything claimgraph holds, with where each fact comes from.")
class Query:
    @strawberry.field(
        description="Your rate limit after this query: its cost, what is left, when it resets."
    )
    def rate_limit(self, info: strawberry.Info[Context, None]) -> RateLimit | None:
        info.context.request_state.personal = True
        return RateLimit.of(info.context.request_state)

    @strawberry.field(description="Fetch any object by its global ID.")
    async def node(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        type_name, slug = parse_global_id(str(id), argument="id")
        row = await _followed(info, await info.context.loaders.by_slug(type_name).load(slug))
        if row is None:
            raise ClientError(f"id: no {type_name} with ID {id!r} exists.", code="NOT_FOUND")
        return as_type(row)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Fetch several objects by global ID, in the order asked; null for an ID "
        "that names nothing."
    )
    async def nodes(
        self,
        info: strawberry.Info[Context, None],
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")],
    ) -> list[Node | None]:
        limit = info.context.settings.max_ids
        if len(ids) > limit:
            raise ClientError(
                f"ids: {len(ids):,} IDs asked for; the limit is {limit:,}.",
                code="QUERY_TOO_COMPLEX",
                limit="ids",
            )
        parsed = [parse_global_id(str(id_), argument=f"ids[{i}]") for i, id_ in enumerate(ids)]
        loaders = info.context.loaders.by_slug
        rows = await asyncio.gather(*(loaders(t).load(slug) for t, slug in parsed))
        rows = list(await asyncio.gather(*(_followed(info, row) for row in rows)))
        return [None if row is None else as_type(row) for row in rows]

    @strawberry.field(description="Statements: who said what, when, and where it was reported.")
    async def statements(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            StatementFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
        order_by: Annotated[
            StatementOrder | None,
            strawberry.argument(description="Sort order (default: by when said, earliest first)."),
        ] = None,
    ) -> Connection[Statement]:
        root = statements_list(filter, order_by)
        return await _root_connection(info, root, first, after, last, before)

    @strawberry.field(description="Actors: people, governments, bodies, forces, groups, outlets.")
    async def actors(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            ActorFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
    ) -> Connection[Actor]:
        return await _root_connection(info, actors_list(filter), first, after, last, before)

    @strawberry.field(description="Agreements, by title.")
    async def agreements(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Agreement]:
        return await _root_connection(info, agreements_list(), first, after, last, before)

    @strawberry.field(description="Deployments of forces, by their as-of date.")
    async def deployments(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            DeploymentFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
    ) -> Connection[Deployment]:
        return await _root_connection(info, deployments_list(filter), first, after, last, before)

    @strawberry.field(description="Events, by when they happened (earliest first).")
    async def events(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            EventFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
    ) -> Connection[Event]:
        return await _root_connection(info, events_list(filter), first, after, last, before)

    @strawberry.field(description="Sources, by publication date.")
    async def sources(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Source]:
        return await _root_connection(info, sources_list(), first, after, last, before)

    @strawberry.field(
        description="Statements (by when said) and events (by when they happened) in one "
        "list, earliest day first, then latest day."
    )
    async def timeline(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        between: Annotated[
            DateRange | None,
            strawberry.argument(description="Only entries whose date matches this range."),
        ] = None,
        actor: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only statements this actor made or is named in, and events it "
                "took part in (an Actor ID)."
            ),
        ] = None,
    ) -> Connection[TimelineEntry]:
        return await _root_connection(info, timeline_list(between, actor), first, after)

    @strawberry.field(
        description="Find statements (by claim and quote), actors (by name and aliases), "
        "agreements (title, summary), events (title), deployments (operation, mission) and "
        "sources (title). By default whole words in any form, best match first, with a "
        "highlight per hit; `match: SUBSTRING` finds the text anywhere, ignoring case. The "
        "text may be at most 200 characters; a search costs more rate-limit points than a "
        "list (it reads an index of every record; a substring search, far more)."
    )
    async def search(
        self,
        info: strawberry.Info[Context, None],
        text: Annotated[str, strawberry.argument(description="The text to look for.")],
        first: First = None,
        after: After = None,
        match: Annotated[
            SearchMatch,
            strawberry.argument(description="Whole words, ranked (the default), or a substring."),
        ] = SearchMatch.WORDS,
    ) -> SearchConnection:
        dialect = info.context.db.session.get_bind().dialect.name
        root = search_list(text, match, dialect=dialect)
        connection = await _root_connection(info, root, first, after)
        return with_highlights(info.context, connection, text.strip(), str(match.value))

    @strawberry.field(
        description="The change log, oldest first: every node created, updated or deleted, in "
        "commit order. Partners follow it from a bulk export's `changesCursor` to keep a copy "
        "up to date (docs/partners.md)."
    )
    async def changes(
        self, info: strawberry.Info[Context, None], after: FeedAfter = None, first: FeedFirst = None
    ) -> ChangeConnection:
        return await change_feed(info, first=first, after=after)


async def _followed(info: strawberry.Info[Context, None], row: Any) -> Any:
    """A row, or for an actor merged into another, the actor kept (its ID redirects)."""
    replaced_by = getattr(row, "replaced_by_id", None)
    if replaced_by is None:
        return row
    return await info.context.loaders.rows("Actor").load(replaced_by)


def _kind_and_id(row: Any) -> tuple[int, int]:
    return int(row[0]), int(row[1])


async def _root_connection(
    info: strawberry.Info[Context, None],
    root: RootList,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Any]:
    """A page of a top-level list, its items loaded by their type's loader (or, for the
    mixed lists, by each row's kind)."""
    context = info.context
    item: Callable[[Any], Any]
    load: Callable[[list[Any]], Awaitable[list[Any]]]
    if root.node_type is None:
        item = _kind_and_id
        load = functools.partial(_load_mixed, context)
    else:
        item = operator.itemgetter(0)
        load = context.loaders.rows(root.node_type).load_many
    return await list_connection(
        info,
        root,
        load=load,
        item=item,
        first=first,
        after=after,
        last=last,
        before=before,
    )


def is_unexpected(error: GraphQLError) -> bool:
    """An error the client did not cause: masked in the response, logged in full. Errors
    before execution (no path: syntax, validation, variable values) are the client's."""
    original = error.original_error
    return (
        error.path is not None and original is not None and not isinstance(original, GraphQLError)
    )


class ClaimgraphSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Nothing: the HTTP layer masks unexpected errors and logs them with the request ID
        and stack trace (claimgraph.api.http.endpoint), so each failure is logged once,
        traceably."""


@functools.lru_cache(maxsize=8)
def _schema_for(settings_json: str) -> ClaimgraphSchema:
    settings = ApiSettings.model_validate_json(settings_json)
    rules = limit_rules(settings)
    return ClaimgraphSchema(
        query=Query,
        mutation=Mutation,
        types=[Statement, Actor, Agreement, Deployment, Event, Source],
        config=StrawberryConfig(auto_camel_case=True),
        # One `Date` scalar for output days and input days, months or years (types/inputs.py).
        scalar_overrides={dt.date: DATE_SCALAR, DateText: DATE_SCALAR},
        # Factories: a fresh extension per request (the parse and validation caches are shared).
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            lambda: ParserCache(maxsize=1000),
            lambda: AddValidationRules([*rules, DateLiterals]),
            lambda: GuardedValidation(settings, maxsize=1000),
            lambda: CostLimit(settings),
            # After the limits: a refused query has its result already and is not compiled.
            CompiledQueries,
        ],
    )


def build_schema(settings: ApiSettings) -> ClaimgraphSchema:
    """The schema with the limits of ``settings`` (built once for each distinct settings)."""
    return _schema_for(settings.model_dump_json())


#: The schema with the default settings: its SDL is what ``make schema`` writes.
schema = build_schema(ApiSettings())
