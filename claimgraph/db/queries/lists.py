"""The top-level lists: their filters, as SELECTs, and their orderings (for keyset pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, false, func, or_, select, union

from claimgraph.db import models as m
from claimgraph.db.models.base import col
from claimgraph.db.queries.pagination import Ordering, SqlColumn
from claimgraph.db.queries.visibility import listed


def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern for ``text``, with LIKE's wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(column: SqlColumn, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case."""
    return column.ilike(like_pattern(text), escape="\\")


@dataclass(frozen=True)
class DateWindow:
    """Days from ``start`` to ``end``, both included (open where None).

    A fuzzy date [earliest, latest] matches when it *may* fall in the window (it overlaps
    it), or, with ``within``, only when it certainly does (it lies entirely inside).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    within: bool = False

    def conditions(self, earliest: SqlColumn, latest: SqlColumn) -> list[ColumnElement[bool]]:
        """Conditions on a fuzzy date's bounds for it to match this window."""
        conditions: list[ColumnElement[bool]] = []
        if self.start is not None:
            conditions.append((earliest if self.within else latest) >= self.start)
        if self.end is not None:
            conditions.append((latest if self.within else earliest) <= self.end)
        return conditions


def actor_names() -> ColumnElement[str]:
    """An actor's name and aliases as one text to match (the name alone for rows written
    before the column existed)."""
    return func.coalesce(m.Actor.search_names, m.Actor.name)


def id_of_slug(model: type[m.Base], slug: str) -> ColumnElement[int]:
    """The id of the row with ``slug``, as a scalar subquery (NULL when there is none)."""
    return select(model.id).where(model.slug == slug).scalar_subquery()  # type: ignore[attr-defined]


def _linked(link: Any, column: str, model: type[m.Base], slug: str) -> ColumnElement[bool]:
    return exists().where(
        link.c.statement_id == m.Statement.id, link.c[column] == id_of_slug(model, slug)
    )


# -- statements ---------------------------------------------------------------------------

STATEMENT_ORDERINGS: dict[str, Ordering] = {
    "SAID_ON": Ordering(
        [col(m.Statement, "said_earliest"), col(m.Statement, "said_latest"), m.Statement.id]
    ),
    "REPORTED_ON": Ordering(
        [col(m.Statement, "reported_earliest"), col(m.Statement, "reported_latest"), m.Statement.id]
    ),
    "RECORDED_AT": Ordering([m.Statement.recorded_at, m.Statement.id]),
}


@dataclass(frozen=True)
class StatementCriteria:
    """What a statement list is narrowed to; references are slugs, all conditions AND."""

    speaker: str | None = None
    #: Speakers whose name or an alias contains this text (any case).
    speaker_name: str | None = None
    #: Widen ``speaker``/``speaker_name`` to the people who hold a role in those actors.
    include_members: bool = False
    modes: Sequence[m.StatementMode] | None = None
    agreement: str | None = None
    deployment: str | None = None
    event: str | None = None
    mentions: str | None = None
    source: str | None = None
    said: DateWindow | None = None
    text: str | None = None
    #: Statements with at least one relation (either end) of these kinds.
    relation_kinds: Sequence[m.RelationKind] | None = None
    #: Statements in these states (None: the ones a list shows by default, visibility.py).
    statuses: Sequence[m.StatementStatus] | None = None


def _speakers(actors: Select[Any], *, include_members: bool) -> Any:
    """``actors`` (ids), and with ``include_members`` whoever holds a role in one of them."""
    if not include_members:
        return actors
    return union(actors, select(m.Role.actor_id).where(m.Role.organization_id.in_(actors)))


