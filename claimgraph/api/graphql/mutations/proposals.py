"""The extractor's proposals written as DRAFT statements, by the desk's own edits: new actors
as ``createActor`` writes them, the source as ``addSource`` does (``claimgraph ingest
--load``), each proposal as ``createStatement(input: {draft: true})`` does, with a revision
whose reason names the rule that found it and its confidence. Used by the
``proposeStatements`` mutation and by ``claimgraph ingest --load``; one transaction either
way, so a refused proposal leaves nothing written."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.mutations.checks import Checks
from claimgraph.api.graphql.mutations.errors import Refused, UserErrorCode
from claimgraph.api.graphql.mutations.inputs import (
    AddSourceInput,
    CreateActorInput,
    CreateStatementInput,
    ExcerptInput,
    FuzzyDateInput,
)
from claimgraph.api.graphql.mutations.sources_actors import add_source, create_actor
from claimgraph.api.graphql.mutations.statements import create_statement
from claimgraph.api.graphql.types.enums import ActorKind, StatementMode
from claimgraph.api.ids import to_global_id
from claimgraph.db import models as m
from claimgraph.db.engine import create_engine, create_write_sessionmaker
from claimgraph.extract import MAX_TEXT_CHARS, Draft, ExtractError, extract
from claimgraph.extract.draft_file import write_draft
from claimgraph.extract.known import from_connection
from claimgraph.extract.model import Proposal, ProposedActor

ID = strawberry.ID


def reason(rule: str, confidence: float) -> str:
    """A proposal's revision reason: the rule that found it and how sure it is."""
    return f"proposed by the extractor: rule {rule}, confidence {confidence:.2f}"


async def write_actors(
    session: AsyncSession, draft: Draft, editor: str, now: dt.datetime
) -> dict[str, str]:
    """Create the actors the extractor proposes; extractor slug -> the new actor's global ID
    (its stored slug may differ: the desk's slugs are unique)."""
    ids: dict[str, str] = {}
    for actor in needed(draft):
        _, actor_id = await create_actor(session, _actor_input(actor), editor, now)
        slug = await session.scalar(select(m.Actor.slug).where(m.Actor.id == actor_id))
        ids[actor.slug] = to_global_id("Actor", str(slug))
    return ids


def needed(draft: Draft) -> list[ProposedActor]:
    """The proposed actors a proposal speaks as, the publisher, and their organisations: the
    extractor may propose one nothing refers to (a pronoun it could not resolve)."""
    wanted = {proposal.speaker for proposal in draft.proposals} | {draft.publisher}
    wanted |= {a.organization for a in draft.actors if a.slug in wanted and a.organization}
    return [actor for actor in draft.actors if actor.slug in wanted]


def _actor_input(actor: ProposedActor) -> CreateActorInput:
    return CreateActorInput(
        name=actor.name,
        kind=ActorKind[actor.kind.name],
        description=actor.role,
        reason=reason(actor.rule, actor.confidence),
    )


def _statement_input(source: str, speaker: str, proposal: Proposal) -> CreateStatementInput:
    said = proposal.said_on
    return CreateStatementInput(
        source=ID(source),
        speaker=ID(speaker),
        mode=StatementMode[proposal.mode.name],
        claim=proposal.claim,
        excerpt=ExcerptInput(start=proposal.start, end=proposal.end),
        said_on=FuzzyDateInput(edtf=said.edtf, phrase=said.phrase, anchor=said.anchor),
        quote=proposal.quote,
        speaker_role=proposal.speaker_role,
        channel=proposal.channel,
        reason=reason(proposal.rule, proposal.confidence),
        draft=True,
    )


async def write_statements(
    session: AsyncSession,
    draft: Draft,
    source_slug: str,
    actors: dict[str, str],
    editor: str,
    now: dt.datetime,
) -> list[int]:
    """Each proposal as a DRAFT statement of the source, in text order; their ids. Speakers
    are the new actors (``actors``) or known ones, by slug."""
    source = to_global_id("Source", source_slug)
    ids = []
    for proposal in draft.proposals:
        speaker = actors.get(proposal.speaker) or to_global_id("Actor", proposal.speaker)
        data = _statement_input(source, speaker, proposal)
        try:
            _, statement_id = await create_statement(session, data, editor, now)
        except Refused as refused:
            for error in refused.errors:  # which proposal (a bug in the extractor, or a merge)
                error.message = f"proposal {proposal.slug!r}: {error.message}"
            raise
        ids.append(statement_id)
    return ids


