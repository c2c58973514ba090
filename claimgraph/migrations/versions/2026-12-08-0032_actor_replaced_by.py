"""actor_replaced_by: a merged actor's row stays as a redirect to the actor that replaced it
(``replaced_by_id``), so its global ID keeps answering.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 00:32:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_actors_replaced_by_id"


def upgrade() -> None:
    # A plain ADD COLUMN (no batch rebuild of `actors` on SQLite: that would drop the search
    # index's triggers).
    op.add_column("actors", sa.Column("replaced_by_id", sa.Integer(), nullable=True))
    op.create_index(INDEX, "actors", ["replaced_by_id"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="actors")
    op.drop_column("actors", "replaced_by_id")
