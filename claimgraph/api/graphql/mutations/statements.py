"""The desk's statement edits: create (an excerpt placed in its source, a quote inside it,
EDTF dates), correct against the revision read, retract with a reason, publish a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.mutations.checks import Checks, date_spec
from claimgraph.api.graphql.mutations.common import correction, row_values, save_update
from claimgraph.api.graphql.mutations.errors import UserErrorCode
from claimgraph.api.graphql.mutations.inputs import (
    CreateStatementInput,
    PublishStatementInput,
    RetractStatementInput,
    UpdateStatementInput,
)
from claimgraph.db import models as m
from claimgraph.db.models.base import table_of
from claimgraph.db.queries.edits import insert_node, replace_links, unique_slug
from claimgraph.db.queries.revisions import Revised
from claimgraph.seed.loader.rows import statement_row
from claimgraph.seed.reader import Located
from claimgraph.seed.schema import DateSpec, StatementSpec

STATEMENTS = table_of(m.Statement)
#: A statement's lists of linked records: input field -> (link table, column, node type).
LINKS = {
    "mentions": (m.statement_mentions, "actor_id", "Actor"),
    "agreements": (m.statement_agreements, "agreement_id", "Agreement"),
    "deployments": (m.statement_deployments, "deployment_id", "Deployment"),
    "events": (m.statement_events, "event_id", "Event"),
}


def _slugs(rows: list[Any]) -> list[str]:
    return [row.slug for row in rows]


async def _write_links(
    session: AsyncSession, statement_id: int, linked: dict[str, list[Any]]
) -> None:
    for name, rows in linked.items():
        link, column, _ = LINKS[name]
        await replace_links(
            session,
            link,
            parent="statement_id",
            parent_id=statement_id,
            rows=[{column: row.id} for row in rows],
        )


def _row(
    spec: StatementSpec, located: Located, source: m.Source, speaker: m.Actor
) -> dict[str, Any]:
    """The statement's columns, as the seed loader stores the same record."""
    published = DateSpec.model_validate(date_spec("published", row_values(source)))
    return statement_row(spec, located, published, source.id, {speaker.slug: speaker.id})


