"""The inputs of the agreement, deployment and event edits: the seed format's fields
(claimgraph.seed.schema) in camelCase, actors named by their global IDs. A create gives the
record; an update names the revision it edited, says why, and changes only the fields given."""

from __future__ import annotations

import strawberry

from claimgraph.api.graphql.mutations.inputs import FuzzyDateInput
from claimgraph.api.graphql.types.enums import AgreementStatus

ID = strawberry.ID
UNSET = strawberry.UNSET
_EXPECTED = "The `revision` you read and edited."
_REASON = "Why: the edit summary, kept in its history."
_SUMMARY = "The edit summary."


@strawberry.input(description="A new agreement between actors.")
class CreateAgreementInput:
    title: str = strawberry.field(description="What the agreement is called.")
    status: AgreementStatus = strawberry.field(description="Where it stands.")
    summary: str | None = strawberry.field(default=None, description="What it says.")
    parties: list[ID] = strawberry.field(
        default_factory=list, description="Its parties (Actors), in order."
    )
    reported_on: FuzzyDateInput | None = strawberry.field(
        default=None, description="When it was reported."
    )
    reason: str | None = strawberry.field(default=None, description=_SUMMARY)


@strawberry.input(description="A correction to an agreement: only the fields given change.")
class UpdateAgreementInput:
    id: ID = strawberry.field(description="The agreement.")
    expected_revision: int = strawberry.field(description=_EXPECTED)
    reason: str = strawberry.field(description=_REASON)
    title: str | None = strawberry.field(default=UNSET, description="The title.")
    status: AgreementStatus | None = strawberry.field(default=UNSET, description="The status.")
    summary: str | None = strawberry.field(default=UNSET, description="The summary.")
    parties: list[ID] | None = strawberry.field(
        default=UNSET, description="The parties (the whole list)."
    )
    reported_on: FuzzyDateInput | None = strawberry.field(
        default=UNSET, description="When it was reported (null removes it)."
    )


@strawberry.input(description="A new deployment: a force in a country at a date.")
class CreateDeploymentInput:
    force: ID = strawberry.field(description="The force deployed (Actor).")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code (`IQ` or `iq`).")
    as_of: FuzzyDateInput = strawberry.field(description="When the source says it stood so.")
    location: str | None = strawberry.field(default=None, description="Where in the country.")
    personnel: int | None = strawberry.field(default=None, description="How many troops.")
    personnel_approximate: bool = strawberry.field(
        default=False, description="Whether the number is approximate (`about 2,500`)."
    )
    operation: str | None = strawberry.field(default=None, description="The operation's name.")
    mission: str | None = strawberry.field(default=None, description="What it is there to do.")
    partners: list[ID] = strawberry.field(
        default_factory=list, description="Who it works with (Actors), in order."
    )
    reason: str | None = strawberry.field(default=None, description=_SUMMARY)


@strawberry.input(description="A correction to a deployment: only the fields given change.")
class UpdateDeploymentInput:
    id: ID = strawberry.field(description="The deployment.")
    expected_revision: int = strawberry.field(description=_EXPECTED)
    reason: str = strawberry.field(description=_REASON)
    force: ID | None = strawberry.field(default=UNSET, description="The force.")
    country: str | None = strawberry.field(default=UNSET, description="The country.")
    as_of: FuzzyDateInput | None = strawberry.field(default=UNSET, description="The date.")
    location: str | None = strawberry.field(default=UNSET, description="The location.")
    personnel: int | None = strawberry.field(default=UNSET, description="The troop count.")
    personnel_approximate: bool | None = strawberry.field(
        default=UNSET, description="Whether the count is approximate."
    )
    operation: str | None = strawberry.field(default=UNSET, description="The operation.")
    mission: str | None = strawberry.field(default=UNSET, description="The mission.")
    partners: list[ID] | None = strawberry.field(
        default=UNSET, description="The partners (the whole list)."
    )


@strawberry.input(description="A new event: something that happened at a (vague) date.")
class CreateEventInput:
    title: str = strawberry.field(description="What happened, in a few words.")
    occurred_on: FuzzyDateInput = strawberry.field(description="When it happened.")
    kind: str | None = strawberry.field(default=None, description='What kind ("meeting").')
    location: str | None = strawberry.field(default=None, description="Where it happened.")
    participants: list[ID] = strawberry.field(
        default_factory=list, description="Who took part (Actors), in order."
    )
    reason: str | None = strawberry.field(default=None, description=_SUMMARY)


@strawberry.input(description="A correction to an event: only the fields given change.")
class UpdateEventInput:
    id: ID = strawberry.field(description="The event.")
    expected_revision: int = strawberry.field(description=_EXPECTED)
    reason: str = strawberry.field(description=_REASON)
    title: str | None = strawberry.field(default=UNSET, description="The title.")
    occurred_on: FuzzyDateInput | None = strawberry.field(default=UNSET, description="The date.")
    kind: str | None = strawberry.field(default=UNSET, description="The kind.")
    location: str | None = strawberry.field(default=UNSET, description="The location.")
    participants: list[ID] | None = strawberry.field(
        default=UNSET, description="The participants (the whole list)."
    )
