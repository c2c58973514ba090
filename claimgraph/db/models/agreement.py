"""Agreements, their parties and their terms with due dates."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.base import (
    Base,
    Timestamped,
    enum_column,
    fuzzy_date_columns,
    slug_column,
)
from claimgraph.db.models.enums import AgreementStatus


class Agreement(Timestamped, Base):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = slug_column()
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[AgreementStatus] = enum_column(AgreementStatus, "agreement_status", index=True)
    reported: Mapped[FuzzyDate | None] = fuzzy_date_columns("reported", nullable=True)


class AgreementTerm(Base):
    __tablename__ = "agreement_terms"
    __table_args__ = (Index(None, "agreement_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    position: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    due: Mapped[FuzzyDate | None] = fuzzy_date_columns("due", nullable=True)


agreement_parties = Table(
    "agreement_parties",
    Base.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index(None, "actor_id"),
)

term_evidence = Table(
    "term_evidence",
    Base.metadata,
    Column("term_id", ForeignKey("agreement_terms.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "statement_id"),
)