def statements_query(criteria: StatementCriteria) -> Select[Any]:
    """Statements matching ``criteria`` (unordered)."""
    s = m.Statement
    c = criteria
    query = select(s.id).where(listed(s.status, c.statuses))
    if c.speaker is not None and c.include_members:
        named = select(m.Actor.id).where(m.Actor.slug == c.speaker)
        query = query.where(s.speaker_id.in_(_speakers(named, include_members=True)))
    elif c.speaker is not None:
        query = query.where(s.speaker_id == id_of_slug(m.Actor, c.speaker))
    if c.speaker_name:
        named = select(m.Actor.id).where(matches(actor_names(), c.speaker_name))
        query = query.where(s.speaker_id.in_(_speakers(named, include_members=c.include_members)))
    if c.modes is not None:
        query = query.where(s.mode.in_(list(c.modes)) if c.modes else false())
    if c.source is not None:
        query = query.where(s.source_id == id_of_slug(m.Source, c.source))
    if c.agreement is not None:
        query = query.where(
            _linked(m.statement_agreements, "agreement_id", m.Agreement, c.agreement)
        )
    if c.deployment is not None:
        query = query.where(
            _linked(m.statement_deployments, "deployment_id", m.Deployment, c.deployment)
        )
    if c.event is not None:
        query = query.where(_linked(m.statement_events, "event_id", m.Event, c.event))
    if c.mentions is not None:
        query = query.where(_linked(m.statement_mentions, "actor_id", m.Actor, c.mentions))
    if c.said is not None:
        query = query.where(*c.said.conditions(col(s, "said_earliest"), col(s, "said_latest")))
    if c.text:
        query = query.where(or_(matches(s.claim, c.text), matches(s.quote, c.text)))
    if c.relation_kinds is not None:
        r = m.StatementRelation
        related = exists().where(
            or_(r.subject_id == s.id, r.object_id == s.id), r.kind.in_(list(c.relation_kinds))
        )
        query = query.where(related if c.relation_kinds else false())
    return query


# -- the other lists ------------------------------------------------------------------------

ACTOR_ORDERING = Ordering([m.Actor.name, m.Actor.id])
AGREEMENT_ORDERING = Ordering([m.Agreement.title, m.Agreement.id])
SOURCE_ORDERING = Ordering(
    [col(m.Source, "published_earliest"), col(m.Source, "published_latest"), m.Source.id]
)
DEPLOYMENT_ORDERING = Ordering(
    [col(m.Deployment, "as_of_earliest"), col(m.Deployment, "as_of_latest"), m.Deployment.id]
)
EVENT_ORDERING = Ordering(
    [col(m.Event, "occurred_earliest"), col(m.Event, "occurred_latest"), m.Event.id]
)
#: Statements within one source read in the order they stand in its text.
SOURCE_STATEMENT_ORDERING = Ordering([m.Statement.excerpt_start, m.Statement.id])


def actors_query(
    *,
    kinds: Sequence[m.ActorKind] | None = None,
    country: str | None = None,
    name: str | None = None,
) -> Select[Any]:
    """Actors of these kinds, in this country, whose name or an alias contains ``name``
    (not those merged into another: their IDs redirect to it)."""
    query = select(m.Actor.id).where(m.Actor.replaced_by_id.is_(None))
    if kinds is not None:
        query = query.where(m.Actor.kind.in_(list(kinds)) if kinds else false())
    if country is not None:
        query = query.where(m.Actor.country == country)
    if name:
        query = query.where(matches(actor_names(), name))
    return query


def deployments_query(
    *,
    force: str | None = None,
    country: str | None = None,
    operation: str | None = None,
    as_of: DateWindow | None = None,
) -> Select[Any]:
    """Deployments of ``force`` in ``country`` under ``operation``, dated in the window."""
    d = m.Deployment
    query = select(d.id)
    if force is not None:
        query = query.where(d.force_id == id_of_slug(m.Actor, force))
    if country is not None:
        query = query.where(d.country == country)
    if operation:
        query = query.where(matches(d.operation, operation))
    if as_of is not None:
        query = query.where(*as_of.conditions(col(d, "as_of_earliest"), col(d, "as_of_latest")))
    return query


def events_query(
    *,
    kind: str | None = None,
    participant: str | None = None,
    occurred: DateWindow | None = None,
) -> Select[Any]:
    """Events of ``kind`` with ``participant``, dated in the window."""
    e = m.Event
    query = select(e.id)
    if kind is not None:
        query = query.where(e.kind == kind)
    if participant is not None:
        link = m.event_participants
        query = query.where(
            exists().where(
                link.c.event_id == e.id, link.c.actor_id == id_of_slug(m.Actor, participant)
            )
        )
    if occurred is not None:
        query = query.where(
            *occurred.conditions(col(e, "occurred_earliest"), col(e, "occurred_latest"))
        )
    return query


def agreements_query(*, statuses: Sequence[m.AgreementStatus] | None = None) -> Select[Any]:
    """Agreements in these statuses."""
    query = select(m.Agreement.id)
    if statuses is not None:
        query = query.where(m.Agreement.status.in_(list(statuses)) if statuses else false())
    return query


def sources_query() -> Select[Any]:
    """Every source."""
    return select(m.Source.id)
