"""Revision: one change to a record, as its history keeps it (append-only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON


@strawberry.type(description="One field of a record as a revision changed it.")
class FieldChange:
    field: str = strawberry.field(
        description="The stored field (`claim`, `said_edtf`), or a list of links "
        "(`mentions`, `statement_mentions`)."
    )
    before: JSON | None = strawberry.field(description="Its value before (null: none).")
    after: JSON | None = strawberry.field(description="Its value after (null: none).")


@strawberry.type(
    description="A revision of a record: who changed it, when, why, and what changed. "
    "Revision 1 is the record as first recorded."
)
class Revision:
    number: int = strawberry.field(description="1 for the first, then 2, 3, …")
    recorded_at: dt.datetime = strawberry.field(description="When it was made (exact, UTC).")
    editor: str = strawberry.field(
        description="Who made it: an API key's name, or `seed:<file>` for a seed load."
    )
    reason: str | None = strawberry.field(
        description="The edit summary (required on corrections, retractions and merges)."
    )
    changes: list[FieldChange] = strawberry.field(description="What changed, field by field.")

    @classmethod
    def of(cls, row: Any) -> Revision:
        return cls(
            number=row.number,
            recorded_at=row.recorded_at,
            editor=row.editor,
            reason=row.reason,
            changes=[
                FieldChange(field=c["field"], before=c["before"], after=c["after"])
                for c in row.changes
            ],
        )
