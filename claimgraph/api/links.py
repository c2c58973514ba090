"""The links between records as the API lists them: the model behind each node type, the
lists that link tables make, the rows that belong to a parent, and the statement lists nested
in other records. The loaders (graphql/), the compiled path (compiled/) and the export's
records all read them from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table, select

from claimgraph.db import models as m
from claimgraph.db.models.base import col
from claimgraph.db.queries.lists import SOURCE_STATEMENT_ORDERING, STATEMENT_ORDERINGS
from claimgraph.db.queries.pagination import Ordering, SqlColumn
from claimgraph.db.queries.visibility import listed

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


#: The statement lists nested in other types: (query, parent column, ordering). Their queries
#: hold every statement; :func:`nested_statements` narrows one to those the request sees.
STATEMENT_LISTS: dict[str, tuple[Select[Any], SqlColumn, Ordering]] = {
    "source": (select(m.Statement.id), m.Statement.source_id, SOURCE_STATEMENT_ORDERING),
    "speaker": (select(m.Statement.id), m.Statement.speaker_id, _SAID),
    "mentioned": (*_statements_via(m.statement_mentions, "actor_id"), _SAID),
    "agreement": (*_statements_via(m.statement_agreements, "agreement_id"), _SAID),
}


def nested_statements(name: str) -> tuple[Select[Any], SqlColumn, Ordering]:
    """The nested statement list ``name``, narrowed to the statements a list shows to this
    request (claimgraph.db.queries.visibility): both query paths read it from here."""
    query, parent, ordering = STATEMENT_LISTS[name]
    return query.where(listed(m.Statement.status)), parent, ordering


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


@dataclass(frozen=True)
class Children:
    """Rows that belong to a parent, in their ``position`` order (an actor's roles)."""

    model: type[Any]
    parent: str


CHILDREN: dict[str, Children] = {
    "roles_of_actor": Children(m.Role, "actor_id"),
    "terms_of_agreement": Children(m.AgreementTerm, "agreement_id"),
}
