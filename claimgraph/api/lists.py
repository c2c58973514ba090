"""The top-level lists as the API offers them: each field's arguments turned into the query,
the order and the cursor name of its list. The resolvers (claimgraph.api.graphql.schema) and the
query compiler (claimgraph.api.compiled) both start from here, so they cannot disagree on
what a list holds or how it is sorted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select

from claimgraph.api.arguments import country_code, date_window, plain_text
from claimgraph.api.errors import ClientError
from claimgraph.api.ids import slug_of
from claimgraph.db import models as m
from claimgraph.db.queries import lists, search, timeline
from claimgraph.db.queries.lists import StatementCriteria
from claimgraph.db.queries.pagination import Ordering

if TYPE_CHECKING:  # the arguments as the GraphQL layer builds them
    from claimgraph.api.graphql.types.inputs import (
        ActorFilter,
        DateRange,
        DeploymentFilter,
        EventFilter,
        StatementFilter,
        StatementOrder,
    )


@dataclass(frozen=True)
class RootList:
    """A list's rows (``query``), their order, and the name its cursors carry. ``node_type``
    names the GraphQL type of its items; None for lists that mix types, whose rows are
    (kind, id) pairs (kinds as in :mod:`claimgraph.db.queries.timeline`)."""

    list_name: str
    query: Select[Any]
    ordering: Ordering
    node_type: str | None


#: The statements' order when none is asked for (StatementOrder's defaults).
DEFAULT_ORDER = ("SAID_ON", "ASC")


def statements_list(
    filter: StatementFilter | None = None, order_by: StatementOrder | None = None
) -> RootList:
    field, direction = (order_by.field.name, order_by.direction.name) if order_by else DEFAULT_ORDER
    base = lists.STATEMENT_ORDERINGS[field]
    criteria = filter.criteria() if filter else StatementCriteria()
    return RootList(
        list_name=f"statements:{field}:{direction}",
        query=lists.statements_query(criteria),
        ordering=Ordering(base.keys, descending=direction == "DESC"),
        node_type="Statement",
    )


def actors_list(filter: ActorFilter | None = None) -> RootList:
    query = lists.actors_query(
        kinds=None
        if filter is None or filter.kind is None
        else [m.ActorKind[k.name] for k in filter.kind],
        country=country_code(None if filter is None else filter.country, "filter.country"),
        name=plain_text(None if filter is None else filter.name, "filter.name"),
    )
    return RootList("actors", query, lists.ACTOR_ORDERING, "Actor")


def agreements_list() -> RootList:
    return RootList("agreements", lists.agreements_query(), lists.AGREEMENT_ORDERING, "Agreement")


def deployments_list(filter: DeploymentFilter | None = None) -> RootList:
    query = lists.deployments_query(
        force=slug_of(
            None if filter is None else filter.force, argument="filter.force", expected="Actor"
        ),
        country=country_code(None if filter is None else filter.country, "filter.country"),
        operation=plain_text(None if filter is None else filter.operation, "filter.operation"),
        as_of=date_window(None if filter is None else filter.as_of_between, "filter.asOfBetween"),
    )
    return RootList("deployments", query, lists.DEPLOYMENT_ORDERING, "Deployment")


def events_list(filter: EventFilter | None = None) -> RootList:
    query = lists.events_query(
        kind=plain_text(None if filter is None else filter.kind, "filter.kind"),
        participant=slug_of(
            None if filter is None else filter.participant,
            argument="filter.participant",
            expected="Actor",
        ),
        occurred=date_window(
            None if filter is None else filter.occurred_between, "filter.occurredBetween"
        ),
    )
    return RootList("events", query, lists.EVENT_ORDERING, "Event")


def sources_list() -> RootList:
    return RootList("sources", lists.sources_query(), lists.SOURCE_ORDERING, "Source")


def timeline_list(between: DateRange | None = None, actor: str | None = None) -> RootList:
    query, ordering = timeline.timeline_query(
        window=date_window(between, "between"),
        actor=slug_of(actor, argument="actor", expected="Actor"),
    )
    return RootList("timeline", query, ordering, None)


def search_list(text: str, match: Any = None, *, dialect: str) -> RootList:
    """Records matching ``text``: ranked words, or (``match`` SUBSTRING) a substring."""
    plain_text(text, "text")
    if not text.strip():
        raise ClientError("text: give at least one non-blank character to search for.")
    mode = (
        search.SUBSTRING if match is not None and match.value == search.SUBSTRING else search.WORDS
    )
    query, ordering = search.search_query(text=text.strip(), mode=mode, dialect=dialect)
    # Cursors of one mode are no good in the other: their keys differ.
    return RootList("search" if mode == search.SUBSTRING else "search:words", query, ordering, None)


#: The top-level list fields by GraphQL name: each takes the field's arguments other than
#: the paging ones (``first``, ``after``, ``last``, ``before``), as Python values.
ROOT_LISTS: dict[str, Callable[..., RootList]] = {
    "statements": statements_list,
    "actors": actors_list,
    "agreements": agreements_list,
    "deployments": deployments_list,
    "events": events_list,
    "sources": sources_list,
    "timeline": timeline_list,
    "search": search_list,
}

#: Lists whose query depends on the database engine (given as ``dialect=``).
BY_DIALECT = {"search"}

#: The GraphQL type of each kind of row in the mixed lists (timeline, search).
KIND_TYPES = {
    timeline.STATEMENT: "Statement",
    timeline.EVENT: "Event",
    timeline.ACTOR: "Actor",
    timeline.AGREEMENT: "Agreement",
    timeline.DEPLOYMENT: "Deployment",
    timeline.SOURCE: "Source",
}
