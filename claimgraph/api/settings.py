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
    #: Memory for persisted query texts, per process (bytes); the least recently used go first.
    persisted_query_bytes: int = Field(default=16 * 2**20, ge=0)
    #: The largest answer the response cache keeps (bytes); larger answers are not cached.
    response_cache_max_answer: int = Field(default=1 * 2**20, ge=0)
    #: Whose `X-Forwarded-For` to believe (uvicorn's `forwarded_allow_ips`: addresses or
    #: networks, comma-separated, "*" for any). Empty: no one's; the socket's peer is the client.
    forwarded_allow_ips: str = ""

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
    #: How long a query may run before it is stopped (seconds); its SQL is cancelled too.
    request_timeout: float = Field(default=10.0, gt=0)
    #: The most fields a document may select, each fragment counted wherever it is spread;
    #: checked before validation, whose cost grows with the square of it.
    max_fields: int = Field(default=500, ge=1)
    #: The most times one response name may be selected in one selection set (fragments
    #: spread); graphql-core compares every such pair when it validates.
    max_field_repeats: int = Field(default=10, ge=1)
    #: The most fragment spreads a document may hold.
    max_fragment_spreads: int = Field(default=100, ge=0)
    #: The most introspection fields (`__schema`, `__type`) in one document.
    max_introspection_fields: int = Field(default=2, ge=0)
    #: The most IDs one `nodes(ids:)` may ask for.
    max_ids: int = Field(default=100, ge=1)
    #: The largest response body (bytes); a larger answer is refused with RESPONSE_TOO_LARGE.
    max_response_bytes: int = Field(default=8 * 2**20, ge=1024)

    # Prices, in estimated nodes (100 nodes make a rate-limit point).
    #: A `totalCount` on a top-level list counts rows across a table: priced as this many nodes.
    total_count_nodes: int = Field(default=500, ge=0)
    #: A `Source.text` (a whole article) is priced as this many nodes, each time it is asked.
    source_text_nodes: int = Field(default=20, ge=0)
    #: `__schema` is priced as this many nodes (a full introspection answer is ~100 KB).
    introspection_nodes: int = Field(default=1_000, ge=0)

    # The bulk export and JSON-LD: charged to the same budget, bounded in concurrency.
    #: Points one bulk export costs.
    export_points: int = Field(default=100, ge=1)
    #: Exports one client may run at once (429 above).
    max_exports_per_client: int = Field(default=2, ge=1)
    #: Exports the process runs at once, all clients together (503 above). Exports read on a
    #: pool of their own this size, so they never take the API's connections.
    max_exports: int = Field(default=4, ge=1)
    #: A client that reads nothing of an export for this long is dropped (seconds), and the
    #: export's transaction ends; on PostgreSQL no export sits idle in a transaction longer.
    export_stall_timeout: float = Field(default=15.0, gt=0)

    # Rate limits: cost points (one per 100 estimated nodes, at least one a query) per window.
    rate_limit_points: int = Field(default=5_000, ge=1)
    rate_limit_keyed_points: int = Field(default=20_000, ge=1)
    rate_limit_window: int = Field(default=3_600, ge=1)
    #: Clients whose budgets each process tracks; the least recently seen is forgotten first.
    rate_limit_clients: int = Field(default=100_000, ge=1)

    @property
    def base_url(self) -> str:
        """The base URL of ``@id``s. Never taken from a request's Host header, so a document
        names itself the same way whoever asks, in GraphQL and over HTTP."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"


settings = ApiSettings()
