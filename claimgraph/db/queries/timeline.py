"""The timeline and search: lists that mix several kinds of record, each row a (kind, id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, literal, or_, select, union_all

from claimgraph.db import models as m
from claimgraph.db.models.base import col
from claimgraph.db.queries.lists import DateWindow, actor_names, id_of_slug, matches
from claimgraph.db.queries.pagination import Ordering, SqlColumn
from claimgraph.db.queries.visibility import listed

#: Kinds of record, by the rank they sort in when their dates tie.
STATEMENT, EVENT, ACTOR, AGREEMENT, DEPLOYMENT, SOURCE = range(6)


def timeline_query(
    *, window: DateWindow | None = None, actor: str | None = None
) -> tuple[Select[Any], Ordering]:
    """Statements (by when they were said) and events (by when they happened), dated in
    ``window``, involving ``actor`` (speaker or mentioned; participant)."""
    window = window or DateWindow()
    s, e = m.Statement, m.Event
    said = (col(s, "said_earliest"), col(s, "said_latest"))
    occurred = (col(e, "occurred_earliest"), col(e, "occurred_latest"))
    statements = select(
        literal(STATEMENT).label("kind"),
        s.id.label("id"),
        said[0].label("earliest"),
        said[1].label("latest"),
    ).where(listed(s.status), *window.conditions(*said))
    events = select(
        literal(EVENT).label("kind"),
        e.id.label("id"),
        occurred[0].label("earliest"),
        occurred[1].label("latest"),
    ).where(*window.conditions(*occurred))
    if actor is not None:
        actor_id = id_of_slug(m.Actor, actor)
        mention = m.statement_mentions
        statements = statements.where(
            or_(
                s.speaker_id == actor_id,
                exists().where(mention.c.statement_id == s.id, mention.c.actor_id == actor_id),
            )
        )
        part = m.event_participants
        events = events.where(exists().where(part.c.event_id == e.id, part.c.actor_id == actor_id))
    entries = union_all(statements, events).subquery("timeline")
    ordering = Ordering([entries.c.earliest, entries.c.latest, entries.c.kind, entries.c.id])
    return select(entries.c.kind, entries.c.id), ordering


def search_query(*, text: str) -> tuple[Select[Any], Ordering]:
    """Every record whose text contains ``text`` (any case): a statement's claim or quote, an
    event's title, an actor's name or aliases, an agreement's title or summary, a
    deployment's operation or mission, a source's title."""

    def kind(rank: int, model: type[m.Base], *columns: SqlColumn) -> Select[int, Any]:
        identity: SqlColumn = model.id  # type: ignore[attr-defined]  # every model has an id
        found: Select[int, Any] = select(literal(rank).label("kind"), identity.label("id"))
        return found.where(or_(*(matches(column, text) for column in columns)))

    hits = union_all(
        kind(STATEMENT, m.Statement, m.Statement.claim, m.Statement.quote),
        kind(EVENT, m.Event, m.Event.title),
        kind(ACTOR, m.Actor, actor_names()),
        kind(AGREEMENT, m.Agreement, m.Agreement.title, m.Agreement.summary),
        kind(DEPLOYMENT, m.Deployment, m.Deployment.operation, m.Deployment.mission),
        kind(SOURCE, m.Source, m.Source.title),
    ).subquery("hits")
    return select(hits.c.kind, hits.c.id), Ordering([hits.c.kind, hits.c.id])
