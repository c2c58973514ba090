"""The response cache: a query asked again, with the same variables, while the data has not
changed, is answered with the bytes of the first answer. Keyed on the document, the
variables, the operation, the media type and the data version (which every write moves), so
an entry can never be stale; bounded in bytes per process, least recently used first out."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from claimgraph.api.limits import Cost


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    #: What the query cost when it ran: a cached answer is charged the same points.
    cost: Cost


class ResponseCache:
    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @property
    def size(self) -> int:
        return self._size

    @staticmethod
    def key(
        version: int,
        media: str,
        query: str,
        variables: dict[str, Any] | None,
        operation: str | None,
    ) -> str:
        text = json.dumps([version, media, query, variables, operation], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: str, answer: CachedAnswer) -> None:
        size = len(answer.body)
        if size > self.max_bytes // 8:  # one huge answer must not flush everything else
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = answer
            self._size += size
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.body)
