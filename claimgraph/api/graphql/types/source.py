"""Source: a document that reports claims, kept verbatim."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.connection import After, Connection, First
from claimgraph.api.graphql.types.enums import SourceKind
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.node import Node, as_type, as_types, global_id, represents
from claimgraph.api.graphql.types.statement import Statement, nested_statements
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.actor import Actor


@represents(m.Source)
@strawberry.type(
    description="A document that reports claims: a news article, a briefing transcript, an "
    "official statement. Its full text is kept verbatim; every excerpt points into it."
)
class Source(Node):
    kind: SourceKind = strawberry.field(description="What kind of document it is.")
    title: str = strawberry.field(description="The document's title or headline.")
    url: str | None = strawberry.field(description="Where the publisher published it.")
    published_on: FuzzyDate = strawberry.field(description="When it was published.")
    dateline: str | None = strawberry.field(
        description='Where it was filed from, as its dateline says ("ERBIL, Kurdistan Region").'
    )
    language: str = strawberry.field(description="Its language, as a BCP 47 tag (`en`).")
    text: str = strawberry.field(
        description="The full text, verbatim; excerpt offsets count code points into it."
    )
    content_sha256: str = strawberry.field(
        description="SHA-256 of the text's UTF-8 bytes (hex), to check a copy against."
    )
    recorded_at: dt.datetime = strawberry.field(
        description="When this database first recorded the source (exact, UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When this database last changed the source (exact, UTC)."
    )
    pk: strawberry.Private[int]
    publisher_pk: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: m.Source) -> Source:
        return cls(
            id=global_id("Source", row.slug),
            kind=SourceKind(row.kind),
            title=row.title,
            url=row.url,
            published_on=FuzzyDate.from_value(row.published),
            dateline=row.dateline,
            language=row.language,
            text=row.text,
            content_sha256=row.content_sha256,
            recorded_at=row.recorded_at,
            updated_at=row.updated_at,
            pk=row.id,
            publisher_pk=row.publisher_id,
        )

    @strawberry.field(description="Who published it.")
    async def publisher(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Actor, strawberry.lazy("claimgraph.api.graphql.types.actor")] | None:
        if self.publisher_pk is None:
            return None
        return as_type(await info.context.loaders.actor.load(self.publisher_pk))  # type: ignore[no-any-return]

    @strawberry.field(description="Who wrote or contributed to it, in credit order.")
    async def contributors(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Actor, strawberry.lazy("claimgraph.api.graphql.types.actor")]]:
        return as_types(await info.context.loaders.contributors_of_source.load(self.pk))

    @strawberry.field(
        description="The statements this source reports, in the order they stand in its text."
    )
    async def statements(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
    ) -> Connection[Statement]:
        return await nested_statements(
            info, list_name="source", parent_pk=self.pk, first=first, after=after
        )
