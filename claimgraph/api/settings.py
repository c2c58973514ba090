"""API settings: how the server listens and how big a page may be."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMGRAPH_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    #: Origins allowed to call the API from a browser (CORS); "*" allows any.
    cors_origins: list[str] = ["*"]
    #: How long browsers and CDNs may reuse a GET response before revalidating (seconds).
    cache_max_age: int = Field(default=60, ge=0)
    #: How many persisted queries each process keeps (least recently used go first).
    persisted_queries: int = Field(default=10_000, ge=0)


settings = ApiSettings()
