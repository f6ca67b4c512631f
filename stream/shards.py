"""Sharding the relay by partition, so publishing grows with processes.

kafka-python spends ~45 µs of Python per message (benchmark row 5), so one relay process tops
out below the throughput a busy store writes. With `OKR_RELAY_SHARDS=N` the topic's partitions
are split into N shards (partition p belongs to shard p mod N); each shard is published by one
process at a time under its own lease, from its own tracked position. Every shard reads the
whole log but encodes and sends only its own events, which is where the time goes. An event's
partition is its key's (the aggregate id), as kafka-python's default partitioner puts it, so
each aggregate's events still arrive in order on one partition.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.settings import MAX_RELAY_SHARDS as MAX_SHARDS


@dataclass(frozen=True)
class Shard:
    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.count <= MAX_SHARDS:
            raise ValueError(f"shard {self.index} of {self.count}: need 0 <= index < count "
                             f"<= {MAX_SHARDS}")

    @property
    def whole(self) -> bool:
        """The one shard of an unsharded relay (it keeps the unsharded names)."""
        return self.count == 1

    def owns(self, partition: int) -> bool:
        return partition % self.count == self.index

    def suffix(self) -> str:
        """What tells this shard's lease and tracking row from the others'."""
        return "" if self.whole else f"#{self.index}/{self.count}"


def all_shards(count: int) -> list[Shard]:
    return [Shard(index, count) for index in range(count)]


def layouts() -> list[list[Shard]]:
    """Every way the relay of one topic may have been sharded."""
    return [all_shards(count) for count in range(1, MAX_SHARDS + 1)]
