"""Actors (people, governments, forces, …) and the roles they hold."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.fuzzy_dates import FuzzyDate
from claimgraph.db.models.base import (
    Base,
    Timestamped,
    enum_column,
    fuzzy_date_columns,
    slug_column,
)
from claimgraph.db.models.enums import ActorKind


class Actor(Timestamped, Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = slug_column()
    name: Mapped[str] = mapped_column(String(300), index=True)
    aliases: Mapped[list[str]]
    kind: Mapped[ActorKind] = enum_column(ActorKind, "actor_kind", index=True)
    description: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    #: The name and the aliases, one a line: what name filters and search match against.
    search_names: Mapped[str | None] = mapped_column(Text)
    #: The actor this one was merged into: its row stays as a redirect for its global ID.
    #: (No foreign key: SQLite adds one only by rebuilding the table, which would drop the
    #: search index's triggers; merges set it, and actors are never deleted.)
    replaced_by_id: Mapped[int | None] = mapped_column(index=True)


class Role(Base):
    """A title an actor holds, as a source gives it, with the statements that evidence it."""

    __tablename__ = "roles"
    __table_args__ = (Index(None, "actor_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    period: Mapped[FuzzyDate | None] = fuzzy_date_columns("period", nullable=True)


role_evidence = Table(
    "role_evidence",
    Base.metadata,
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "statement_id"),
)
