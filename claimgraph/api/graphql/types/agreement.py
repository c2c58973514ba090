"""Agreement: what parties agreed (or are said to have agreed), and its terms."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.connection import After, Connection, First
from claimgraph.api.graphql.types.enums import AgreementStatus
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.node import Node, as_types, global_id, represents
from claimgraph.api.graphql.types.statement import Statement, nested_statements
from claimgraph.api.graphql.types.term import AgreementTerm
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.actor import Actor


@represents(m.Agreement)
@strawberry.type(
    description="An agreement between parties. Its status is itself a claim: an agreement one "
    "side reports and the other denies is DISPUTED; the statements show who says what."
)
class Agreement(Node):
    title: str = strawberry.field(description="A neutral name for the agreement.")
    summary: str | None = strawberry.field(description="What it provides for, and who says so.")
    status: AgreementStatus = strawberry.field(description="Where it stands, per the sources.")
    reported_on: FuzzyDate | None = strawberry.field(
        description="When it was first reported, in the sources held."
    )
    recorded_at: dt.datetime = strawberry.field(
        description="When this database first recorded the agreement (exact, UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When this database last changed the agreement (exact, UTC)."
    )
    pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: m.Agreement) -> Agreement:
        return cls(
            id=global_id("Agreement", row.slug),
            title=row.title,
            summary=row.summary,
            status=AgreementStatus(row.status),
            reported_on=FuzzyDate.maybe(row.reported),
            recorded_at=row.recorded_at,
            updated_at=row.updated_at,
            pk=row.id,
        )

    @strawberry.field(description="The parties to the agreement.")
    async def parties(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Actor, strawberry.lazy("claimgraph.api.graphql.types.actor")]]:
        return as_types(await info.context.loaders.parties_of_agreement.load(self.pk))

    @strawberry.field(description="Its terms, in the order the curator listed them.")
    async def terms(self, info: strawberry.Info[Context, None]) -> list[AgreementTerm]:
        rows = await info.context.loaders.terms_of_agreement.load(self.pk)
        return [AgreementTerm.from_row(row) for row in rows]

    @strawberry.field(description="The statements about the agreement, by when they were said.")
    async def statements(
        self, info: strawberry.Info[Context, None], first: First = None, after: After = None
    ) -> Connection[Statement]:
        return await nested_statements(
            info, list_name="agreement", parent_pk=self.pk, first=first, after=after
        )
