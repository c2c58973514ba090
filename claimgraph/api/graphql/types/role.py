"""Role: a title an actor holds, as the sources give it."""

from __future__ import annotations

from typing import Any

import strawberry

from claimgraph.api.graphql.declare import column, embedded, linked, one
from claimgraph.api.graphql.rows import represents
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.lazy import Actor, Statement
from claimgraph.db import models as m


@represents(m.Role)
@strawberry.type(description="A title an actor holds, with the statements that evidence it.")
class Role:
    title: str = column(
        "title", description='The title as the source gives it ("deputy spokesperson").'
    )
    period: FuzzyDate | None = embedded(
        "period",
        description="When the sources attest the role (not necessarily its whole term).",
    )
    organization: Actor | None = one(
        "Actor", "organization_id", description="The organization the role is held in, if known."
    )
    evidence: list[Statement] = linked(
        "evidence_of_role", description="The statements in which a source gives this role."
    )
    row: strawberry.Private[Any]
