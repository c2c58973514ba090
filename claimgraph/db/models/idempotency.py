"""Idempotency keys: a mutation sent with an ``Idempotency-Key`` header is applied once. The
first request's answer is kept (its status, media type and exact bytes) under the client and
the key, with a fingerprint of the request, for 24 hours; the row is written in the same
transaction as the mutation, so an answer is kept exactly when its writes are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.models.base import Base

#: The longest key a client may send (characters; printable ASCII).
MAX_KEY_LENGTH = 255


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("client", "key"), Index(None, "created_at"))

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    #: Whose key it is: "key:<API key name>" (keys are per client).
    client: Mapped[str] = mapped_column(String(210))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    #: SHA-256 (hex) of the request: its query, variables and operation name.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime]
