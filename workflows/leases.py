"""A lease: run a piece of work in one process at a time, and take it over when that one dies.

Any number of processes may share one store (`okr serve --workers N`, several hosts, `okr
worker`, `okr relay`); work that must run once per store — the views' follower, the relay's
shards, the sealer — is wrapped in a lease named for it. Each process tries to take it every
`retry_seconds`; the holder runs the work until it stops or finds the lock gone (the database
connection behind an advisory lock broke). The locks (`workflows.store_locks`) die with their
holder, so a standby takes over within about `retry_seconds` of a `kill -9`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from workflows.store_locks import StoreLock

log = logging.getLogger("okr.lease")
Holding = Callable[[], bool]
"""Asked by the work while it runs: whether the lease is still this process's."""


class Lease:
    def __init__(self, lock: StoreLock, name: str, retry_seconds: float = 1.0,
                 share: ShareOut | None = None) -> None:
        """`share`: the leases of one kind this process holds, spread over processes."""
        self.lock, self.name, self.retry_seconds, self.share = lock, name, retry_seconds, share
        self.held = False

    def run(self, work: Callable[[Holding], None], stopping: threading.Event) -> None:
        """Until `stopping` is set: wait to take the lease, then run `work(holding)`, which must
        return soon after `holding()` turns false. The lease is released after every turn."""
        log.info("standing by for the %s lease (pid %d)", self.name, os.getpid())
        while not stopping.is_set():
            if not self._take():
                stopping.wait(self.retry_seconds)
                continue
            log.info("took the %s lease (pid %d)", self.name, os.getpid())
            self.held = True
            try:
                work(lambda: not stopping.is_set() and self.lock.still_held())
            finally:
                self.held = False
                self.lock.release()
                if self.share is not None:
                    self.share.left(self)
            if not stopping.is_set():
                log.warning("lost the %s lease; standing by", self.name)
        log.info("left the %s lease", self.name)

    def _take(self) -> bool:
        if self.share is not None:
            return self.share.attempt(self, self._acquire)
        return self._acquire()

    def _acquire(self) -> bool:
        try:
            return self.lock.acquire()
        except Exception as error:  # noqa: BLE001 - the store may be away; tried again later
            log.error("cannot reach the store to take the %s lease: %s", self.name, error)
            return False


class ShareOut:
    """Spreads several leases of one kind (the relay's shards) over the processes that want
    them: a process takes its first at once, and each further one only `patience` seconds after
    its latest, so processes started together each get some; a shard whose holder died is
    still taken over by whoever is left."""

    def __init__(self, patience: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.patience, self.clock = patience, clock
        self.held: set[object] = set()
        self._latest = float("-inf")
        self._lock = threading.Lock()

    def attempt(self, lease: object, acquire: Callable[[], bool]) -> bool:
        """Take `lease` with `acquire()` if this process may now; one attempt at a time."""
        with self._lock:
            if self.held and self.clock() - self._latest < self.patience:
                return False
            if not acquire():
                return False
            self.held.add(lease)
            self._latest = self.clock()
            return True

    def left(self, lease: object) -> None:
        with self._lock:
            self.held.discard(lease)
