"""The change log: every write records which node it created, updated or deleted, in the
same transaction as the write. Its newest id is the data version."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.models.base import Base, enum_column


class ChangeKind(StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"


class Change(Base):
    __tablename__ = "changes"
    __table_args__ = (Index(None, "node_type", "node_slug", "id"),)

    # BIGINT on PostgreSQL; SQLite's INTEGER PRIMARY KEY is already 64-bit and autoincrements.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    node_type: Mapped[str] = mapped_column(String(20))
    node_slug: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ChangeKind] = enum_column(ChangeKind, "change_kind")
    changed_at: Mapped[dt.datetime]
