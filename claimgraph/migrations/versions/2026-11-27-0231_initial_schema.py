"""initial_schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 02:31:13.751322
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "PERSON",
                "GOVERNMENT",
                "GOVERNMENT_BODY",
                "MILITARY_FORCE",
                "COALITION",
                "ARMED_GROUP",
                "NEWS_ORGANIZATION",
                "OTHER",
                name="actor_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
        sa.UniqueConstraint("slug", name=op.f("uq_actors_slug")),
    )
    with op.batch_alter_table("actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actors_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_actors_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_actors_name"), ["name"], unique=False)

    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "PROPOSED",
                "NEGOTIATING",
                "REPORTED",
                "DISPUTED",
                "CONFIRMED",
                "SIGNED",
                "IN_EFFECT",
                "ENDED",
                name="agreement_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reported_edtf", sa.String(length=100), nullable=True),
        sa.Column("reported_earliest", sa.Date(), nullable=True),
        sa.Column("reported_latest", sa.Date(), nullable=True),
        sa.Column(
            "reported_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="reported_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("reported_approximate", sa.Boolean(), nullable=True),
        sa.Column("reported_uncertain", sa.Boolean(), nullable=True),
        sa.Column("reported_phrase", sa.Text(), nullable=True),
        sa.Column("reported_anchor", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("slug", name=op.f("uq_agreements_slug")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreements_status"), ["status"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=True),
        sa.Column("occurred_edtf", sa.String(length=100), nullable=False),
        sa.Column("occurred_earliest", sa.Date(), nullable=False),
        sa.Column("occurred_latest", sa.Date(), nullable=False),
        sa.Column(
            "occurred_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="occurred_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("occurred_approximate", sa.Boolean(), nullable=False),
        sa.Column("occurred_uncertain", sa.Boolean(), nullable=False),
        sa.Column("occurred_phrase", sa.Text(), nullable=True),
        sa.Column("occurred_anchor", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("slug", name=op.f("uq_events_slug")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_events_occurred_earliest_occurred_latest_id"),
            ["occurred_earliest", "occurred_latest", "id"],
            unique=False,
        )

    op.create_table(
        "agreement_parties",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_agreement_parties_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_parties_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agreement_id", "actor_id", name=op.f("pk_agreement_parties")),
    )
    with op.batch_alter_table("agreement_parties", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_parties_actor_id"), ["actor_id"], unique=False
        )

    op.create_table(
        "agreement_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_edtf", sa.String(length=100), nullable=True),
        sa.Column("due_earliest", sa.Date(), nullable=True),
        sa.Column("due_latest", sa.Date(), nullable=True),
        sa.Column(
            "due_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="due_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("due_approximate", sa.Boolean(), nullable=True),
        sa.Column("due_uncertain", sa.Boolean(), nullable=True),
        sa.Column("due_phrase", sa.Text(), nullable=True),
        sa.Column("due_anchor", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_terms_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_terms")),
    )
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_terms_agreement_id_position"),
            ["agreement_id", "position"],
            unique=False,
        )

    op.create_table(
        "deployments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("force_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("personnel", sa.Integer(), nullable=True),
        sa.Column("personnel_approximate", sa.Boolean(), nullable=False),
        sa.Column("as_of_edtf", sa.String(length=100), nullable=False),
        sa.Column("as_of_earliest", sa.Date(), nullable=False),
        sa.Column("as_of_latest", sa.Date(), nullable=False),
        sa.Column(
            "as_of_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="as_of_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("as_of_approximate", sa.Boolean(), nullable=False),
        sa.Column("as_of_uncertain", sa.Boolean(), nullable=False),
        sa.Column("as_of_phrase", sa.Text(), nullable=True),
        sa.Column("as_of_anchor", sa.Text(), nullable=True),
        sa.Column("operation", sa.Text(), nullable=True),
        sa.Column("mission", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"],
            ["actors.id"],
            name=op.f("fk_deployments_force_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployments")),
        sa.UniqueConstraint("slug", name=op.f("uq_deployments_slug")),
    )
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deployments_as_of_earliest_as_of_latest_id"),
            ["as_of_earliest", "as_of_latest", "id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_deployments_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_deployments_force_id"), ["force_id"], unique=False)

    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_event_participants_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_participants_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "actor_id", name=op.f("pk_event_participants")),
    )
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_participants_actor_id"), ["actor_id"], unique=False
        )

    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("period_edtf", sa.String(length=100), nullable=True),
        sa.Column("period_earliest", sa.Date(), nullable=True),
        sa.Column("period_latest", sa.Date(), nullable=True),
        sa.Column(
            "period_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="period_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("period_approximate", sa.Boolean(), nullable=True),
        sa.Column("period_uncertain", sa.Boolean(), nullable=True),
        sa.Column("period_phrase", sa.Text(), nullable=True),
        sa.Column("period_anchor", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_roles_actor_id_actors"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["actors.id"],
            name=op.f("fk_roles_organization_id_actors"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
    )
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roles_actor_id_position"), ["actor_id", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_roles_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "NEWS_ARTICLE",
                "PRESS_BRIEFING",
                "OFFICIAL_STATEMENT",
                "INTERVIEW",
                "OTHER",
                name="source_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        sa.Column("published_edtf", sa.String(length=100), nullable=False),
        sa.Column("published_earliest", sa.Date(), nullable=False),
        sa.Column("published_latest", sa.Date(), nullable=False),
        sa.Column(
            "published_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="published_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("published_approximate", sa.Boolean(), nullable=False),
        sa.Column("published_uncertain", sa.Boolean(), nullable=False),
        sa.Column("published_phrase", sa.Text(), nullable=True),
        sa.Column("published_anchor", sa.Text(), nullable=True),
        sa.Column("dateline", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["actors.id"],
            name=op.f("fk_sources_publisher_id_actors"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("slug", name=op.f("uq_sources_slug")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sources_published_earliest_published_latest_id"),
            ["published_earliest", "published_latest", "id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_sources_publisher_id"), ["publisher_id"], unique=False)

    op.create_table(
        "deployment_partners",
        sa.Column("deployment_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_deployment_partners_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployments.id"],
            name=op.f("fk_deployment_partners_deployment_id_deployments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deployment_id", "actor_id", name=op.f("pk_deployment_partners")),
    )
    with op.batch_alter_table("deployment_partners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deployment_partners_actor_id"), ["actor_id"], unique=False
        )

    op.create_table(
        "source_contributors",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_source_contributors_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_contributors_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", "actor_id", name=op.f("pk_source_contributors")),
    )
    with op.batch_alter_table("source_contributors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_contributors_actor_id"), ["actor_id"], unique=False
        )

    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("speaker_role", sa.Text(), nullable=True),
        sa.Column(
            "mode",
            sa.Enum(
                "DIRECT_QUOTE",
                "PARAPHRASE",
                "BACKGROUND",
                name="statement_mode",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("excerpt_start", sa.Integer(), nullable=False),
        sa.Column("excerpt_end", sa.Integer(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=True),
        sa.Column("said_edtf", sa.String(length=100), nullable=False),
        sa.Column("said_earliest", sa.Date(), nullable=False),
        sa.Column("said_latest", sa.Date(), nullable=False),
        sa.Column(
            "said_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="said_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("said_approximate", sa.Boolean(), nullable=False),
        sa.Column("said_uncertain", sa.Boolean(), nullable=False),
        sa.Column("said_phrase", sa.Text(), nullable=True),
        sa.Column("said_anchor", sa.Text(), nullable=True),
        sa.Column("reported_edtf", sa.String(length=100), nullable=False),
        sa.Column("reported_earliest", sa.Date(), nullable=False),
        sa.Column("reported_latest", sa.Date(), nullable=False),
        sa.Column(
            "reported_precision",
            sa.Enum(
                "DAY",
                "MONTH",
                "SEASON",
                "YEAR",
                "DECADE",
                name="reported_precision",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reported_approximate", sa.Boolean(), nullable=False),
        sa.Column("reported_uncertain", sa.Boolean(), nullable=False),
        sa.Column("reported_phrase", sa.Text(), nullable=True),
        sa.Column("reported_anchor", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "excerpt_start >= 0 AND excerpt_end > excerpt_start", name=op.f("ck_statements_excerpt")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_statements_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["actors.id"],
            name=op.f("fk_statements_speaker_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint("slug", name=op.f("uq_statements_slug")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statements_mode"), ["mode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_statements_recorded_at_id"), ["recorded_at", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_statements_reported_earliest_reported_latest_id"),
            ["reported_earliest", "reported_latest", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_statements_said_earliest_said_latest_id"),
            ["said_earliest", "said_latest", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_statements_source_id_excerpt_start_id"),
            ["source_id", "excerpt_start", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_statements_speaker_id_said_earliest_said_latest_id"),
            ["speaker_id", "said_earliest", "said_latest", "id"],
            unique=False,
        )

    op.create_table(
        "role_evidence",
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_role_evidence_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_role_evidence_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("role_id", "statement_id", name=op.f("pk_role_evidence")),
    )
    with op.batch_alter_table("role_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_evidence_statement_id"), ["statement_id"], unique=False
        )

    op.create_table(
        "statement_agreements",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_statement_agreements_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_agreements_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "statement_id", "agreement_id", name=op.f("pk_statement_agreements")
        ),
    )
    with op.batch_alter_table("statement_agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_agreements_agreement_id_statement_id"),
            ["agreement_id", "statement_id"],
            unique=False,
        )

    op.create_table(
        "statement_deployments",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployments.id"],
            name=op.f("fk_statement_deployments_deployment_id_deployments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_deployments_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "statement_id", "deployment_id", name=op.f("pk_statement_deployments")
        ),
    )
    with op.batch_alter_table("statement_deployments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_deployments_deployment_id_statement_id"),
            ["deployment_id", "statement_id"],
            unique=False,
        )

    op.create_table(
        "statement_events",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_statement_events_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_events_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", "event_id", name=op.f("pk_statement_events")),
    )
    with op.batch_alter_table("statement_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_events_event_id_statement_id"),
            ["event_id", "statement_id"],
            unique=False,
        )

    op.create_table(
        "statement_mentions",
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_statement_mentions_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_mentions_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", "actor_id", name=op.f("pk_statement_mentions")),
    )
    with op.batch_alter_table("statement_mentions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_mentions_actor_id_statement_id"),
            ["actor_id", "statement_id"],
            unique=False,
        )

    op.create_table(
        "statement_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CONTRADICTS",
                "SUPPORTS",
                "ELABORATES",
                name="relation_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("subject_id <> object_id", name=op.f("ck_statement_relations_not_self")),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["statements.id"],
            name=op.f("fk_statement_relations_object_id_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["statements.id"],
            name=op.f("fk_statement_relations_subject_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_relations")),
        sa.UniqueConstraint(
            "subject_id",
            "object_id",
            "kind",
            name=op.f("uq_statement_relations_subject_id_object_id_kind"),
        ),
    )
    with op.batch_alter_table("statement_relations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_relations_object_id"), ["object_id"], unique=False
        )

    op.create_table(
        "term_evidence",
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_term_evidence_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["agreement_terms.id"],
            name=op.f("fk_term_evidence_term_id_agreement_terms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("term_id", "statement_id", name=op.f("pk_term_evidence")),
    )
    with op.batch_alter_table("term_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_term_evidence_statement_id"), ["statement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("term_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_evidence_statement_id"))

    op.drop_table("term_evidence")
    with op.batch_alter_table("statement_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_relations_object_id"))

    op.drop_table("statement_relations")
    with op.batch_alter_table("statement_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_mentions_actor_id_statement_id"))

    op.drop_table("statement_mentions")
    with op.batch_alter_table("statement_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_events_event_id_statement_id"))

    op.drop_table("statement_events")
    with op.batch_alter_table("statement_deployments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_deployments_deployment_id_statement_id"))

    op.drop_table("statement_deployments")
    with op.batch_alter_table("statement_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_agreements_agreement_id_statement_id"))

    op.drop_table("statement_agreements")
    with op.batch_alter_table("role_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_evidence_statement_id"))

    op.drop_table("role_evidence")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_speaker_id_said_earliest_said_latest_id"))
        batch_op.drop_index(batch_op.f("ix_statements_source_id_excerpt_start_id"))
        batch_op.drop_index(batch_op.f("ix_statements_said_earliest_said_latest_id"))
        batch_op.drop_index(batch_op.f("ix_statements_reported_earliest_reported_latest_id"))
        batch_op.drop_index(batch_op.f("ix_statements_recorded_at_id"))
        batch_op.drop_index(batch_op.f("ix_statements_mode"))

    op.drop_table("statements")
    with op.batch_alter_table("source_contributors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_contributors_actor_id"))

    op.drop_table("source_contributors")
    with op.batch_alter_table("deployment_partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deployment_partners_actor_id"))

    op.drop_table("deployment_partners")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_publisher_id"))
        batch_op.drop_index(batch_op.f("ix_sources_published_earliest_published_latest_id"))

    op.drop_table("sources")
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roles_organization_id"))
        batch_op.drop_index(batch_op.f("ix_roles_actor_id_position"))

    op.drop_table("roles")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participants_actor_id"))

    op.drop_table("event_participants")
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deployments_force_id"))
        batch_op.drop_index(batch_op.f("ix_deployments_country"))
        batch_op.drop_index(batch_op.f("ix_deployments_as_of_earliest_as_of_latest_id"))

    op.drop_table("deployments")
    with op.batch_alter_table("agreement_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_terms_agreement_id_position"))

    op.drop_table("agreement_terms")
    with op.batch_alter_table("agreement_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_parties_actor_id"))

    op.drop_table("agreement_parties")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_occurred_earliest_occurred_latest_id"))
        batch_op.drop_index(batch_op.f("ix_events_kind"))

    op.drop_table("events")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_status"))

    op.drop_table("agreements")
    with op.batch_alter_table("actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actors_name"))
        batch_op.drop_index(batch_op.f("ix_actors_kind"))
        batch_op.drop_index(batch_op.f("ix_actors_country"))

    op.drop_table("actors")
