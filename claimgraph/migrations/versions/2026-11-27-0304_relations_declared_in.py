"""relations_declared_in

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:04:44.579593
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("statement_relations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declared_in_id", sa.Integer(), nullable=True))
    # Relations stored so far were all declared by their subject's source.
    op.execute(
        "UPDATE statement_relations SET declared_in_id = (SELECT statements.source_id "
        "FROM statements WHERE statements.id = statement_relations.subject_id)"
    )
    with op.batch_alter_table("statement_relations", schema=None) as batch_op:
        batch_op.alter_column("declared_in_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_statement_relations_declared_in_id"), ["declared_in_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_statement_relations_declared_in_id_sources"),
            "sources",
            ["declared_in_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("statement_relations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_statement_relations_declared_in_id_sources"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_statement_relations_declared_in_id"))
        batch_op.drop_column("declared_in_id")
