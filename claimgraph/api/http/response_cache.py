"""The response cache: a query asked again, with the same variables, while the data has not
changed, is answered with the bytes of the first answer. Answers are keyed on the data version
(which every write moves) and a request key (the document, the variables, the operation and
the media type), so an entry is never served for another version of the data.

Beside the answers, a memo recognises a request by its raw bytes (method, the query string or
the body, the Accept and Content-Type headers) and gives its request key, so the cache-hit
path (:mod:`claimgraph.api.http.hits`) answers without parsing anything. Both are bounded in bytes
per process, least recently used first out: the memo takes an eighth of the budget."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from claimgraph.api.cost import Cost
from claimgraph.api.lru import Lru

#: A request as it came: (method, Accept, Content-Type, body or query string).
RawRequest = tuple[str, bytes, bytes, bytes]

#: What a memo or answer costs beyond its bytes (the objects, the table slot), roughly.
_OVERHEAD = 200


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    #: What the query cost when it ran: a cached answer is charged the same points.
    cost: Cost
    #: The ETag of this answer for a GET (its version and request key).
    etag: str


@dataclass(frozen=True)
class Recognised:
    """What a raw request asks, as the full path understood it."""

    key: str
    media: str
    #: The persisted query's hash when the request named its query by one; the store must
    #: still hold it for the memo to stand.
    persisted: str | None = None


def request_key(
    media: str, query: str, variables: dict[str, Any] | None, operation: str | None
) -> str:
    """What an answer depends on besides the data: the document, the variables, the operation
    and the media type."""
    text = json.dumps([media, query, variables, operation], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def etag_for(version: int, key: str) -> str:
    """A GET answer's ETag: it moves with the data version and differs between requests."""
    return '"' + hashlib.sha256(f"{version}/{key}".encode()).hexdigest()[:32] + '"'


def _answer_size(key: tuple[int, str], answer: CachedAnswer) -> int:
    return len(answer.body) + _OVERHEAD


def _memo_size(raw: RawRequest, recognised: Recognised) -> int:
    return len(raw[1]) + len(raw[2]) + len(raw[3]) + _OVERHEAD


class ResponseCache:
    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._answers: Lru[tuple[int, str], CachedAnswer] = Lru(
            max_bytes - max_bytes // 8, _answer_size
        )
        self._memo: Lru[RawRequest, Recognised] = Lru(max_bytes // 8, _memo_size)

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @property
    def size(self) -> int:
        """The bytes held, answers and memo together (never more than ``max_bytes``)."""
        return self._answers.size + self._memo.size

    def get(self, version: int, key: str) -> CachedAnswer | None:
        return self._answers.get((version, key))

    def put(self, version: int, key: str, answer: CachedAnswer) -> None:
        self._answers.put((version, key), answer)

    def recognise(self, raw: RawRequest) -> Recognised | None:
        return self._memo.get(raw)

    def remember(self, raw: RawRequest, recognised: Recognised) -> None:
        self._memo.put(raw, recognised)

    def retire(self, version: int) -> None:
        """Drop the answers of every other data version (they can never be served again
        once the version has moved on)."""
        self._answers.discard_where(lambda key: key[0] != version)
