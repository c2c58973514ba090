"""Agreement: what parties agreed (or are said to have agreed), and its terms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from claimgraph.api.graphql.declare import (
    children,
    column,
    embedded,
    history,
    linked,
    recorded_at,
    revision,
    statement_page,
    updated_at,
)
from claimgraph.api.graphql.rows import represents
from claimgraph.api.graphql.types.connection import Connection
from claimgraph.api.graphql.types.enums import AgreementStatus
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.lazy import Actor, Statement
from claimgraph.api.graphql.types.node import Node
from claimgraph.api.graphql.types.revision import Revision
from claimgraph.api.graphql.types.term import AgreementTerm
from claimgraph.db import models as m


@represents(m.Agreement)
@strawberry.type(
    description="An agreement between parties. Its status is itself a claim: an agreement one "
    "side reports and the other denies is DISPUTED; the statements show who says what."
)
class Agreement(Node):
    title: str = column("title", description="A neutral name for the agreement.")
    summary: str | None = column("summary", description="What it provides for, and who says so.")
    status: AgreementStatus = column("status", description="Where it stands, per the sources.")
    reported_on: FuzzyDate | None = embedded(
        "reported", description="When it was first reported, in the sources held."
    )
    recorded_at: dt.datetime = recorded_at("agreement")
    updated_at: dt.datetime = updated_at("agreement")
    revision: int = revision("agreement")
    history: Connection[Revision] = history("agreement")
    parties: list[Actor] = linked(
        "parties_of_agreement", description="The parties to the agreement."
    )
    terms: list[AgreementTerm] = children(
        "terms_of_agreement", description="Its terms, in the order the curator listed them."
    )
    statements: Connection[Statement] = statement_page(
        "agreement", description="The statements about the agreement, by when they were said."
    )
    row: strawberry.Private[Any]
