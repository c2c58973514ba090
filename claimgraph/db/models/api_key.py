"""API keys: partners send one as a bearer token to get their own rate-limit budget, and
the desk one whose scope lets it write. Only a SHA-256 of each key is stored; the key itself
is shown once, when created."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from claimgraph.db.models.base import Base, enum_column
from claimgraph.db.models.enums import KeyScope


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: The first characters of the key, to tell keys apart in listings and logs.
    prefix: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the whole key (hex). Keys are 256 random bits, so a fast hash is enough.
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    #: READ (the default, partners), EDIT (the desk's mutations), ADMIN (keys, merges).
    scope: Mapped[KeyScope] = enum_column(KeyScope, "key_scope", server_default="READ")
