"""Statement: one claim, by one speaker, as one source reports it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from claimgraph.api.context import Context
from claimgraph.api.jsonld import public_base_url, statement_document
from claimgraph.api.loaders import STATEMENT_LISTS
from claimgraph.api.types.connection import Connection, build_connection, page_request
from claimgraph.api.types.enums import RelationDirection, RelationKind, StatementMode
from claimgraph.api.types.excerpt import Excerpt
from claimgraph.api.types.fuzzy_date import FuzzyDate
from claimgraph.api.types.node import Node, as_type, as_types, global_id, represents
from claimgraph.api.types.relation import StatementRelation
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.types.actor import Actor
    from claimgraph.api.types.agreement import Agreement
    from claimgraph.api.types.deployment import Deployment
    from claimgraph.api.types.event import Event
    from claimgraph.api.types.source import Source


@represents(m.Statement)
@strawberry.type(
    description="One claim, as made by one speaker and reported by one source, with the exact "
    "excerpt it comes from. `saidOn` (when the speaker said it), `reportedOn` (when the source "
    "published it) and `recordedAt` (when this database recorded it) are three different times."
)
class Statement(Node):
    speaker_role: str | None = strawberry.field(
        description='The speaker\'s role as this source gives it ("deputy spokesperson").'
    )
    mode: StatementMode = strawberry.field(description="How the source reports the claim.")
    claim: str = strawberry.field(
        description="The claim in one neutral sentence, written by the curator."
    )
    quote: str | None = strawberry.field(
        description="The words the source puts in quotation marks, verbatim, if any; they "
        "always lie inside `excerpt.text`."
    )
    excerpt: Excerpt = strawberry.field(description="The passage of the source it comes from.")
    channel: str | None = strawberry.field(
        description='How the claim was made ("interview with Rudaw", "press conference").'
    )
    said_on: FuzzyDate = strawberry.field(description="When the speaker made the claim.")
    reported_on: FuzzyDate = strawberry.field(description="When the source published it.")
    recorded_at: dt.datetime = strawberry.field(
        description="When this database first recorded the statement (exact, UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When this database last changed the statement (exact, UTC)."
    )
    pk: strawberry.Private[int]
    speaker_pk: strawberry.Private[int]
    source_pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: m.Statement) -> Statement:
        return cls(
            id=global_id("Statement", row.slug),
            speaker_role=row.speaker_role,
            mode=StatementMode(row.mode),
            claim=row.claim,
            quote=row.quote,
            excerpt=Excerpt(start=row.excerpt_start, end=row.excerpt_end, source_pk=row.source_id),
            channel=row.channel,
            said_on=FuzzyDate.from_value(row.said),
            reported_on=FuzzyDate.from_value(row.reported),
            recorded_at=row.recorded_at,
            updated_at=row.updated_at,
            pk=row.id,
            speaker_pk=row.speaker_id,
            source_pk=row.source_id,
        )

    @strawberry.field(description="Who made the claim.")
    async def speaker(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Actor, strawberry.lazy("claimgraph.api.types.actor")]:
        return as_type(await info.context.loaders.actor.load(self.speaker_pk))  # type: ignore[no-any-return]

    @strawberry.field(description="The source that reports the claim.")
    async def source(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Source, strawberry.lazy("claimgraph.api.types.source")]:
        return as_type(await info.context.loaders.source.load(self.source_pk))  # type: ignore[no-any-return]

    @strawberry.field(description="The agreements the claim is about (by title).")
    async def agreements(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Agreement, strawberry.lazy("claimgraph.api.types.agreement")]]:
        return as_types(await info.context.loaders.agreements_of_statement.load(self.pk))

    @strawberry.field(description="The deployments the claim evidences.")
    async def deployments(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Deployment, strawberry.lazy("claimgraph.api.types.deployment")]]:
        return as_types(await info.context.loaders.deployments_of_statement.load(self.pk))

    @strawberry.field(description="The events the claim is about (earliest first).")
    async def events(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Event, strawberry.lazy("claimgraph.api.types.event")]]:
        return as_types(await info.context.loaders.events_of_statement.load(self.pk))

    @strawberry.field(description="The actors the claim names, other than its speaker (by name).")
    async def mentions(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Actor, strawberry.lazy("claimgraph.api.types.actor")]]:
        return as_types(await info.context.loaders.mentions_of_statement.load(self.pk))

    @strawberry.field(
        description="How other statements bear on this one, from both ends: who contradicts, "
        "supports or elaborates it, and what it contradicts, supports or elaborates."
    )
    async def relations(
        self,
        info: strawberry.Info[Context, None],
        kind: Annotated[
            list[RelationKind] | None,
            strawberry.argument(
                description="Only relations of these kinds (`[CONTRADICTS]`); all when left out."
            ),
        ] = None,
    ) -> list[StatementRelation]:
        found = await info.context.loaders.relations_of_statement.load(self.pk)
        return [
            StatementRelation(
                kind=RelationKind(relation.kind),
                direction=RelationDirection.OUTGOING if outgoing else RelationDirection.INCOMING,
                note=relation.note,
                other_pk=relation.object_id if outgoing else relation.subject_id,
            )
            for relation, outgoing in found
            if kind is None or RelationKind(relation.kind) in kind
        ]

    @strawberry.field(
        description="This statement as a schema.org `Claim` in JSON-LD (the document "
        "`/statements/{id}.jsonld` serves): author, dateCreated (said), datePublished "
        "(reported), appearance (the source), the quote, and dates vaguer than ISO 8601 as "
        "EDTF literals (docs/partners.md)."
    )
    async def json_ld(self, info: strawberry.Info[Context, None]) -> JSON:
        loaders = info.context.loaders
        row = await loaders.statement.load(self.pk)
        return JSON(await statement_document(loaders, row, base_url=public_base_url()))


async def nested_statements(
    info: strawberry.Info[Context, None],
    *,
    list_name: str,
    parent_pk: int,
    first: int | None,
    after: str | None,
) -> Connection[Statement]:
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
    rows = await loaders.statement.load_many(page.items)

    async def count() -> int:
        return await loaders.statement_counts.load((list_name, parent_pk))

    return build_connection(page, as_types(rows), list_name=cursor_name, count=count)
