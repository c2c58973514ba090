"""DataLoaders, built once per request: every field that needs other rows asks a loader, and
each loader answers a whole tick's worth of keys with one statement. So the number of SQL
statements a query runs follows the shape of the query, never the size of its pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, Table, select
from strawberry.dataloader import DataLoader

from claimgraph.db import models as m
from claimgraph.db.models.base import col
from claimgraph.db.queries.batch import (
    child_rows,
    deployments_of_actors,
    linked_rows,
    relations_of,
    rows_by_ids,
    rows_by_slugs,
)
from claimgraph.db.queries.lists import SOURCE_STATEMENT_ORDERING, STATEMENT_ORDERINGS
from claimgraph.db.queries.pagination import (
    Key,
    Ordering,
    Page,
    SqlColumn,
    count_per_parent,
    fetch_child_pages,
)

if TYPE_CHECKING:
    from claimgraph.api.graphql.context import RequestDb

K = TypeVar("K")
V = TypeVar("V")

#: The models behind each Node type, for ``node(id:)`` and ID filters.
NODE_MODELS: dict[str, type[m.Base]] = {
    "Source": m.Source,
    "Statement": m.Statement,
    "Actor": m.Actor,
    "Agreement": m.Agreement,
    "Deployment": m.Deployment,
    "Event": m.Event,
}

_SAID = STATEMENT_ORDERINGS["SAID_ON"]


def _statements_via(link: Table, column: str) -> tuple[Select[Any], SqlColumn]:
    query = select(m.Statement.id).join(link, link.c.statement_id == m.Statement.id)
    return query, link.c[column]


#: The statement lists nested in other types: (query, parent column, ordering).
STATEMENT_LISTS: dict[str, tuple[Select[Any], SqlColumn, Ordering]] = {
    "source": (select(m.Statement.id), m.Statement.source_id, SOURCE_STATEMENT_ORDERING),
    "speaker": (select(m.Statement.id), m.Statement.speaker_id, _SAID),
    "mentioned": (*_statements_via(m.statement_mentions, "actor_id"), _SAID),
    "agreement": (*_statements_via(m.statement_agreements, "agreement_id"), _SAID),
}


@dataclass(frozen=True)
class Link:
    """A list that a link table makes: the ``model`` rows joined to a parent through
    ``table`` (``parent`` and ``child`` are its columns), in the link's ``position`` order
    when it has one, else by ``order_by`` then id (:func:`batch.linked_rows`)."""

    table: Table
    parent: str
    child: str
    model: type[Any]
    order_by: Sequence[SqlColumn] = ()


_SAID_DAYS = [col(m.Statement, "said_earliest"), col(m.Statement, "said_latest")]

#: Every linked list, by the name of its loader.
LINKS: dict[str, Link] = {
    "agreements_of_actor": Link(m.agreement_parties, "actor_id", "agreement_id", m.Agreement),
    "contributors_of_source": Link(m.source_contributors, "source_id", "actor_id", m.Actor),
    "parties_of_agreement": Link(m.agreement_parties, "agreement_id", "actor_id", m.Actor),
    "partners_of_deployment": Link(m.deployment_partners, "deployment_id", "actor_id", m.Actor),
    "participants_of_event": Link(m.event_participants, "event_id", "actor_id", m.Actor),
    "mentions_of_statement": Link(
        m.statement_mentions, "statement_id", "actor_id", m.Actor, [m.Actor.name]
    ),
    "agreements_of_statement": Link(
        m.statement_agreements, "statement_id", "agreement_id", m.Agreement, [m.Agreement.title]
    ),
    "deployments_of_statement": Link(
        m.statement_deployments, "statement_id", "deployment_id", m.Deployment
    ),
    "events_of_statement": Link(
        m.statement_events,
        "statement_id",
        "event_id",
        m.Event,
        [col(m.Event, "occurred_earliest"), col(m.Event, "occurred_latest")],
    ),
    "evidence_of_role": Link(m.role_evidence, "role_id", "statement_id", m.Statement, _SAID_DAYS),
    "evidence_of_term": Link(m.term_evidence, "term_id", "statement_id", m.Statement, _SAID_DAYS),
    "evidence_of_deployment": Link(
        m.statement_deployments, "deployment_id", "statement_id", m.Statement, _SAID_DAYS
    ),
    "evidence_of_event": Link(
        m.statement_events, "event_id", "statement_id", m.Statement, _SAID_DAYS
    ),
}

#: A key of a nested statement page: (list, parent id, first, after).
PageKey = tuple[str, int, int, Key | None]


class Loaders:
    def __init__(self, db: RequestDb) -> None:
        self.db = db

        self.by_slug = {name: self._by_slug(model) for name, model in NODE_MODELS.items()}
        self.source = self._by_id(m.Source)
        self.statement = self._by_id(m.Statement)
        self.actor = self._by_id(m.Actor)
        self.agreement = self._by_id(m.Agreement)
        self.deployment = self._by_id(m.Deployment)
        self.event = self._by_id(m.Event)

        self.roles_of_actor = self._loader(
            child_rows, model=m.Role, parent=m.Role.actor_id, order_by=[m.Role.position]
        )
        self.terms_of_agreement = self._loader(
            child_rows,
            model=m.AgreementTerm,
            parent=m.AgreementTerm.agreement_id,
            order_by=[m.AgreementTerm.position],
        )
        self.relations_of_statement = self._loader(relations_of, key="statement_ids")
        self.agreements_of_actor = self._linked(LINKS["agreements_of_actor"])
        self.deployments_of_actor = self._loader(deployments_of_actors, key="actor_ids")
        self.contributors_of_source = self._linked(LINKS["contributors_of_source"])
        self.parties_of_agreement = self._linked(LINKS["parties_of_agreement"])
        self.partners_of_deployment = self._linked(LINKS["partners_of_deployment"])
        self.participants_of_event = self._linked(LINKS["participants_of_event"])
        self.mentions_of_statement = self._linked(LINKS["mentions_of_statement"])
        self.agreements_of_statement = self._linked(LINKS["agreements_of_statement"])
        self.deployments_of_statement = self._linked(LINKS["deployments_of_statement"])
        self.events_of_statement = self._linked(LINKS["events_of_statement"])
        self.evidence_of_role = self._linked(LINKS["evidence_of_role"])
        self.evidence_of_term = self._linked(LINKS["evidence_of_term"])
        self.evidence_of_deployment = self._linked(LINKS["evidence_of_deployment"])
        self.evidence_of_event = self._linked(LINKS["evidence_of_event"])
        self.statement_pages: DataLoader[PageKey, Page[int]] = DataLoader(self._statement_pages)
        self.statement_counts: DataLoader[tuple[str, int], int] = DataLoader(self._statement_counts)

    # -- loader factories ---------------------------------------------------------------

    def _loader(
        self, query: Callable[..., Awaitable[list[V]]], *, key: str = "parent_ids", **fixed: Any
    ) -> DataLoader[Any, V]:
        async def load(keys: list[Any]) -> list[V]:
            return await self.db.run(query, **fixed, **{key: keys})

        # No cache across ticks: a loader answers each level of a query with one statement
        # even when an earlier level already read some of the rows. A query's cost is then a
        # function of its shape alone (pinned in tests), never of which rows happen to repeat;
        # the price is re-reading a few rows by primary key.
        return DataLoader(load, cache=False)

    def _by_id(self, model: type[Any]) -> DataLoader[int, Any]:
        return self._loader(rows_by_ids, model=model, key="ids")

    def _by_slug(self, model: type[Any]) -> DataLoader[str, Any]:
        return self._loader(rows_by_slugs, model=model, key="slugs")

    def _linked(self, link: Link) -> DataLoader[int, list[Any]]:
        return self._loader(
            linked_rows,
            link=link.table,
            parent=link.parent,
            child=link.child,
            model=link.model,
            order_by=link.order_by,
        )

    # -- nested statement lists ---------------------------------------------------------

    async def _statement_pages(self, keys: list[PageKey]) -> list[Page[int]]:
        groups: dict[tuple[str, int, Key | None], list[int]] = defaultdict(list)
        for name, parent, first, after in keys:
            groups[(name, first, after)].append(parent)
        pages: dict[PageKey, Page[int]] = {}
        for (name, first, after), parents in groups.items():
            query, parent_column, ordering = STATEMENT_LISTS[name]
            found = await self.db.run(
                fetch_child_pages,
                query=query,
                parent=parent_column,
                parents=parents,
                ordering=ordering,
                first=first,
                after=after,
                convert=lambda row: int(row[0]),
            )
            pages.update({(name, parent, first, after): page for parent, page in found.items()})
        return [pages[key] for key in keys]

    async def _statement_counts(self, keys: list[tuple[str, int]]) -> list[int]:
        groups: dict[str, list[int]] = defaultdict(list)
        for name, parent in keys:
            groups[name].append(parent)
        counts: dict[tuple[str, int], int] = {}
        for name, parents in groups.items():
            query, parent_column, _ = STATEMENT_LISTS[name]
            found = await self.db.run(
                count_per_parent, query=query, parent=parent_column, parents=parents
            )
            counts.update({(name, parent): n for parent, n in found.items()})
        return [counts[key] for key in keys]