async def load_draft(
    session: AsyncSession, draft: Draft, *, url: str | None, editor: str, now: dt.datetime
) -> tuple[int, list[int]]:
    """``claimgraph ingest --load``: the new actors, the source (as ``addSource``) and its
    proposals as DRAFT statements; the source's id and the statements'. Raises Refused."""
    actors = await write_actors(session, draft, editor, now)
    publisher = actors.get(draft.publisher) or to_global_id("Actor", draft.publisher)
    data = AddSourceInput(
        title=draft.title,
        text=draft.text,
        published_on=FuzzyDateInput(edtf=draft.published.isoformat()),
        url=url,
        publisher=ID(publisher),
        reason="added by the extractor (claimgraph ingest --load)",
    )
    _, source_id = await add_source(session, data, editor, now)
    slug = await session.scalar(select(m.Source.slug).where(m.Source.id == source_id))
    return source_id, await write_statements(session, draft, str(slug), actors, editor, now)


async def propose(
    session: AsyncSession, source_id: str, editor: str, now: dt.datetime
) -> list[int]:
    """The ``proposeStatements`` edit: extract the source already stored, with the database's
    actors as known actors, and write the proposals as DRAFT statements. Raises Refused."""
    checks = Checks(session)
    source: m.Source | None = await checks.node("Source", source_id, "source")
    checks.done()
    assert source is not None
    publisher = await session.get(m.Actor, source.publisher_id) if source.publisher_id else None
    if len(source.text) > MAX_TEXT_CHARS:
        checks.add(
            UserErrorCode.INVALID,
            f"source: its text has {len(source.text):,} characters, over the extractor's "
            f"limit of {MAX_TEXT_CHARS:,}",
            "source",
        )
    if publisher is None:
        checks.add(
            UserErrorCode.INVALID,
            "source: it has no publisher, to whom the extractor attributes the source's own "
            "account; add the source with its `publisher`",
            "source",
        )
    checks.done()
    assert publisher is not None
    known = await from_connection(await session.connection())
    draft = await _extract(checks, source, publisher.name, known)
    actors = await write_actors(session, draft, editor, now)
    return await write_statements(session, draft, source.slug, actors, editor, now)


async def _extract(checks: Checks, source: m.Source, publisher: str, known: Any) -> Draft:
    """The draft of a stored source: published on its date's latest day (its earliest, when
    it has no end). The extractor runs in a thread: it takes up to a second of CPU."""
    published = source.published
    day = published.latest if published.latest != dt.date.max else published.earliest
    try:
        return await asyncio.to_thread(
            extract, source.text, published=day, publisher=publisher, known_actors=known
        )
    except ExtractError as error:
        checks.add(UserErrorCode.INVALID, f"source: {error}", "source")
        checks.done()
        raise  # (done() raises)


def load_file(draft: Draft, *, url: str, out: Path, editor: str) -> tuple[Path, Path, int]:
    """Load ``draft`` as DRAFT statements in one transaction (the desk's own edits), writing
    its files last, inside it: a refusal or a failure leaves neither rows nor files."""

    async def run() -> tuple[Path, Path, int]:
        engine = create_engine()
        try:
            async with create_write_sessionmaker(engine)() as session, session.begin():
                now = dt.datetime.now(dt.UTC)
                _, ids = await load_draft(session, draft, url=url, editor=editor, now=now)
                return (*write_draft(draft, out, url=url), len(ids))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except Refused as refused:
        problems = "; ".join(error.message for error in refused.errors)
        raise ExtractError(f"--load: nothing was loaded: {problems}") from refused
    except (SQLAlchemyError, OSError) as error:
        raise ExtractError(
            f"--load: nothing was loaded: DATABASE_URL: {type(error).__name__}: {error}"
        ) from error
