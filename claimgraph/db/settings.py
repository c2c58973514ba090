"""Database settings, read from the environment (``DATABASE_URL``) or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
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

    @field_validator("database_url")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


settings = DatabaseSettings()
