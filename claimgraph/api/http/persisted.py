"""Automatic persisted queries (Apollo's protocol): a client first sends only the SHA-256 of
its query; if we don't know it yet, it sends the hash with the query, which we keep (an LRU
per process, bounded in entries and in bytes) so later requests, GET ones included, can be
tiny and cacheable. A query longer than the limit is refused before it is stored."""

from __future__ import annotations

import hashlib
from typing import Any

from claimgraph.api.errors import ClientError
from claimgraph.api.lru import Lru

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"


#: What an entry costs beyond its text (the key, the objects, the table slot), roughly.
_OVERHEAD = 200


class PersistedQueries:
    def __init__(
        self, *, capacity: int, max_bytes: int = 16 * 2**20, max_chars: int | None = None
    ) -> None:
        self.capacity = capacity
        self.max_chars = max_chars
        self._queries: Lru[str, str] = Lru(
            max_bytes if capacity else 0,
            lambda _digest, query: len(query.encode()) + _OVERHEAD,
            entries=capacity,
        )

    @property
    def size(self) -> int:
        """The bytes the store holds."""
        return self._queries.size

    def __len__(self) -> int:
        return len(self._queries)

    def lookup(self, digest: str) -> str | None:
        """The query held under a (lower-case) hash, now the most recently used; or None."""
        return self._queries.get(digest)

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The query text to run: ``query`` itself, or the one its persisted hash names.
        Raises :class:`ClientError` for a hash we don't hold or one that doesn't match."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise ClientError("extensions.persistedQuery: only version 1 is supported.")
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or len(digest) != 64:
            raise ClientError("extensions.persistedQuery.sha256Hash: give a hex SHA-256 digest.")
        digest = digest.lower()
        if query is None:
            known = self.lookup(digest)
            if known is None:
                raise ClientError("PersistedQueryNotFound", code=NOT_FOUND)
            return known
        if self.max_chars is not None and len(query) > self.max_chars:
            return query  # not stored: the endpoint refuses it (QUERY_TOO_LARGE)
        if hashlib.sha256(query.encode()).hexdigest() != digest:
            raise ClientError(
                "extensions.persistedQuery.sha256Hash does not match the query's SHA-256.",
                code="PERSISTED_QUERY_HASH_MISMATCH",
            )
        self._queries.put(digest, query)
        return query
