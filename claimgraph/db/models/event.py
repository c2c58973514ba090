"""Events: things that happened at a (possibly vague) date."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.base import Base, Timestamped, fuzzy_date_columns, slug_column


class Event(Timestamped, Base):
    __tablename__ = "events"
    __table_args__ = (Index(None, "occurred_earliest", "occurred_latest", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = slug_column()
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(100), index=True)
    occurred: Mapped[FuzzyDate] = fuzzy_date_columns("occurred")
    location: Mapped[str | None] = mapped_column(Text)


event_participants = Table(
    "event_participants",
    Base.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index(None, "actor_id"),
)
