"""What the agreement, deployment and event edits answer: the record as it stands now (null
if refused) and the user errors."""

from __future__ import annotations

import strawberry

from claimgraph.api.graphql.mutations.errors import UserError
from claimgraph.api.graphql.types.agreement import Agreement
from claimgraph.api.graphql.types.deployment import Deployment
from claimgraph.api.graphql.types.event import Event

_ERRORS = "What is wrong with the input; empty when the mutation succeeded."


@strawberry.type(description="What an agreement mutation answers.")
class AgreementPayload:
    agreement: Agreement | None = strawberry.field(description="The agreement; null if refused.")
    user_errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="What a deployment mutation answers.")
class DeploymentPayload:
    deployment: Deployment | None = strawberry.field(description="The deployment; null if refused.")
    user_errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="What an event mutation answers.")
class EventPayload:
    event: Event | None = strawberry.field(description="The event; null if refused.")
    user_errors: list[UserError] = strawberry.field(description=_ERRORS)
