"""The desk's mutations (Relay/Shopify shape): one ``input`` argument, a payload with the
object and ``userErrors``. Each needs an API key with the EDIT scope, runs in a savepoint of
the request's one write transaction, records a revision and a change-log entry, and is
checked by the seed format's rules (claimgraph.seed.schema, claimgraph.seed.reader)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.mutations.access import require
from claimgraph.api.graphql.mutations.inputs import (
    AddSourceInput,
    CreateActorInput,
    CreateStatementInput,
    ProposeStatementsInput,
    PublishStatementInput,
    RetractStatementInput,
    UpdateActorInput,
    UpdateStatementInput,
)
from claimgraph.api.graphql.mutations.merge import MergeActorsInput, merge_actors
from claimgraph.api.graphql.mutations.payloads import (
    ActorPayload,
    ProposedStatementsPayload,
    SourcePayload,
    StatementPayload,
    run_edit,
    run_edits,
)
from claimgraph.api.graphql.mutations.proposals import propose
from claimgraph.api.graphql.mutations.record_inputs import (
    CreateAgreementInput,
    CreateDeploymentInput,
    CreateEventInput,
    UpdateAgreementInput,
    UpdateDeploymentInput,
    UpdateEventInput,
)
from claimgraph.api.graphql.mutations.record_payloads import (
    AgreementPayload,
    DeploymentPayload,
    EventPayload,
)
from claimgraph.api.graphql.mutations.records import writer
from claimgraph.api.graphql.mutations.relations import (
    AddRelationInput,
    RemoveRelationInput,
    add_relation,
    remove_relation,
)
from claimgraph.api.graphql.mutations.sources_actors import add_source, create_actor, update_actor
from claimgraph.api.graphql.mutations.statements import (
    create_statement,
    publish_statement,
    retract_statement,
    update_statement,
)
from claimgraph.db import models as m
from claimgraph.db.models import KeyScope

Info = strawberry.Info[Context, None]
Writer = Callable[[AsyncSession, Any, str, Any], Awaitable[tuple[type[Any], int]]]


async def _edit(info: Info, name: str, write: Writer, data: Any) -> tuple[Any, list[Any]]:
    """Check the key's scope, then run the edit: (object, user errors)."""
    editor = require(info.context.request_state, KeyScope.EDIT, name)
    return await run_edit(info, lambda session, now: write(session, data, editor, now))


def _input(description: str) -> Any:
    return strawberry.argument(description=description)


