"""Where the relay keeps its position: the library's tracking table in the ledger's database."""

from __future__ import annotations

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from workflows.ledger import OKRLedger


def tracking_store(env: dict[str, str]) -> InfrastructureFactory:
    """The library's factory for the ledger's own database, whose tracking recorder we use."""
    return InfrastructureFactory.construct(Environment("OKRKafkaRelay", env))


def tracking_name(topic: str) -> str:
    """Whose position the row holds: the OKRLedger log as published to one topic.

    On SQLite the library keeps every tracking row in one `tracking` table, shared with other
    followers of the same log, so the name says which follower this is.
    """
    return f"OKRLedger->kafka:{topic}"


class RelayTracking:
    """The position the relay for `topic` has had acknowledged, readable from any process."""

    def __init__(self, env: dict[str, str], topic: str) -> None:
        self._store = tracking_store(env)
        self._recorder = self._store.tracking_recorder()
        self.name = tracking_name(topic)

    def position(self) -> int:
        return self._recorder.max_tracking_id(self.name) or 0

    def close(self) -> None:
        self._store.close()


def publishing_lag(env: dict[str, str], topic: str) -> int:
    """Log positions not yet acknowledged by the broker for `topic`, for status commands."""
    ledger, store = OKRLedger(env), tracking_store(env)
    try:
        tracked = store.tracking_recorder().max_tracking_id(tracking_name(topic))
        return (ledger.recorder.max_notification_id() or 0) - (tracked or 0)
    finally:
        ledger.close()
        store.close()
