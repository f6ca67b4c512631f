"""One lock per aggregate id, so loads of the same aggregate from the cache take turns.

The library's repository fast-forwards a cached aggregate in place under its own lock, but
deep-copies it for the caller after releasing that lock. Two threads loading the same aggregate
could then copy it while the other is still applying new events to it, and get a state that is
half one version and half the next. Holding this lock around the whole load closes that gap;
loads of different aggregates never wait for each other.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from threading import Lock


class KeyedLocks:
    def __init__(self) -> None:
        self._guard = Lock()
        self._locks: dict[Hashable, tuple[Lock, int]] = {}

    @contextmanager
    def holding(self, key: Hashable) -> Iterator[None]:
        """Hold the lock of `key`; it is dropped again once nobody holds or waits for it."""
        with self._guard:
            lock, users = self._locks.get(key, (Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)
