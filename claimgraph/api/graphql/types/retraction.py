"""Retraction: why and when a statement was withdrawn (kept in its row's retraction_* columns)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from claimgraph.api.graphql.declare import column


@strawberry.type(description="Why and when a statement was retracted.")
class Retraction:
    reason: str = column("reason", description="Why it was retracted.")
    retracted_at: dt.datetime = column("at", description="When it was retracted (exact, UTC).")
    row: strawberry.Private[Any]
