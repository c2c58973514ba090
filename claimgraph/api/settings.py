"""API settings: how the server listens and how big a page may be."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMGRAPH_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: Server processes for `claimgraph serve`; one per core in production.
    workers: int = Field(default=1, ge=1)
    #: Server log lines: "json" (one object per line, for log collectors) or "text".
    log_format: Literal["json", "text"] = "text"
    #: One JSON line per HTTP request on stderr (method, path, status, ms, request ID,
    #: client, cost), buffered off the request's path; `claimgraph serve` has no other.
    access_log: bool = True
    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    #: Where the API is reachable from outside (``https://claimgraph.example.org``): the base
    #: of every JSON-LD ``@id``; unset, ``http://HOST:PORT`` of ``claimgraph serve``.
    public_url: str | None = None
    #: Origins allowed to call the API from a browser (CORS); "*" allows any.
    cors_origins: list[str] = ["*"]
    #: How long browsers and CDNs may reuse a GET response before revalidating (seconds).
    cache_max_age: int = Field(default=60, ge=0)
    #: Memory for cached responses, per process (bytes); 0 turns the response cache off.
    response_cache_bytes: int = Field(default=64 * 2**20, ge=0)
    #: How often each process reads the data version (seconds). Between reads it answers
    #: from the version it last read, so after a write commits a process may serve the old
    #: answers for up to this long; 0 reads the version for every request that needs it.
    data_version_poll: float = Field(default=1.0, ge=0)
    #: Answer a query with one SQL statement that builds the response in the database, when
    #: the compiler covers all of it (claimgraph.api.compiled); else the resolvers answer.
    compiled_queries: bool = True
    #: How many persisted queries each process keeps (least recently used go first).
    persisted_queries: int = Field(default=10_000, ge=0)

    # Limits checked before a query runs (each error names the limit and its value).
    max_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=15, ge=0)
    max_tokens: int = Field(default=2_000, ge=1)
    max_query_chars: int = Field(default=15_000, ge=1)
    max_directives: int = Field(default=50, ge=0)
    #: The most objects a response may hold, estimated from the query before it runs.
    max_nodes: int = Field(default=50_000, ge=1)
    #: The largest request body accepted (bytes); larger gets 413.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    #: How long a query may run before it is stopped (seconds).
    request_timeout: float = Field(default=10.0, gt=0)

    # Rate limits: cost points (one per 100 estimated nodes, at least one a query) per window.
    rate_limit_points: int = Field(default=5_000, ge=1)
    rate_limit_keyed_points: int = Field(default=20_000, ge=1)
    rate_limit_window: int = Field(default=3_600, ge=1)

    @property
    def base_url(self) -> str:
        """The base URL of ``@id``s. Never taken from a request's Host header, so a document
        names itself the same way whoever asks, in GraphQL and over HTTP."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"


settings = ApiSettings()
