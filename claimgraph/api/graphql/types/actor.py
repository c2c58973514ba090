"""Actor: a person, government, body, force, coalition, group or news organization."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from claimgraph.api.graphql.declare import (
    Info,
    children,
    column,
    custom,
    history,
    linked,
    recorded_at,
    revision,
    statement_page,
    updated_at,
)
from claimgraph.api.graphql.rows import as_types, represents
from claimgraph.api.graphql.types.connection import Connection
from claimgraph.api.graphql.types.enums import ActorKind
from claimgraph.api.graphql.types.lazy import Agreement, Deployment, Statement
from claimgraph.api.graphql.types.node import Node
from claimgraph.api.graphql.types.revision import Revision
from claimgraph.api.graphql.types.role import Role
from claimgraph.db import models as m


@represents(m.Actor)
@strawberry.type(
    description="Someone who says or does things: a person, government, government body, "
    "military force, coalition, armed group or news organization."
)
class Actor(Node):
    name: str = column("name", description="The actor's usual full name.")
    aliases: list[str] = column(
        "aliases",
        description='Other names the sources use ("Baghdad" for the Government of Iraq).',
    )
    kind: ActorKind = column("kind", description="What kind of actor this is.")
    description: str | None = column(
        "description", description="Who or what the actor is, briefly."
    )
    country: str | None = column(
        "country",
        description="The actor's country, as an ISO 3166-1 alpha-2 code (`IQ`, `US`).",
    )
    recorded_at: dt.datetime = recorded_at("actor")
    updated_at: dt.datetime = updated_at("actor")
    revision: int = revision("actor")
    history: Connection[Revision] = history("actor")
    roles: list[Role] = children(
        "roles_of_actor", description="The titles the actor holds, as the sources give them."
    )
    statements: Connection[Statement] = statement_page(
        "speaker", description="The statements this actor made, by when they were said."
    )
    mentioned_in: Connection[Statement] = statement_page(
        "mentioned",
        description="The statements that name this actor (not as speaker), by when they were said.",
    )
    agreements: list[Agreement] = linked(
        "agreements_of_actor", description="The agreements this actor is a party to."
    )
    row: strawberry.Private[Any]

    @custom(description="The deployments this actor is the force of or a partner in.")
    async def deployments(self, info: Info) -> list[Deployment]:
        return as_types(await info.context.loaders.deployments_of_actor.load(self.row.id))