@strawberry.type(
    description="The desk's edits. Each needs an API key with the EDIT scope "
    "(`Authorization: Bearer <key>`), records a revision with its editor and reason, and "
    "answers `userErrors` (nothing written) when its input is wrong."
)
class Mutation:
    @strawberry.mutation(description="Add a source: its verbatim text and where it appeared.")
    async def add_source(
        self, info: Info, input: Annotated[AddSourceInput, _input("What to write.")]
    ) -> SourcePayload:
        source, errors = await _edit(info, "addSource", add_source, input)
        return SourcePayload(source=source, user_errors=errors)

    @strawberry.mutation(description="Record a statement, traced to its excerpt.")
    async def create_statement(
        self, info: Info, input: Annotated[CreateStatementInput, _input("What to write.")]
    ) -> StatementPayload:
        statement, errors = await _edit(info, "createStatement", create_statement, input)
        return StatementPayload(statement=statement, user_errors=errors)

    @strawberry.mutation(
        description="Correct a statement against the revision you read (`expectedRevision`), "
        "with a `reason`."
    )
    async def update_statement(
        self, info: Info, input: Annotated[UpdateStatementInput, _input("What to write.")]
    ) -> StatementPayload:
        statement, errors = await _edit(info, "updateStatement", update_statement, input)
        return StatementPayload(statement=statement, user_errors=errors)

    @strawberry.mutation(
        description="Retract a statement: it stays, RETRACTED, with its reason and history; "
        "lists leave it out unless `filter.status` asks for it."
    )
    async def retract_statement(
        self, info: Info, input: Annotated[RetractStatementInput, _input("What to write.")]
    ) -> StatementPayload:
        statement, errors = await _edit(info, "retractStatement", retract_statement, input)
        return StatementPayload(statement=statement, user_errors=errors)

    @strawberry.mutation(description="Publish a draft statement.")
    async def publish_statement(
        self, info: Info, input: Annotated[PublishStatementInput, _input("What to write.")]
    ) -> StatementPayload:
        statement, errors = await _edit(info, "publishStatement", publish_statement, input)
        return StatementPayload(statement=statement, user_errors=errors)

    @strawberry.mutation(
        description="Draft statements from a source with the extractor (docs/extraction.md): "
        "every proposal becomes a DRAFT statement, with the actors it names that the database "
        "lacks; review each, then `updateStatement`, `retractStatement` or "
        "`publishStatement`. A source over the extractor's size limit, or with no publisher, "
        "is refused."
    )
    async def propose_statements(
        self, info: Info, input: Annotated[ProposeStatementsInput, _input("What to read.")]
    ) -> ProposedStatementsPayload:
        key = require(info.context.request_state, KeyScope.EDIT, "proposeStatements")
        editor = f"extract:{key}"
        statements, errors = await run_edits(
            info, m.Statement, lambda session, now: propose(session, input.source, editor, now)
        )
        return ProposedStatementsPayload(statements=statements, user_errors=errors)

    @strawberry.mutation(description="Add an actor.")
    async def create_actor(
        self, info: Info, input: Annotated[CreateActorInput, _input("What to write.")]
    ) -> ActorPayload:
        actor, errors = await _edit(info, "createActor", create_actor, input)
        return ActorPayload(actor=actor, user_errors=errors)

    @strawberry.mutation(
        description="Correct an actor against the revision you read, with a `reason`."
    )
    async def update_actor(
        self, info: Info, input: Annotated[UpdateActorInput, _input("What to write.")]
    ) -> ActorPayload:
        actor, errors = await _edit(info, "updateActor", update_actor, input)
        return ActorPayload(actor=actor, user_errors=errors)

    @strawberry.mutation(
        description='Relate two statements ("`subject` CONTRADICTS `object`"); the relation is '
        "shown from both, and the payload answers the subject."
    )
    async def add_relation(
        self, info: Info, input: Annotated[AddRelationInput, _input("What to write.")]
    ) -> StatementPayload:
        statement, errors = await _edit(info, "addRelation", add_relation, input)
        return StatementPayload(statement=statement, user_errors=errors)

    @strawberry.mutation(
        description="Remove a relation between two statements; the payload answers the subject."
    )
    async def remove_relation(
        self, info: Info, input: Annotated[RemoveRelationInput, _input("What to write.")]
    ) -> StatementPayload:
        statement, errors = await _edit(info, "removeRelation", remove_relation, input)
        return StatementPayload(statement=statement, user_errors=errors)

    @strawberry.mutation(description="Add an agreement.")
    async def create_agreement(
        self, info: Info, input: Annotated[CreateAgreementInput, _input("What to write.")]
    ) -> AgreementPayload:
        agreement, errors = await _edit(
            info, "createAgreement", writer("Agreement", create=True), input
        )
        return AgreementPayload(agreement=agreement, user_errors=errors)

    @strawberry.mutation(
        description="Correct an agreement against the revision you read, with a `reason`."
    )
    async def update_agreement(
        self, info: Info, input: Annotated[UpdateAgreementInput, _input("What to write.")]
    ) -> AgreementPayload:
        agreement, errors = await _edit(
            info, "updateAgreement", writer("Agreement", create=False), input
        )
        return AgreementPayload(agreement=agreement, user_errors=errors)

    @strawberry.mutation(description="Add a deployment.")
    async def create_deployment(
        self, info: Info, input: Annotated[CreateDeploymentInput, _input("What to write.")]
    ) -> DeploymentPayload:
        deployment, errors = await _edit(
            info, "createDeployment", writer("Deployment", create=True), input
        )
        return DeploymentPayload(deployment=deployment, user_errors=errors)

    @strawberry.mutation(
        description="Correct a deployment against the revision you read, with a `reason`."
    )
    async def update_deployment(
        self, info: Info, input: Annotated[UpdateDeploymentInput, _input("What to write.")]
    ) -> DeploymentPayload:
        deployment, errors = await _edit(
            info, "updateDeployment", writer("Deployment", create=False), input
        )
        return DeploymentPayload(deployment=deployment, user_errors=errors)

    @strawberry.mutation(description="Add an event.")
    async def create_event(
        self, info: Info, input: Annotated[CreateEventInput, _input("What to write.")]
    ) -> EventPayload:
        event, errors = await _edit(info, "createEvent", writer("Event", create=True), input)
        return EventPayload(event=event, user_errors=errors)

    @strawberry.mutation(
        description="Correct an event against the revision you read, with a `reason`."
    )
    async def update_event(
        self, info: Info, input: Annotated[UpdateEventInput, _input("What to write.")]
    ) -> EventPayload:
        event, errors = await _edit(info, "updateEvent", writer("Event", create=False), input)
        return EventPayload(event=event, user_errors=errors)

    @strawberry.mutation(
        description="Merge a duplicate actor into the actor kept (needs the ADMIN scope): its "
        "statements, roles and links move to the kept actor, which takes its names as aliases; "
        "`node(id:)` with the duplicate's ID answers the kept actor, lists leave the duplicate "
        "out, and the change feed records it DELETED."
    )
    async def merge_actors(
        self, info: Info, input: Annotated[MergeActorsInput, _input("What to merge.")]
    ) -> ActorPayload:
        editor = require(info.context.request_state, KeyScope.ADMIN, "mergeActors")
        actor, errors = await run_edit(
            info, lambda session, now: merge_actors(session, input, editor, now)
        )
        return ActorPayload(actor=actor, user_errors=errors)
