"""Sources: the documents that report claims, kept verbatim with their checksum."""

from __future__ import annotations

from sqlalchemy import Column, Computed, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.base import (
    Base,
    Timestamped,
    enum_column,
    fuzzy_date_columns,
    slug_column,
)
from claimgraph.db.models.enums import SourceKind


class Source(Timestamped, Base):
    __tablename__ = "sources"
    __table_args__ = (Index(None, "published_earliest", "published_latest", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = slug_column()
    kind: Mapped[SourceKind] = enum_column(SourceKind, "source_kind")
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    published: Mapped[FuzzyDate] = fuzzy_date_columns("published")
    dateline: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    #: The text's length in code points (both engines' length()), kept by the database.
    character_count: Mapped[int] = mapped_column(Integer, Computed("length(text)"))


source_contributors = Table(
    "source_contributors",
    Base.metadata,
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index(None, "actor_id"),
)
