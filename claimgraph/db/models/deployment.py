"""Deployments: a force in a country at a date, with its size and partners."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.base import Base, Timestamped, fuzzy_date_columns, slug_column


class Deployment(Timestamped, Base):
    __tablename__ = "deployments"
    __table_args__ = (Index(None, "as_of_earliest", "as_of_latest", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = slug_column()
    force_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    location: Mapped[str | None] = mapped_column(Text)
    personnel: Mapped[int | None]
    personnel_approximate: Mapped[bool]
    as_of: Mapped[FuzzyDate] = fuzzy_date_columns("as_of")
    operation: Mapped[str | None] = mapped_column(Text)
    mission: Mapped[str | None] = mapped_column(Text)


deployment_partners = Table(
    "deployment_partners",
    Base.metadata,
    Column("deployment_id", ForeignKey("deployments.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index(None, "actor_id"),
)
