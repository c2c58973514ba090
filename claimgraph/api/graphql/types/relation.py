"""StatementRelation: how one statement bears on another, seen from either end."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.enums import RelationDirection, RelationKind
from claimgraph.api.graphql.types.node import as_type

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.statement import Statement


@strawberry.type(
    description="A relation between two statements. Stored once and shown from both ends: "
    'read it as "this statement <kind> `statement`" when OUTGOING, and "`statement` '
    '<kind> this statement" when INCOMING.'
)
class StatementRelation:
    kind: RelationKind = strawberry.field(description="How the statements relate.")
    direction: RelationDirection = strawberry.field(
        description="Which end of the relation this statement is at."
    )
    note: str | None = strawberry.field(description="The curator's note on the relation.")
    other_pk: strawberry.Private[int]

    @strawberry.field(description="The statement at the other end.")
    async def statement(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Statement, strawberry.lazy("claimgraph.api.graphql.types.statement")]:
        return as_type(await info.context.loaders.statement.load(self.other_pk))  # type: ignore[no-any-return]
