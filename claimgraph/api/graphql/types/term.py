"""AgreementTerm: one thing an agreement provides for, with its due date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.node import as_types
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.statement import Statement


@strawberry.type(description="One term of an agreement, with when it is due.")
class AgreementTerm:
    description: str = strawberry.field(description="What the term provides for.")
    due: FuzzyDate | None = strawberry.field(
        description='When the term is due, as the sources give it ("by the end of 2025").'
    )
    pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: m.AgreementTerm) -> AgreementTerm:
        return cls(description=row.description, due=FuzzyDate.maybe(row.due), pk=row.id)

    @strawberry.field(description="The statements that state this term.")
    async def evidence(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Statement, strawberry.lazy("claimgraph.api.graphql.types.statement")]]:
        return as_types(await info.context.loaders.evidence_of_term.load(self.pk))
