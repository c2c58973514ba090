"""Deployment: a force in a country at a date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.node import Node, as_type, as_types, global_id, represents
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.actor import Actor
    from claimgraph.api.graphql.types.statement import Statement


@represents(m.Deployment)
@strawberry.type(
    description="A force in a country as of a date: how many, under which operation, on what "
    "mission, with which partners, and the statements that say so."
)
class Deployment(Node):
    country: str = strawberry.field(
        description="Where the force is, as an ISO 3166-1 alpha-2 code (`IQ`, `SY`)."
    )
    location: str | None = strawberry.field(description="A place within the country, if given.")
    personnel: int | None = strawberry.field(description="How many personnel, if given.")
    personnel_approximate: bool = strawberry.field(
        description='The count is approximate in the source ("around 2,500").'
    )
    as_of: FuzzyDate = strawberry.field(description="The date the figures hold for.")
    operation: str | None = strawberry.field(
        description='The named operation ("Operation Inherent Resolve").'
    )
    mission: str | None = strawberry.field(description='The mission ("advise and assist").')
    recorded_at: dt.datetime = strawberry.field(
        description="When this database first recorded the deployment (exact, UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When this database last changed the deployment (exact, UTC)."
    )
    pk: strawberry.Private[int]
    force_pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: m.Deployment) -> Deployment:
        return cls(
            id=global_id("Deployment", row.slug),
            country=row.country,
            location=row.location,
            personnel=row.personnel,
            personnel_approximate=row.personnel_approximate,
            as_of=FuzzyDate.from_value(row.as_of),
            operation=row.operation,
            mission=row.mission,
            recorded_at=row.recorded_at,
            updated_at=row.updated_at,
            pk=row.id,
            force_pk=row.force_id,
        )

    @strawberry.field(description="The force deployed.")
    async def force(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Actor, strawberry.lazy("claimgraph.api.graphql.types.actor")]:
        return as_type(await info.context.loaders.actor.load(self.force_pk))  # type: ignore[no-any-return]

    @strawberry.field(description="The forces it works with or assists there.")
    async def partners(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Actor, strawberry.lazy("claimgraph.api.graphql.types.actor")]]:
        return as_types(await info.context.loaders.partners_of_deployment.load(self.pk))

    @strawberry.field(description="The statements that give these figures.")
    async def evidence(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Statement, strawberry.lazy("claimgraph.api.graphql.types.statement")]]:
        return as_types(await info.context.loaders.evidence_of_deployment.load(self.pk))
