"""Input types: filters, date ranges and orderings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    ArgumentNode,
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    ValidationRule,
    ValueNode,
    get_named_type,
)
from strawberry.types.scalar import ScalarDefinition

from claimgraph.api.arguments import date_window, plain_text
from claimgraph.api.errors import ClientError
from claimgraph.api.graphql.types.enums import (
    ActorKind,
    DateMatch,
    OrderDirection,
    RelationKind,
    StatementMode,
    StatementOrderField,
    StatementStatus,
)
from claimgraph.api.ids import slug_of
from claimgraph.db import models as m
from claimgraph.db.queries.lists import DateWindow, StatementCriteria

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE_FORMS = "give a day (2024-08-14), a month (2024-08) or a year (2024)."


def date_bounds(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a day, a month or a year (``2024-08``: 1 to 31 August)."""
    found = _PARTIAL_DATE.fullmatch(text)
    try:
        if found is None:
            raise ValueError
        year, month, day = (int(part) if part else None for part in found.groups())
        assert year is not None
        if day is not None:
            return (dt.date(year, month or 1, day),) * 2
        if month is not None:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return dt.date(year, month, 1), following - dt.timedelta(days=1)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is not a date; {_DATE_FORMS}") from None


@dataclass(frozen=True)
class DateText:
    """A `Date` argument as a client sent it: a day, a month or a year. Variables are checked
    as they are read (:meth:`parse`), literals by :class:`DateLiterals`, which can name the
    argument."""

    text: str

    @classmethod
    def parse(cls, value: object) -> DateText:
        # A GraphQLError's message is shown as it is, after the variable's name and path.
        if not isinstance(value, str):
            raise GraphQLError(f"{value!r} is not a date: {_DATE_FORMS}")
        try:
            date_bounds(value)
        except ValueError as error:
            raise GraphQLError(str(error)) from None
        return cls(value)

    @classmethod
    def parse_literal(cls, node: ValueNode, _variables: object = None) -> DateText:
        if not isinstance(node, StringValueNode):
            raise ValueError(f"a Date is a string: {_DATE_FORMS}")
        return cls(node.value)  # checked by DateLiterals, which names the argument

    @property
    def first_day(self) -> dt.date:
        """The day itself, or the first day of the month or year."""
        return date_bounds(self.text)[0]

    @property
    def last_day(self) -> dt.date:
        """The day itself, or the last day of the month or year."""
        return date_bounds(self.text)[1]


class DateLiterals(ValidationRule):
    """A `Date` literal that is no day, month or year is refused with its argument's name
    (``filter.saidBetween.to: '2024-8' is not a date; …``) and its place."""

    def enter_object_field(self, node: ObjectFieldNode, *args: Any) -> None:
        self._check(node, args[3])

    def enter_argument(self, node: ArgumentNode, *args: Any) -> None:
        self._check(node, args[3])

    def _check(self, node: ObjectFieldNode | ArgumentNode, ancestors: Any) -> None:
        input_type = self.context.get_input_type()
        if not isinstance(node.value, StringValueNode) or input_type is None:
            return
        if get_named_type(input_type).name != DATE_SCALAR.name:
            return
        try:
            date_bounds(node.value.value)
        except ValueError as error:
            names = [
                a.name.value for a in ancestors if isinstance(a, ArgumentNode | ObjectFieldNode)
            ]
            argument = ".".join([*names, node.name.value])
            self.report_error(GraphQLError(f"{argument}: {error}", node.value))


#: The `Date` scalar: output always a day (ISO 8601, as Strawberry's own); input also a
#: month or a year, for date ranges. Same name and same day format as before, so clients'
#: `Date` variables and full-date literals keep working.
DATE_SCALAR = ScalarDefinition(
    name="Date",
    description="A calendar day, ISO 8601 (`2024-09-08`). As an argument it may also be a "
    "month (`2024-08`) or a year (`2024`): the first day of it where a range starts, the "
    "last where a range ends.",
    specified_by_url=None,
    serialize=lambda value: value.isoformat(),
    parse_value=DateText.parse,
    parse_literal=DateText.parse_literal,
    origin=DateText,
)


@strawberry.input(
    description="A range of days, both ends included; leave an end out for an open range. "
    "By default a fuzzy date matches when any day it can denote falls in the range "
    "(`match: OVERLAPS`); `match: WITHIN` keeps only dates certainly inside it."
)
class DateRange:
    from_: DateText | None = strawberry.field(
        name="from",
        default=None,
        description="The first day of the range (inclusive); a month (`2024-08`) or a year "
        "(`2024`) starts the range on its first day.",
    )
    to: DateText | None = strawberry.field(
        default=None,
        description="The last day of the range (inclusive); a month (`2024-08`) or a year "
        "(`2024`) ends the range on its last day.",
    )

    match: DateMatch = strawberry.field(
        default=DateMatch.OVERLAPS, description="How a date must sit in the range to match."
    )

    def window(self, argument: str) -> DateWindow:
        start = None if self.from_ is None else self.from_.first_day
        end = None if self.to is None else self.to.last_day
        if self.from_ and self.to and start and end and start > end:
            raise ClientError(
                f"{argument}: `from` ({self.from_.text}) is after `to` ({self.to.text}); the "
                "range is empty."
            )
        return DateWindow(start, end, within=self.match is DateMatch.WITHIN)


@strawberry.input(description="Narrow a list of statements; every condition given must hold.")
class StatementFilter:
    speaker: strawberry.ID | None = strawberry.field(
        default=None, description="Only statements made by this actor (an Actor ID)."
    )
    speaker_name: str | None = strawberry.field(
        default=None,
        description="Only statements made by an actor whose name or an alias contains this "
        'text, ignoring case ("state department", "Patel").',
    )
    include_members: bool | None = strawberry.field(
        default=False,
        description="With `speaker` or `speakerName`: also the statements of the people who "
        "hold a role in that actor (a role whose `organization` it is), so the State "
        "Department's statements include its deputy spokesperson's.",
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
    relation_kind: list[RelationKind] | None = strawberry.field(
        default=None,
        description="Only statements with at least one relation of these kinds, at either "
        "end: `[CONTRADICTS]` lists every statement that contradicts or is contradicted.",
    )
    status: list[StatementStatus] | None = strawberry.field(
        default=None,
        description="Only statements in one of these states. By default a list shows "
        "PUBLISHED statements (and, to an EDIT key, DRAFTs); ask for `[RETRACTED]` or "
        "`[PUBLISHED, RETRACTED]` to see retracted ones. DRAFT is seen only with an EDIT key.",
    )

    def criteria(self) -> StatementCriteria:
        if self.include_members and self.speaker is None and self.speaker_name is None:
            raise ClientError(
                "filter.includeMembers: give `speaker` or `speakerName` too; it adds the "
                "people who hold a role in that actor."
            )
        return StatementCriteria(
            speaker=slug_of(self.speaker, argument="filter.speaker", expected="Actor"),
            speaker_name=plain_text(self.speaker_name, "filter.speakerName"),
            include_members=bool(self.include_members),
            relation_kinds=None
            if self.relation_kind is None
            else [m.RelationKind[k.name] for k in self.relation_kind],
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
            statuses=None
            if self.status is None
            else [m.StatementStatus[x.name] for x in self.status],
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
        default=None,
        description="Only actors of this country (ISO 3166-1 alpha-2, `IQ`; either case).",
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
        default=None,
        description="Only deployments in this country (ISO 3166-1 alpha-2, `SY`; either case).",
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
