"""Actor: a person, government, body, force, coalition, group or news organization."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.types.connection import After, Connection, First
from claimgraph.api.graphql.types.enums import ActorKind
from claimgraph.api.graphql.types.node import Node, as_types, global_id, represents
from claimgraph.api.graphql.types.role import Role
from claimgraph.api.graphql.types.statement import Statement, nested_statements
from claimgraph.db import models as m

if TYPE_CHECKING:
    from claimgraph.api.graphql.types.agreement import Agreement
    from claimgraph.api.graphql.types.deployment import Deployment


@represents(m.Actor)
@strawberry.type(
    description="Someone who says or does things: a person, government, government body, "
    "military force, coalition, armed group or news organization."
)
class Actor(Node):
    name: str = strawberry.field(description="The actor's usual full name.")
    aliases: list[str] = strawberry.field(
        description='Other names the sources use ("Baghdad" for the Government of Iraq).'
    )
    kind: ActorKind = strawberry.field(description="What kind of actor this is.")
    description: str | None = strawberry.field(description="Who or what the actor is, briefly.")
    country: str | None = strawberry.field(
        description="The actor's country, as an ISO 3166-1 alpha-2 code (`IQ`, `US`)."
    )
    recorded_at: dt.datetime = strawberry.field(
        description="When this database first recorded the actor (exact, UTC)."
    )
    updated_at: dt.datetime = strawberry.field(
        description="When this database last changed the actor (exact, UTC)."
    )
    pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: m.Actor) -> Actor:
        return cls(
            id=global_id("Actor", row.slug),
            name=row.name,
            aliases=list(row.aliases),
            kind=ActorKind(row.kind),
            description=row.description,
            country=row.country,
            recorded_at=row.recorded_at,
            updated_at=row.updated_at,
            pk=row.id,
        )

    @strawberry.field(description="The titles the actor holds, as the sources give them.")
    async def roles(self, info: strawberry.Info[Context, None]) -> list[Role]:
        return [
            Role.from_row(row) for row in await info.context.loaders.roles_of_actor.load(self.pk)
        ]

    @strawberry.field(description="The statements this actor made, by when they were said.")
    async def statements(
        self, info: strawberry.Info[Context, None], first: First = None, after: After = None
    ) -> Connection[Statement]:
        return await nested_statements(
            info, list_name="speaker", parent_pk=self.pk, first=first, after=after
        )

    @strawberry.field(
        description="The statements that name this actor (not as speaker), by when they were said."
    )
    async def mentioned_in(
        self, info: strawberry.Info[Context, None], first: First = None, after: After = None
    ) -> Connection[Statement]:
        return await nested_statements(
            info, list_name="mentioned", parent_pk=self.pk, first=first, after=after
        )

    @strawberry.field(description="The agreements this actor is a party to.")
    async def agreements(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Agreement, strawberry.lazy("claimgraph.api.graphql.types.agreement")]]:
        return as_types(await info.context.loaders.agreements_of_actor.load(self.pk))

    @strawberry.field(description="The deployments this actor is the force of or a partner in.")
    async def deployments(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Deployment, strawberry.lazy("claimgraph.api.graphql.types.deployment")]]:
        return as_types(await info.context.loaders.deployments_of_actor.load(self.pk))
