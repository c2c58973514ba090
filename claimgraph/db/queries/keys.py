"""API keys: create, list, revoke, and find the key a bearer token belongs to."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.db import models as m

KEY_PREFIX = "cg_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_key(
    session: AsyncSession, *, name: str, scope: m.KeyScope = m.KeyScope.READ
) -> tuple[m.ApiKey, str]:
    """A new key named ``name`` with ``scope``: its row, and the key itself (shown once,
    never stored)."""
    token = KEY_PREFIX + secrets.token_urlsafe(32)
    key = m.ApiKey(
        name=name,
        prefix=token[:10],
        key_sha256=digest(token),
        created_at=dt.datetime.now(dt.UTC),
        revoked_at=None,
        scope=scope,
    )
    session.add(key)
    await session.flush()
    return key, token


async def list_keys(session: AsyncSession) -> list[m.ApiKey]:
    """Every key, revoked ones included, oldest first."""
    return list(await session.scalars(select(m.ApiKey).order_by(m.ApiKey.id)))


async def revoke_key(session: AsyncSession, *, name: str) -> bool:
    """Revoke the live key named ``name``; False if there is none."""
    result = await session.execute(
        update(m.ApiKey)
        .where(m.ApiKey.name == name, m.ApiKey.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
        .returning(m.ApiKey.id)
    )
    return result.first() is not None


async def key_for_token(session: AsyncSession, *, token: str) -> m.ApiKey | None:
    """The live key a bearer token is, or None."""
    return await session.scalar(
        select(m.ApiKey).where(m.ApiKey.key_sha256 == digest(token), m.ApiKey.revoked_at.is_(None))
    )
