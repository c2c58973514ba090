"""Event: something that happened, at a date as vague as the sources give it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from claimgraph.api.graphql.declare import (
    column,
    embedded,
    history,
    linked,
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


@represents(m.Event)
@strawberry.type(
    description='Something that happened, at a date as vague as the sources give it ("in '
    'early 2020"). Events and statements together make the timeline.'
)
class Event(Node):
    title: str = column("title", description="What happened, in a few words.")
    kind: str | None = column(
        "kind", description='A free-form kind ("meeting", "assassination", "transition").'
    )
    occurred_on: FuzzyDate = embedded("occurred", description="When it happened.")
    location: str | None = column("location", description="Where it happened, if given.")
    recorded_at: dt.datetime = recorded_at("event")
    updated_at: dt.datetime = updated_at("event")
    revision: int = revision("event")
    history: Connection[Revision] = history("event")
    participants: list[Actor] = linked(
        "participants_of_event", description="Who took part in it or was affected by it."
    )
    evidence: list[Statement] = linked(
        "evidence_of_event", description="The statements that report it."
    )
    row: strawberry.Private[Any]
