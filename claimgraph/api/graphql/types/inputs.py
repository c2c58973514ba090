"""Input types: filters, date ranges and orderings."""

from __future__ import annotations

import datetime as dt

import strawberry

from claimgraph.api.arguments import date_window, plain_text
from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.types.enums import (
    ActorKind,
    DateMatch,
    OrderDirection,
    StatementMode,
    StatementOrderField,
)
from claimgraph.api.ids import slug_of
from claimgraph.db import models as m
from claimgraph.db.queries.lists import DateWindow, StatementCriteria


@strawberry.input(
    description="A range of days, both ends included; leave an end out for an open range. "
    "By default a fuzzy date matches when any day it can denote falls in the range "
    "(`match: OVERLAPS`); `match: WITHIN` keeps only dates certainly inside it."
)
class DateRange:
    from_: dt.date | None = strawberry.field(
        name="from", default=None, description="The first day of the range (inclusive)."
    )
    to: dt.date | None = strawberry.field(
        default=None, description="The last day of the range (inclusive)."
    )

    match: DateMatch = strawberry.field(
        default=DateMatch.OVERLAPS, description="How a date must sit in the range to match."
    )

    def window(self, argument: str) -> DateWindow:
        if self.from_ is not None and self.to is not None and self.from_ > self.to:
            raise ClientError(
                f"{argument}: `from` ({self.from_}) is after `to` ({self.to}); the range is empty."
            )
        return DateWindow(self.from_, self.to, within=self.match is DateMatch.WITHIN)


@strawberry.input(description="Narrow a list of statements; every condition given must hold.")
class StatementFilter:
    speaker: strawberry.ID | None = strawberry.field(
        default=None, description="Only statements made by this actor (an Actor ID)."
    )
    mode: list[StatementMode] | None = strawberry.field(
        default=None, description="Only statements in one of these modes."
    )
    agreement: strawberry.ID | None = strawberry.field(
        default=None, description="Only statements about this agreement (an Agreement ID)."
    )
    deployment: strawberry.ID | None = strawberry.field(
        default=None, description="Only statements evidencing this deployment (a Deployment ID)."
    )
    event: strawberry.ID | None = strawberry.field(
        default=None, description="Only statements about this event (an Event ID)."
    )
    mentions: strawberry.ID | None = strawberry.field(
        default=None, description="Only statements that name this actor (an Actor ID)."
    )
    source: strawberry.ID | None = strawberry.field(
        default=None, description="Only statements reported by this source (a Source ID)."
    )
    said_between: DateRange | None = strawberry.field(
        default=None,
        description="Only statements whose `saidOn` date matches this range (by default: "
        "that may have been said in it).",
    )
    text: str | None = strawberry.field(
        default=None,
        description="Only statements whose claim or quote contains this text (any case).",
    )

    def criteria(self) -> StatementCriteria:
        return StatementCriteria(
            speaker=slug_of(self.speaker, argument="filter.speaker", expected="Actor"),
            modes=None if self.mode is None else [m.StatementMode[x.name] for x in self.mode],
            agreement=slug_of(self.agreement, argument="filter.agreement", expected="Agreement"),
            deployment=slug_of(
                self.deployment, argument="filter.deployment", expected="Deployment"
            ),
            event=slug_of(self.event, argument="filter.event", expected="Event"),
            mentions=slug_of(self.mentions, argument="filter.mentions", expected="Actor"),
            source=slug_of(self.source, argument="filter.source", expected="Source"),
            said=date_window(self.said_between, "filter.saidBetween"),
            text=plain_text(self.text, "filter.text"),
        )


@strawberry.input(description="How to sort a list of statements (ties broken by ID order).")
class StatementOrder:
    field: StatementOrderField = strawberry.field(
        default=StatementOrderField.SAID_ON, description="What to sort by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Which way."
    )


@strawberry.input(description="Narrow a list of actors; every condition given must hold.")
class ActorFilter:
    kind: list[ActorKind] | None = strawberry.field(
        default=None, description="Only actors of one of these kinds."
    )
    country: str | None = strawberry.field(
        default=None, description="Only actors of this country (ISO 3166-1 alpha-2, `IQ`)."
    )
    name: str | None = strawberry.field(
        default=None,
        description="Only actors whose name or an alias contains this text (any case).",
    )


@strawberry.input(description="Narrow a list of deployments; every condition given must hold.")
class DeploymentFilter:
    force: strawberry.ID | None = strawberry.field(
        default=None, description="Only deployments of this force (an Actor ID)."
    )
    country: str | None = strawberry.field(
        default=None, description="Only deployments in this country (ISO 3166-1 alpha-2, `SY`)."
    )
    operation: str | None = strawberry.field(
        default=None, description="Only deployments whose operation name contains this text."
    )
    as_of_between: DateRange | None = strawberry.field(
        default=None, description="Only deployments whose `asOf` date matches this range."
    )


@strawberry.input(description="Narrow a list of events; every condition given must hold.")
class EventFilter:
    kind: str | None = strawberry.field(
        default=None, description="Only events of this kind (exact, e.g. `meeting`)."
    )
    participant: strawberry.ID | None = strawberry.field(
        default=None, description="Only events this actor took part in (an Actor ID)."
    )
    occurred_between: DateRange | None = strawberry.field(
        default=None, description="Only events whose `occurredOn` date matches this range."
    )
