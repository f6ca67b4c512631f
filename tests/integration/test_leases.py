"""Leases: one holder per name and store, a standby taking over when the holder lets go, and
several leases of one kind spread over the processes that want them. (A holder killed with
`kill -9` is in tests/deployment.)"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from devtools.network import wait_for
from workflows.leases import Holding, Lease, ShareOut
from workflows.store_locks import store_lock

RETRY = 0.05


def test_a_store_lock_admits_one_holder_until_it_lets_go(store_env):
    first, second = store_lock(store_env, "t"), store_lock(store_env, "t")
    other_name = store_lock(store_env, "another")
    try:
        assert first.acquire() and first.still_held()
        assert not second.acquire()
        assert other_name.acquire()
        first.release()
        assert second.acquire()
    finally:
        for lock in (first, second, other_name):
            lock.release()


class Holder:
    """A lease run in a thread, as one process would run it; counts what its work saw."""

    def __init__(self, env: dict[str, str], name: str, share: ShareOut | None = None) -> None:
        self.lease = Lease(store_lock(env, name), name, RETRY, share)
        self.stopping, self.turns = threading.Event(), 0
        self.thread = threading.Thread(target=self.lease.run, args=(self._work, self.stopping))

    def _work(self, holding: Holding) -> None:
        self.turns += 1
        while holding():
            self.stopping.wait(RETRY)


@contextmanager
def holders(*made: Holder) -> Iterator[tuple[Holder, ...]]:
    for holder in made:
        holder.thread.start()
    try:
        yield made
    finally:
        for holder in made:
            holder.stopping.set()
            holder.thread.join(timeout=10)
            holder.lease.lock.release()


def exactly_one(of: tuple[Holder, ...]) -> Callable[[], bool]:
    return lambda: sum(holder.lease.held for holder in of) == 1


def test_one_process_holds_a_lease_and_another_takes_it_when_it_lets_go(store_env):
    with holders(Holder(store_env, "views"), Holder(store_env, "views")) as both:
        wait_for(exactly_one(both), 10, "one holder")
        (first,) = [holder for holder in both if holder.lease.held]
        (second,) = [holder for holder in both if holder is not first]
        first.stopping.set()
        wait_for(lambda: second.lease.held, 10, "the standby to take over")
        assert (first.turns, second.turns) == (1, 1)


def test_shards_spread_over_processes_started_together_and_gather_when_one_stops(store_env):
    process_a, process_b = ShareOut(patience=1.0), ShareOut(patience=1.0)
    shards = ("relay#0/2", "relay#1/2")
    a = [Holder(store_env, name, process_a) for name in shards]
    b = [Holder(store_env, name, process_b) for name in shards]
    with holders(*a, *b):
        wait_for(lambda: len(process_a.held) == len(process_b.held) == 1, 10,
                 "one shard in each process")
        for holder in b:
            holder.stopping.set()
        wait_for(lambda: len(process_a.held) == 2, 10, "the other shard to move over")
