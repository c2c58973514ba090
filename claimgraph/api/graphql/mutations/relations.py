"""The desk's relation edits: how one statement bears on another, added or removed. A relation
is stored once (subject, kind, object) and shown from both ends; each edit is a revision of
its subject statement and an UPDATED entry in the change log for both statements."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.api.graphql.mutations.checks import Checks, blank
from claimgraph.api.graphql.mutations.common import check_revision, save_update
from claimgraph.api.graphql.mutations.errors import UserErrorCode
from claimgraph.api.graphql.types.enums import RelationKind
from claimgraph.db import models as m
from claimgraph.db.queries.revisions import Revised, log_changes

ID = strawberry.ID


@strawberry.input(
    description='A new relation, read as "`subject` <kind> `object`" (it is shown from both '
    "statements)."
)
class AddRelationInput:
    subject: ID = strawberry.field(description="The statement that bears on the other.")
    kind: RelationKind = strawberry.field(description="How it bears on it.")
    object: ID = strawberry.field(description="The statement it bears on.")
    note: str | None = strawberry.field(default=None, description="Why they relate, in words.")
    reason: str | None = strawberry.field(default=None, description="The edit summary.")
    expected_revision: int | None = strawberry.field(
        default=None, description="The subject's `revision` you read; checked when given."
    )


@strawberry.input(description='Remove the relation "`subject` <kind> `object`".')
class RemoveRelationInput:
    subject: ID = strawberry.field(description="The statement the relation starts from.")
    kind: RelationKind = strawberry.field(description="The relation's kind.")
    object: ID = strawberry.field(description="The statement it bears on.")
    reason: str = strawberry.field(description="Why it is removed: the edit summary.")
    expected_revision: int | None = strawberry.field(
        default=None, description="The subject's `revision` you read; checked when given."
    )


def _described(kind: m.RelationKind, other: m.Statement, note: str | None) -> dict[str, Any]:
    """A relation as its subject's revision lists it."""
    return {"kind": kind.value, "object": other.slug, "note": note}


async def _ends(
    checks: Checks, data: AddRelationInput | RemoveRelationInput
) -> tuple[m.Statement, m.Statement]:
    """The two statements a relation joins (refused when either is missing, or both are one)."""
    subject = await checks.node("Statement", data.subject, "subject")
    other = await checks.node("Statement", data.object, "object")
    if subject is not None and other is not None and subject.id == other.id:
        checks.add(UserErrorCode.INVALID, "object: a statement cannot relate to itself", "object")
    checks.done()
    assert subject is not None
    assert other is not None
    check_revision(checks, subject, data.expected_revision)
    return subject, other


async def _existing(
    session: AsyncSession, subject: m.Statement, kind: m.RelationKind, other: m.Statement
) -> m.StatementRelation | None:
    found: m.StatementRelation | None = await session.scalar(
        select(m.StatementRelation).where(
            m.StatementRelation.subject_id == subject.id,
            m.StatementRelation.object_id == other.id,
            m.StatementRelation.kind == kind,
        )
    )
    return found


async def _record(
    session: AsyncSession,
    subject: m.Statement,
    other: m.Statement,
    *,
    expected: int | None,
    revised: Revised,
    now: dt.datetime,
) -> None:
    """The subject's revision (and UPDATED entries for both ends that are not drafts)."""
    draft = m.StatementStatus.DRAFT
    kind = None if subject.status == draft else m.ChangeKind.UPDATED
    at = subject.revision if expected is None else expected
    await save_update(session, subject, {}, expected=at, revised=revised, now=now, kind=kind)
    if other.status != draft:
        await log_changes(session, {("Statement", other.slug): m.ChangeKind.UPDATED}, now=now)


async def add_relation(
    session: AsyncSession, data: AddRelationInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    subject, other = await _ends(checks, data)
    kind = m.RelationKind[data.kind.name]
    if await _existing(session, subject, kind, other) is not None:
        checks.add(
            UserErrorCode.INVALID,
            f"object: the subject {kind.value} this statement already",
            "object",
        )
    checks.done()
    note = None if blank(data.note) else data.note
    await session.execute(
        insert(m.StatementRelation).values(
            declared_in_id=subject.source_id,
            subject_id=subject.id,
            object_id=other.id,
            kind=kind,
            note=note,
        )
    )
    change = {"field": "relations", "before": None, "after": _described(kind, other, note)}
    revised = Revised(editor, data.reason, [change])
    await _record(
        session, subject, other, expected=data.expected_revision, revised=revised, now=now
    )
    return m.Statement, subject.id


async def remove_relation(
    session: AsyncSession, data: RemoveRelationInput, editor: str, now: dt.datetime
) -> tuple[type[Any], int]:
    checks = Checks(session)
    subject, other = await _ends(checks, data)
    kind = m.RelationKind[data.kind.name]
    if blank(data.reason):
        checks.add(UserErrorCode.INVALID, "reason: say why you remove it", "reason")
    relation = await _existing(session, subject, kind, other)
    if relation is None:
        checks.add(
            UserErrorCode.NOT_FOUND,
            f"object: the subject does not {kind.value[:-1]} this statement",
            "object",
        )
    checks.done()
    assert relation is not None
    change = {"field": "relations", "before": _described(kind, other, relation.note), "after": None}
    await session.execute(delete(m.StatementRelation).where(m.StatementRelation.id == relation.id))
    revised = Revised(editor, data.reason, [change])
    await _record(
        session, subject, other, expected=data.expected_revision, revised=revised, now=now
    )
    return m.Statement, subject.id
