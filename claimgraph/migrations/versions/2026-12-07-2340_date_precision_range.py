"""date_precision_range: DatePrecision gains RANGE, the precision of an EDTF one-of set

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNITS = ("DAY", "MONTH", "SEASON", "YEAR", "DECADE")
#: Every fuzzy date's precision column: (table, column prefix).
_DATES = (
    ("agreements", "reported"),
    ("agreement_terms", "due"),
    ("events", "occurred"),
    ("statements", "said"),
    ("statements", "reported"),
    ("sources", "published"),
    ("deployments", "as_of"),
    ("roles", "period"),
)


def _precision(prefix: str, values: Sequence[str]) -> sa.Enum:
    return sa.Enum(
        *values, name=f"{prefix}_precision", native_enum=False, create_constraint=True, length=16
    )


def _retype(old: Sequence[str], new: Sequence[str]) -> None:
    """Replace each precision column's CHECK constraint (batch: SQLite rebuilds the table)."""
    for table, prefix in _DATES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                f"{prefix}_precision",
                existing_type=_precision(prefix, old),
                type_=_precision(prefix, new),
                existing_nullable=table in ("agreements", "agreement_terms", "roles"),
            )


def upgrade() -> None:
    _retype(_UNITS, (*_UNITS, "RANGE"))


def downgrade() -> None:
    # Before RANGE a one-of set was stored as the precision of its members, days in the seed.
    for table, prefix in _DATES:
        column = f"{prefix}_precision"
        op.execute(f"UPDATE {table} SET {column} = 'DAY' WHERE {column} = 'RANGE'")
    _retype((*_UNITS, "RANGE"), _UNITS)
