"""Idempotency keys (claimgraph.db.models.idempotency): claim a key for a request, in the
write transaction that runs it, and keep the answer under it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.db import models as m

#: How long a key's answer is kept: the same key and request within it get it again.
LIFETIME = dt.timedelta(hours=24)

KEYS = m.IdempotencyKey


@dataclass(frozen=True)
class Kept:
    """The answer kept under a key, and the fingerprint of the request that got it."""

    fingerprint: str
    status: int
    media_type: str
    body: bytes


async def claim_key(
    session: AsyncSession, *, client: str, key: str, fingerprint: str, now: dt.datetime
) -> Kept | None:
    """Claim ``key`` of ``client`` for this request: None when it is ours to run (a row
    waits in this transaction for its answer, :func:`keep_answer`), else what was kept
    under it. A key whose answer is older than :data:`LIFETIME` is free again.

    A concurrent claim of the same key waits for ours to commit (the row's unique key on
    PostgreSQL; the write lock on SQLite), then finds the answer: never two runs."""
    await session.execute(
        delete(KEYS).where(KEYS.client == client, KEYS.created_at < now - LIFETIME)
    )
    row = {
        "client": client,
        "key": key,
        "fingerprint": fingerprint,
        "status": 0,
        "media_type": "",
        "body": b"",
        "created_at": now,
    }
    try:
        async with session.begin_nested():
            await session.execute(insert(KEYS).values(row))
    except IntegrityError:
        found = (
            await session.execute(
                select(KEYS.fingerprint, KEYS.status, KEYS.media_type, KEYS.body).where(
                    KEYS.client == client, KEYS.key == key
                )
            )
        ).one()
        return Kept(found.fingerprint, found.status, found.media_type, bytes(found.body))
    return None


async def keep_answer(
    session: AsyncSession, *, client: str, key: str, status: int, media_type: str, body: bytes
) -> None:
    """Keep the answer to the request that claimed ``key`` (same transaction as its writes)."""
    await session.execute(
        update(KEYS)
        .where(KEYS.client == client, KEYS.key == key)
        .values(status=status, media_type=media_type, body=body)
    )
