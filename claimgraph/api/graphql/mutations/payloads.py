"""What a mutation answers: the object it wrote (or left as it was) and its user errors; and
how each runs: in a savepoint of its own, so a refused or failed mutation writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.context import Context
from claimgraph.api.graphql.mutations.errors import Refused, UserError
from claimgraph.api.graphql.rows import as_type
from claimgraph.api.graphql.types.actor import Actor
from claimgraph.api.graphql.types.source import Source
from claimgraph.api.graphql.types.statement import Statement

#: An edit: given the session and the time, the model and id of the row it wrote.
Edit = Callable[[AsyncSession, dt.datetime], Awaitable[tuple[type[Any], int]]]
#: An edit that writes many rows of one model: given the session and the time, their ids.
Edits = Callable[[AsyncSession, dt.datetime], Awaitable[list[int]]]

_ERRORS = "What is wrong with the input; empty when the mutation succeeded."


@strawberry.type(description="What a source mutation answers.")
class SourcePayload:
    source: Source | None = strawberry.field(description="The source; null if refused.")
    user_errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="What a statement mutation answers.")
class StatementPayload:
    statement: Statement | None = strawberry.field(
        description="The statement as it stands now; null if refused."
    )
    user_errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="What `proposeStatements` answers.")
class ProposedStatementsPayload:
    statements: list[Statement] = strawberry.field(
        description="The DRAFT statements proposed, in text order (empty if refused). Each "
        "one's first revision says, in its `reason`, the rule that found it and its confidence."
    )
    user_errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="What an actor mutation answers.")
class ActorPayload:
    actor: Actor | None = strawberry.field(description="The actor; null if refused.")
    user_errors: list[UserError] = strawberry.field(description=_ERRORS)


async def run_edit(
    info: strawberry.Info[Context, None], edit: Edit
) -> tuple[Any | None, list[UserError]]:
    """Run ``edit`` in a savepoint of the request's write transaction: the object it wrote,
    or (with nothing written) its user errors."""

    async def unit(session: AsyncSession) -> tuple[Any | None, list[UserError]]:
        try:
            async with session.begin_nested():
                model, row_id = await edit(session, dt.datetime.now(dt.UTC))
        except Refused as refused:
            return None, refused.errors
        # Read back as written (the session may hold the row as it was before).
        row = await session.scalar(
            select(model).where(model.id == row_id).execution_options(populate_existing=True)
        )
        return row, []

    row, errors = await info.context.db.run(unit)
    return (None if row is None else as_type(row)), errors


async def run_edits(
    info: strawberry.Info[Context, None], model: Any, edit: Edits
) -> tuple[list[Any], list[UserError]]:
    """:func:`run_edit` for an edit that writes many ``model`` rows: them, in its order."""

    async def unit(session: AsyncSession) -> tuple[list[Any], list[UserError]]:
        try:
            async with session.begin_nested():
                ids = await edit(session, dt.datetime.now(dt.UTC))
        except Refused as refused:
            return [], refused.errors
        rows = await session.scalars(
            select(model).where(model.id.in_(ids)).execution_options(populate_existing=True)
        )
        by_id = {row.id: row for row in rows}
        return [by_id[i] for i in ids], []

    rows, errors = await info.context.db.run(unit)
    return [as_type(row) for row in rows], errors
