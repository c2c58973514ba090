"""A table bounded in size (bytes, entries: the caller's measure), least recently used
entries out first, safe across threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def one(_key: object, _value: object) -> int:
    """The size of every entry of a table bounded in entries, not bytes."""
    return 1


class Lru(Generic[K, V]):
    """A table that holds entries of at most ``capacity`` in all, each measured by ``size``;
    the least recently used go first."""

    def __init__(
        self, capacity: int, size: Callable[[K, V], int], *, entries: int | None = None
    ) -> None:
        self.capacity = capacity
        #: At most this many entries too, whatever their size (None: no such bound).
        self.entries = entries
        self.size_of = size
        self.size = 0
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        size = self.size_of(key, value)
        if size > max(1, self.capacity // 8):  # one huge entry must not flush all the rest
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= self.size_of(key, old)
            self._entries[key] = value
            self.size += size
            while self.size > self.capacity or (
                self.entries is not None and len(self._entries) > self.entries
            ):
                evicted_key, evicted = self._entries.popitem(last=False)
                self.size -= self.size_of(evicted_key, evicted)

    def discard_where(self, drop: Callable[[K], bool]) -> None:
        with self._lock:
            for key in [key for key in self._entries if drop(key)]:
                self.size -= self.size_of(key, self._entries.pop(key))
