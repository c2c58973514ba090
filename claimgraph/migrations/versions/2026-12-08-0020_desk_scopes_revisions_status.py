"""desk_scopes_revisions_status: API key scopes, a revision number on every node, the
revisions table (append-only history), and a statement's status and retraction.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("node_type", sa.String(length=20), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("editor", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint(
            "node_type", "node_id", "number", name=op.f("uq_revisions_node_type_node_id_number")
        ),
    )
    with op.batch_alter_table("actors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "scope",
                sa.Enum(
                    "READ",
                    "EDIT",
                    "ADMIN",
                    name="key_scope",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="READ",
                nullable=False,
            )
        )

    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))

    # Never rebuilt on SQLite: a rebuilt table loses its triggers (the search index's), so
    # there the status's CHECK constraint, which SQLite cannot add to a table, is left out.
    with op.batch_alter_table("statements", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    "PUBLISHED",
                    "DRAFT",
                    "RETRACTED",
                    name="statement_status",
                    native_enum=False,
                    create_constraint=op.get_bind().dialect.name != "sqlite",
                    length=32,
                ),
                server_default="PUBLISHED",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("retraction_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("retraction_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_index(batch_op.f("ix_statements_status"), ["status"], unique=False)


def downgrade() -> None:
    # Plain DROP COLUMN where no constraint names the column (SQLite 3.35+ has it): a
    # batch rebuild of `sources` would copy into its generated column.
    op.drop_index(op.f("ix_statements_status"), table_name="statements")
    if op.get_bind().dialect.name != "sqlite":  # SQLite never had it (see upgrade)
        op.drop_constraint(op.f("ck_statements_statement_status"), "statements", type_="check")
    # Never rebuilt on SQLite, as in the upgrade: the search index's triggers stay.
    with op.batch_alter_table("statements", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("revision")
        batch_op.drop_column("retraction_at")
        batch_op.drop_column("retraction_reason")
        batch_op.drop_column("status")

    op.drop_column("sources", "revision")

    op.drop_column("events", "revision")

    op.drop_column("deployments", "revision")

    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_api_keys_key_scope"), type_="check")
        batch_op.drop_column("scope")

    op.drop_column("agreements", "revision")

    op.drop_column("actors", "revision")

    op.drop_table("revisions")
