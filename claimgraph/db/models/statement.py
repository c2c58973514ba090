"""Statements: one claim by one speaker as one source reports it, and how claims relate."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.base import (
    Base,
    Timestamped,
    enum_column,
    fuzzy_date_columns,
    slug_column,
)
from claimgraph.db.models.enums import RelationKind, StatementMode, StatementStatus


class Statement(Timestamped, Base):
    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint("excerpt_start >= 0 AND excerpt_end > excerpt_start", name="excerpt"),
        # One index per sort order (keyset pagination) and per filter.
        Index(None, "said_earliest", "said_latest", "id"),
        Index(None, "reported_earliest", "reported_latest", "id"),
        Index(None, "recorded_at", "id"),
        Index(None, "source_id", "excerpt_start", "id"),
        Index(None, "speaker_id", "said_earliest", "said_latest", "id"),
        Index(None, "mode"),
        Index(None, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = slug_column()
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    speaker_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"))
    speaker_role: Mapped[str | None] = mapped_column(Text)
    mode: Mapped[StatementMode] = enum_column(StatementMode, "statement_mode")
    claim: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    excerpt_start: Mapped[int]
    excerpt_end: Mapped[int]
    channel: Mapped[str | None] = mapped_column(Text)
    said: Mapped[FuzzyDate] = fuzzy_date_columns("said")
    reported: Mapped[FuzzyDate] = fuzzy_date_columns("reported")
    #: Lists show PUBLISHED statements; a DRAFT only editors see; a RETRACTED one keeps its
    #: record, history and the reason it was retracted.
    status: Mapped[StatementStatus] = enum_column(
        StatementStatus, "statement_status", server_default="PUBLISHED"
    )
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    retraction_at: Mapped[dt.datetime | None]


class StatementRelation(Base):
    """A relation stored once, from ``subject`` to ``object`` ("subject CONTRADICTS object").

    It belongs to the source whose extraction file declares it, which may be neither end's:
    a later article's file can say how an older statement bears on another.
    """

    __tablename__ = "statement_relations"
    __table_args__ = (
        UniqueConstraint("subject_id", "object_id", "kind"),
        CheckConstraint("subject_id <> object_id", name="not_self"),
        Index(None, "object_id"),
        Index(None, "declared_in_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declared_in_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    object_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    kind: Mapped[RelationKind] = enum_column(RelationKind, "relation_kind")
    note: Mapped[str | None] = mapped_column(Text)


def _statement_link(name: str, other: str) -> Table:
    """A many-to-many link from statements to ``other`` (indexed both ways)."""
    return Table(
        name,
        Base.metadata,
        Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{other}_id", ForeignKey(f"{other}s.id", ondelete="CASCADE"), primary_key=True),
        Index(None, f"{other}_id", "statement_id"),
    )


statement_mentions = _statement_link("statement_mentions", "actor")
statement_agreements = _statement_link("statement_agreements", "agreement")
statement_deployments = _statement_link("statement_deployments", "deployment")
statement_events = _statement_link("statement_events", "event")
