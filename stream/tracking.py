"""Where the relay keeps its position: the library's tracking table in the ledger's database.

Each shard of a topic's relay keeps its own row. A shard that has none yet (the first run with a
new `OKR_RELAY_SHARDS`) starts where the relay had certainly got to: the furthest position that
every shard of some earlier layout had reached. Events after it may be sent again, which
consumers drop by id; none is skipped.
"""

from __future__ import annotations

from eventsourcing.persistence import InfrastructureFactory, TrackingRecorder
from eventsourcing.utils import Environment

from stream.shards import Shard, all_shards, layouts
from workflows.ledger import OKRLedger
from workflows.settings import small_pool


def tracking_store(env: dict[str, str]) -> InfrastructureFactory:
    """The library's factory for the ledger's own database, whose tracking recorder we use."""
    return InfrastructureFactory.construct(Environment("OKRKafkaRelay", small_pool(env)))


def tracking_name(topic: str, shard: Shard | None = None) -> str:
    """Whose position the row holds: the OKRLedger log as published to one topic (one shard).

    On SQLite the library keeps every tracking row in one `tracking` table, shared with other
    followers of the same log, so the name says which follower this is.
    """
    return f"OKRLedger->kafka:{topic}{(shard or Shard()).suffix()}"


def resume_position(tracking: TrackingRecorder, topic: str, shard: Shard) -> int:
    """The position `shard` publishes after: its own, else the furthest a whole layout reached."""
    own = tracking.max_tracking_id(tracking_name(topic, shard))
    if own is not None:
        return own
    reached = [layout_position(tracking, topic, layout) for layout in layouts()]
    return max((position for position in reached if position is not None), default=0)


def layout_position(tracking: TrackingRecorder, topic: str, shards: list[Shard]) -> int | None:
    """The position every shard of a layout has reached, or None if one has no row."""
    positions = [tracking.max_tracking_id(tracking_name(topic, shard)) for shard in shards]
    return None if None in positions else min(p for p in positions if p is not None)


class RelayTracking:
    """The position the relay for `topic` has had acknowledged by every shard, readable from
    any process (whichever runs the relay)."""

    def __init__(self, env: dict[str, str], topic: str, shards: int = 1) -> None:
        self._store = tracking_store(env)
        self._recorder = self._store.tracking_recorder()
        self.topic, self.shards = topic, all_shards(shards)

    def position(self) -> int:
        return min(resume_position(self._recorder, self.topic, shard) for shard in self.shards)

    def close(self) -> None:
        self._store.close()


def publishing_lag(env: dict[str, str], topic: str, shards: int = 1) -> int:
    """Log positions not yet acknowledged by the broker for `topic` (by every shard), for
    status commands."""
    ledger, tracking = OKRLedger(env), RelayTracking(env, topic, shards)
    try:
        return (ledger.recorder.max_notification_id() or 0) - tracking.position()
    finally:
        ledger.close()
        tracking.close()
