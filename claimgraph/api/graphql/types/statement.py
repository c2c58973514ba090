"""Statement: one claim, by one speaker, as one source reports it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from claimgraph.api.graphql.declare import (
    Info,
    column,
    custom,
    embedded,
    history,
    linked,
    one,
    recorded_at,
    revision,
    updated_at,
)
from claimgraph.api.graphql.jsonld import statement_document
from claimgraph.api.graphql.rows import build, represents
from claimgraph.api.graphql.types.connection import Connection
from claimgraph.api.graphql.types.enums import (
    RelationDirection,
    RelationKind,
    StatementMode,
    StatementStatus,
)
from claimgraph.api.graphql.types.excerpt import Excerpt
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.lazy import Actor, Agreement, Deployment, Event, Source
from claimgraph.api.graphql.types.node import Node
from claimgraph.api.graphql.types.relation import StatementRelation
from claimgraph.api.graphql.types.retraction import Retraction
from claimgraph.api.graphql.types.revision import Revision
from claimgraph.db import models as m


@represents(m.Statement)
@strawberry.type(
    description="One claim, as made by one speaker and reported by one source, with the exact "
    "excerpt it comes from. `saidOn` (when the speaker said it), `reportedOn` (when the source "
    "published it) and `recordedAt` (when this database recorded it) are three different times."
)
class Statement(Node):
    speaker_role: str | None = column(
        "speaker_role",
        description='The speaker\'s role as this source gives it ("deputy spokesperson").',
    )
    mode: StatementMode = column("mode", description="How the source reports the claim.")
    claim: str = column(
        "claim", description="The claim in one neutral sentence, written by the curator."
    )
    quote: str | None = column(
        "quote",
        description="The words the source puts in quotation marks, verbatim, if any; they "
        "always lie inside `excerpt.text`.",
    )
    excerpt: Excerpt = embedded("excerpt", description="The passage of the source it comes from.")
    channel: str | None = column(
        "channel",
        description='How the claim was made ("interview with Rudaw", "press conference").',
    )
    said_on: FuzzyDate = embedded("said", description="When the speaker made the claim.")
    reported_on: FuzzyDate = embedded("reported", description="When the source published it.")
    recorded_at: dt.datetime = recorded_at("statement")
    updated_at: dt.datetime = updated_at("statement")
    revision: int = revision("statement")
    status: StatementStatus = column(
        "status", description="PUBLISHED, a DRAFT only editors see, or RETRACTED."
    )
    retraction: Retraction | None = embedded(
        "retraction", description="Why and when it was retracted; null unless RETRACTED."
    )
    history: Connection[Revision] = history("statement")
    speaker: Actor = one("Actor", "speaker_id", description="Who made the claim.")
    source: Source = one("Source", "source_id", description="The source that reports the claim.")
    agreements: list[Agreement] = linked(
        "agreements_of_statement", description="The agreements the claim is about (by title)."
    )
    deployments: list[Deployment] = linked(
        "deployments_of_statement", description="The deployments the claim evidences."
    )
    events: list[Event] = linked(
        "events_of_statement", description="The events the claim is about (earliest first)."
    )
    mentions: list[Actor] = linked(
        "mentions_of_statement",
        description="The actors the claim names, other than its speaker (by name).",
    )
    row: strawberry.Private[Any]

    @custom(
        description="How other statements bear on this one, from both ends: who contradicts, "
        "supports or elaborates it, and what it contradicts, supports or elaborates."
    )
    async def relations(
        self,
        info: Info,
        kind: Annotated[
            list[RelationKind] | None,
            strawberry.argument(
                description="Only relations of these kinds (`[CONTRADICTS]`); all when left out."
            ),
        ] = None,
    ) -> list[StatementRelation]:
        found = await info.context.loaders.relations_of_statement.load(self.row.id)
        return [
            build(
                StatementRelation,
                relation,
                direction=RelationDirection.OUTGOING if outgoing else RelationDirection.INCOMING,
                other_pk=relation.object_id if outgoing else relation.subject_id,
            )
            for relation, outgoing in found
            if kind is None or RelationKind(relation.kind) in kind
        ]

    @custom(
        description="This statement as a schema.org `Claim` in JSON-LD (the document "
        "`/statements/{id}.jsonld` serves): author, dateCreated (said), datePublished "
        "(reported), appearance (the source), the quote, and dates vaguer than ISO 8601 as "
        "EDTF literals (docs/partners.md).",
        resolver_only="a document assembled in Python from several rows (schema.org terms, "
        "EDTF literals); the export and /statements/{id}.jsonld build it the same way",
    )
    async def json_ld(self, info: Info) -> JSON:
        document = statement_document(
            info.context.loaders, self.row, base_url=info.context.settings.base_url
        )
        return JSON(await document)
