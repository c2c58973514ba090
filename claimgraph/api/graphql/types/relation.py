"""StatementRelation: how one statement bears on another, seen from either end."""

from __future__ import annotations

from typing import Any

import strawberry

from claimgraph.api.graphql.declare import Info, column, custom
from claimgraph.api.graphql.rows import as_type
from claimgraph.api.graphql.types.enums import RelationDirection, RelationKind
from claimgraph.api.graphql.types.lazy import Statement


@strawberry.type(
    description="A relation between two statements. Stored once and shown from both ends: "
    'read it as "this statement <kind> `statement`" when OUTGOING, and "`statement` '
    '<kind> this statement" when INCOMING.'
)
class StatementRelation:
    kind: RelationKind = column("kind", description="How the statements relate.")
    direction: RelationDirection = custom(
        description="Which end of the relation this statement is at."
    )
    note: str | None = column("note", description="The curator's note on the relation.")
    row: strawberry.Private[Any]
    other_pk: strawberry.Private[int]

    @custom(description="The statement at the other end.")
    async def statement(self, info: Info) -> Statement:
        return as_type(await info.context.loaders.rows("Statement").load(self.other_pk))  # type: ignore[no-any-return]