async def create_statement(
    session: AsyncSession, data: CreateStatementInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    source = await checks.node("Source", data.source, "source")
    speaker = await checks.node("Actor", data.speaker, "speaker")
    linked = {
        name: await checks.nodes(type_name, getattr(data, name), name)
        for name, (_, _, type_name) in LINKS.items()
    }
    located = checks.excerpt(source.text, data.excerpt, "excerpt") if source else None
    spec = checks.spec(
        StatementSpec,
        {
            "slug": "desk",
            "speaker": speaker.slug if speaker else "unknown",
            "speaker_role": data.speaker_role,
            "mode": data.mode.name,
            "claim": data.claim,
            "quote": data.quote,
            # Without a placed excerpt its own problem is reported; the quote is not checked.
            "excerpt": source.text[located.start : located.end]
            if source and located
            else data.quote or "-",
            "channel": data.channel,
            "said_on": data.said_on.spec(),
            "reported_on": data.reported_on.spec() if data.reported_on else None,
            **{name: _slugs(rows) for name, rows in linked.items()},
        },
        {},
    )
    checks.done()
    assert spec is not None
    assert source is not None
    assert speaker is not None
    assert located
    row = _row(spec, located, source, speaker)
    row["slug"] = await unique_slug(session, table=STATEMENTS, words=spec.claim)
    draft = bool(data.draft)
    row["status"] = m.StatementStatus.DRAFT if draft else m.StatementStatus.PUBLISHED
    links = [
        {"field": name, "before": [], "after": _slugs(rows)}
        for name, rows in linked.items()
        if rows
    ]
    statement_id = await insert_node(
        session,
        STATEMENTS,
        row,
        revised=Revised(editor, data.reason, links),
        now=now,
        kind=None if draft else m.ChangeKind.CREATED,  # a draft meets the feed when published
    )
    await _write_links(session, statement_id, linked)
    return m.Statement, statement_id


def _given(value: Any) -> bool:
    return value is not strawberry.UNSET


async def update_statement(
    session: AsyncSession, data: UpdateStatementInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    row = await correction(checks, "Statement", data.id, data.expected_revision, data.reason)
    source = await session.get(m.Source, row.source_id)
    assert source is not None
    spec_values, speaker, located = await _current(session, row, source)
    if _given(data.speaker):
        speaker = await checks.node("Actor", data.speaker or "", "speaker")
    mentions = None
    if _given(data.mentions):
        mentions = await checks.nodes("Actor", data.mentions or [], "mentions")
        spec_values["mentions"] = _slugs(mentions)
    placed: Located | None = located
    if _given(data.excerpt) and data.excerpt is not None:
        placed = checks.excerpt(source.text, data.excerpt, "excerpt")
    _patch(spec_values, data, speaker, source, placed)
    spec = checks.spec(StatementSpec, spec_values, {})
    checks.done()
    assert spec is not None
    assert speaker is not None
    assert placed is not None
    new = _row(spec, placed, source, speaker)
    links = await _link_changes(session, row.id, mentions)
    kind = None if row.status == m.StatementStatus.DRAFT else m.ChangeKind.UPDATED
    revised = Revised(editor, data.reason, links)
    if (
        await save_update(
            session, row, new, expected=data.expected_revision, revised=revised, now=now, kind=kind
        )
        and mentions is not None
    ):
        await _write_links(session, row.id, {"mentions": mentions})
    return m.Statement, row.id


async def _current(
    session: AsyncSession, row: m.Statement, source: m.Source
) -> tuple[dict[str, Any], m.Actor | None, Located]:
    """A statement as the seed record it would be, its speaker and its excerpt's place."""
    values = row_values(row)
    speaker = await session.get(m.Actor, row.speaker_id)
    mentioned = await session.scalars(
        m.Actor.__table__.select()
        .with_only_columns(m.Actor.slug)
        .join(m.statement_mentions, m.statement_mentions.c.actor_id == m.Actor.id)
        .where(m.statement_mentions.c.statement_id == row.id)
    )
    spec = {
        "slug": row.slug,
        "speaker": speaker.slug if speaker else "unknown",
        "speaker_role": row.speaker_role,
        "mode": row.mode,
        "claim": row.claim,
        "quote": row.quote,
        "excerpt": source.text[row.excerpt_start : row.excerpt_end],
        "channel": row.channel,
        "said_on": date_spec("said", values),
        "reported_on": date_spec("reported", values),
        "mentions": sorted(mentioned),
    }
    return spec, speaker, Located(row.excerpt_start, row.excerpt_end)


def _patch(
    spec: dict[str, Any],
    data: UpdateStatementInput,
    speaker: m.Actor | None,
    source: m.Source,
    located: Located | None,
) -> None:
    """Lay the fields the correction gives over the statement as it is."""
    for name in ("mode", "claim", "quote", "speaker_role", "channel"):
        value = getattr(data, name)
        if _given(value):
            spec[name] = value.name if name == "mode" and value is not None else value
    for name in ("said_on", "reported_on"):
        value = getattr(data, name)
        if _given(value):
            spec[name] = value.spec() if value is not None else None
    if speaker is not None:
        spec["speaker"] = speaker.slug
    if located is not None:
        spec["excerpt"] = source.text[located.start : located.end]


async def _link_changes(
    session: AsyncSession, statement_id: int, mentions: list[Any] | None
) -> list[dict[str, Any]]:
    """The change to the statement's mentions, if the correction gives them anew."""
    if mentions is None:
        return []
    before = sorted(
        await session.scalars(
            m.Actor.__table__.select()
            .with_only_columns(m.Actor.slug)
            .join(m.statement_mentions, m.statement_mentions.c.actor_id == m.Actor.id)
            .where(m.statement_mentions.c.statement_id == statement_id)
        )
    )
    after = sorted(_slugs(mentions))
    return [] if before == after else [{"field": "mentions", "before": before, "after": after}]


async def retract_statement(
    session: AsyncSession, data: RetractStatementInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    row = await correction(
        checks,
        "Statement",
        data.id,
        data.expected_revision,
        data.reason,
        why="say why it is retracted",
    )
    if row.status == m.StatementStatus.RETRACTED:
        checks.add(UserErrorCode.INVALID, "id: the statement was retracted already", "id")
    checks.done()
    new = {
        "status": m.StatementStatus.RETRACTED,
        "retraction_reason": data.reason.strip(),
        "retraction_at": now,
    }
    expected = row.revision if data.expected_revision is None else data.expected_revision
    revised = Revised(editor, data.reason)
    kind = None if row.status == m.StatementStatus.DRAFT else m.ChangeKind.UPDATED
    await save_update(session, row, new, expected=expected, revised=revised, now=now, kind=kind)
    return m.Statement, row.id


async def publish_statement(
    session: AsyncSession, data: PublishStatementInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    row = await checks.record("Statement", data.id)
    if row.status != m.StatementStatus.DRAFT:
        checks.add(
            UserErrorCode.INVALID, f"id: the statement is {row.status.value}, not a DRAFT", "id"
        )
    checks.done()
    new = {"status": m.StatementStatus.PUBLISHED}
    revised = Revised(editor, data.reason)
    # The feed meets it now, as new.
    await save_update(
        session,
        row,
        new,
        expected=row.revision,
        revised=revised,
        now=now,
        kind=m.ChangeKind.CREATED,
    )
    return m.Statement, row.id
