"""Event: something that happened at a (possibly vague) date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.node import Node, as_types, global_id, represents
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.actor import Actor
    from claimgraph.api.graphql.types.statement import Statement


@represents(m.Event)
@strawberry.type(
    description='Something that happened, at a date as vague as the sources give it ("in '
    'early 2020"). Events and statements together make the timeline.'
)
class Event(Node):
    title: str = strawberry.field(description="What happened, in a few words.")
    kind: str | None = strawberry.field(
        description='A free-form kind ("meeting", "assassination", "transition").'
    )
    occurred_on: FuzzyDate = strawberry.field(description="When it happened.")
    location: str | None = strawberry.field(description="Where it happened, if given.")
    recorded_at: dt.datetime = strawberry.field(
        description="When this database first recorded the event (exact, UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When this database last changed the event (exact, UTC)."
    )
    pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: m.Event) -> Event:
        return cls(
            id=global_id("Event", row.slug),
            title=row.title,
            kind=row.kind,
            occurred_on=FuzzyDate.from_value(row.occurred),
            location=row.location,
            recorded_at=row.recorded_at,
            updated_at=row.updated_at,
            pk=row.id,
        )

    @strawberry.field(description="Who took part in it or was affected by it.")
    async def participants(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Actor, strawberry.lazy("claimgraph.api.graphql.types.actor")]]:
        return as_types(await info.context.loaders.participants_of_event.load(self.pk))

    @strawberry.field(description="The statements that report it.")
    async def evidence(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Statement, strawberry.lazy("claimgraph.api.graphql.types.statement")]]:
        return as_types(await info.context.loaders.evidence_of_event.load(self.pk))
