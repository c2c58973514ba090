"""change_log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 02:55:23.631443
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("node_type", sa.String(length=20), nullable=False),
        sa.Column("node_slug", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CREATED",
                "UPDATED",
                "DELETED",
                name="change_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_changes_node_type_node_slug_id"),
            ["node_type", "node_slug", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_node_type_node_slug_id"))

    op.drop_table("changes")
