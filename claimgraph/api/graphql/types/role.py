"""Role: a title an actor holds, as the sources give it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.node import as_type, as_types
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.actor import Actor
    from claimgraph.api.graphql.types.statement import Statement


@strawberry.type(description="A title an actor holds, with the statements that evidence it.")
class Role:
    title: str = strawberry.field(
        description='The title as the source gives it ("deputy spokesperson").'
    )
    period: FuzzyDate | None = strawberry.field(
        description="When the sources attest the role (not necessarily its whole term)."
    )
    pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: m.Role) -> Role:
        return cls(
            title=row.title,
            period=FuzzyDate.maybe(row.period),
            pk=row.id,
            organization_pk=row.organization_id,
        )

    @strawberry.field(description="The organization the role is held in, if known.")
    async def organization(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Actor, strawberry.lazy("claimgraph.api.graphql.types.actor")] | None:
        if self.organization_pk is None:
            return None
        return as_type(await info.context.loaders.actor.load(self.organization_pk))  # type: ignore[no-any-return]

    @strawberry.field(description="The statements in which a source gives this role.")
    async def evidence(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Statement, strawberry.lazy("claimgraph.api.graphql.types.statement")]]:
        return as_types(await info.context.loaders.evidence_of_role.load(self.pk))
