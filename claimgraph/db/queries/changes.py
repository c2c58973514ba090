"""The change log, read: the data version, and (later) the feed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claimgraph.db import models as m


async def data_version(session: AsyncSession) -> int:
    """The id of the newest change: it moves whenever any write commits (0 when empty)."""
    version = await session.scalar(select(func.max(m.Change.id)))
    return int(version or 0)
