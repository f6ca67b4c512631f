"""The background parts of a deployment, run by one process at a time whichever runs the API.

Any number of `okr serve` processes (and `okr worker`s) may share one store. The work that must
run once per store — the views' follower, the relay when Kafka is configured, and the
tamper-evidence sealer — runs in whichever of them holds the store's
`background` lease (`workflows.leases`: a PostgreSQL advisory lock, or a file lock beside the
SQLite database). The others stand by and take over within about `OKR_LEASE_RETRY_SECONDS` of
the holder's death. Reads never depend on being the holder: the views are shared tables, and a
read with `min_position` on any process waits for their tracked position, whoever moves it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from integrity.service import IntegrityService
from projections.service import ProjectionService
from stream.relay import RelayShards
from workflows.leases import Holding, Lease
from workflows.settings import Settings
from workflows.store_locks import store_lock

log = logging.getLogger("okr.background")
LEASE_NAME = "background"
HOLDING_CHECK_SECONDS = 1.0


class Part(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


def background_parts(settings: Settings, views: ProjectionService,
                     integrity: IntegrityService | None = None) -> dict[str, Part]:
    """What the lease holder runs, by name, in the order they start: the views, the sealer
    (`integrity.background`: every event into the Merkle tree, signed checkpoints), the relay."""
    parts: dict[str, Part] = {"views": views}
    if integrity is not None:
        parts["sealer"] = integrity
    if settings.kafka_bootstrap:
        parts["relay"] = RelayOnDemand(settings)
    return parts


def relay_problem(parts: dict[str, Part]) -> Callable[[], str | None] | None:
    """What `/readyz` asks of the relay among `parts`: why its publishing fails, if it does;
    None when this process runs no relay."""
    relay = parts.get("relay")
    return relay.problem if isinstance(relay, RelayOnDemand) else None


class BackgroundWork:
    """Runs `parts` whenever this process holds the store's background lease."""

    def __init__(self, settings: Settings, parts: dict[str, Part]) -> None:
        self.parts = parts
        lock = store_lock(settings.persistence_env(), LEASE_NAME)
        self.lease = Lease(lock, LEASE_NAME, settings.lease_retry_seconds)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def leading(self) -> bool:
        """Whether this process runs the background parts now."""
        return self.lease.held

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self.lease.run, args=(self._run, self._stopping),
                                        name="okr-background", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.lease.lock.release()

    def _run(self, holding: Holding) -> None:
        started: list[Part] = []
        try:
            for part in self.parts.values():
                part.start()
                started.append(part)
            log.info("running the background parts: %s", ", ".join(self.parts))
            while holding():
                self._stopping.wait(HOLDING_CHECK_SECONDS)
        finally:
            for part in reversed(started):
                part.stop()


class RelayOnDemand:
    """The relay's shards, opened when the lease is taken and closed when it is left, so a
    standing-by process holds no broker connections."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.shards: RelayShards | None = None

    def start(self) -> None:
        self.shards = RelayShards(self.settings)
        self.shards.start()

    def stop(self) -> None:
        if self.shards is not None:
            self.shards.close()
            self.shards = None

    def problem(self) -> str | None:
        """Why publishing fails, while it does (None while not leading)."""
        shards = self.shards
        return shards.problem() if shards is not None else None
