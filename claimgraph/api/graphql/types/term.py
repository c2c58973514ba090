"""AgreementTerm: one thing an agreement provides for, with its due date."""

from __future__ import annotations

from typing import Any

import strawberry

from claimgraph.api.graphql.declare import column, embedded, linked
from claimgraph.api.graphql.rows import represents
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.lazy import Statement
from claimgraph.db import models as m


@represents(m.AgreementTerm)
@strawberry.type(description="One term of an agreement, with when it is due.")
class AgreementTerm:
    description: str = column("description", description="What the term provides for.")
    due: FuzzyDate | None = embedded(
        "due",
        description='When the term is due, as the sources give it ("by the end of 2025").',
    )
    evidence: list[Statement] = linked(
        "evidence_of_term", description="The statements that state this term."
    )
    row: strawberry.Private[Any]
