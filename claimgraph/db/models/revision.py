"""Revisions: every change to a node, append-only. A node's ``revision`` column is the number
of its newest revision; each revision says who made it (an API key's name, or ``seed:<file>``
for a seed load), why, and what each field was before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.models.base import Base


class Revision(Base):
    __tablename__ = "revisions"
    # One number per node and revision: a second writer of the same number fails here too.
    __table_args__ = (UniqueConstraint("node_type", "node_id", "number"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    node_type: Mapped[str] = mapped_column(String(20))
    #: The node's row id (not its slug: a slug could be reused after a record is deleted).
    node_id: Mapped[int]
    number: Mapped[int]
    recorded_at: Mapped[dt.datetime]
    editor: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    #: [{"field": name, "before": JSON value, "after": JSON value}, …]
    changes: Mapped[list[dict[str, Any]]]
