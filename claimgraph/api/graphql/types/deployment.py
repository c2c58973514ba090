"""Deployment: a force in a country at a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from claimgraph.api.graphql.declare import (
    column,
    embedded,
    history,
    linked,
    one,
    recorded_at,
    revision,
    updated_at,
)
from claimgraph.api.graphql.rows import represents
from claimgraph.api.graphql.types.connection import Connection
from claimgraph.api.graphql.types.fuzzy_date import FuzzyDate
from claimgraph.api.graphql.types.lazy import Actor, Statement
from claimgraph.api.graphql.types.node import Node
from claimgraph.api.graphql.types.revision import Revision
from claimgraph.db import models as m


@represents(m.Deployment)
@strawberry.type(
    description="A force in a country as of a date: how many, under which operation, on what "
    "mission, with which partners, and the statements that say so."
)
class Deployment(Node):
    country: str = column(
        "country", description="Where the force is, as an ISO 3166-1 alpha-2 code (`IQ`, `SY`)."
    )
    location: str | None = column("location", description="A place within the country, if given.")
    personnel: int | None = column("personnel", description="How many personnel, if given.")
    personnel_approximate: bool = column(
        "personnel_approximate",
        description='The count is approximate in the source ("around 2,500").',
    )
    as_of: FuzzyDate = embedded("as_of", description="The date the figures hold for.")
    operation: str | None = column(
        "operation", description='The named operation ("Operation Inherent Resolve").'
    )
    mission: str | None = column("mission", description='The mission ("advise and assist").')
    recorded_at: dt.datetime = recorded_at("deployment")
    updated_at: dt.datetime = updated_at("deployment")
    revision: int = revision("deployment")
    history: Connection[Revision] = history("deployment")
    force: Actor = one("Actor", "force_id", description="The force deployed.")
    partners: list[Actor] = linked(
        "partners_of_deployment", description="The forces it works with or assists there."
    )
    evidence: list[Statement] = linked(
        "evidence_of_deployment", description="The statements that give these figures."
    )
    row: strawberry.Private[Any]
