"""Database settings, read from the environment (``DATABASE_URL``) or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The embedded default: an SQLite file under the working directory (git-ignored ``var/``).
DEFAULT_SQLITE_PATH = Path("var") / "claimgraph.sqlite3"

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


def normalise_database_url(url: str) -> str:
    """Return ``url`` with the async driver this project uses for its engine.

    ``postgres://…`` and ``postgresql://…`` (as hosting platforms hand them out) become
    ``postgresql+asyncpg://…``; ``sqlite:///…`` becomes ``sqlite+aiosqlite:///…``.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"DATABASE_URL {url!r} is not a URL (expected scheme://…)")
    driver = _ASYNC_DRIVERS.get(scheme.lower())
    if driver is None:
        supported = "sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
        raise ValueError(f"DATABASE_URL scheme {scheme!r} is not supported; use {supported}")
    return f"{driver}://{rest}"


class DatabaseSettings(BaseSettings):
    """Where the data lives."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}"
    #: Log every SQL statement (noisy; for debugging).
    database_echo: bool = False
    #: Connections each server process keeps open (PostgreSQL; an SQLite file too). Every
    #: worker has its own pool, so the server holds up to workers × this many sessions.
    database_pool_size: int = Field(default=16, ge=1)
    #: Connections opened past the pool under a burst, closed again when returned. Any
    #: overflow is churn under steady load (a new session per request past the pool), so
    #: the default is none: a request past the pool waits for a connection instead.
    database_pool_overflow: int = Field(default=0, ge=0)
    #: How long a request waits for a pooled connection before it fails (seconds).
    database_pool_timeout: float = Field(default=10.0, gt=0)
    #: Connections older than this are closed and reopened on their next checkout
    #: (seconds; -1 never), so a proxy's or server's idle limits never cut one mid-query.
    database_pool_recycle: int = Field(default=1_800, ge=-1)

    @field_validator("database_url")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


settings = DatabaseSettings()
