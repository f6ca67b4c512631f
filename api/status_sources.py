"""The parts `api.readiness` asks about: the views, the sealer and, when Kafka is configured,
the relay."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from api.readiness import PartStatus, StatusSource, lagging
from integrity.alarms import Alarms
from integrity.monitor import WriteGate
from integrity.service import IntegrityService, sealed_status
from integrity.tables import SealTables, open_tables
from projections.service import ProjectionService
from stream.tracking import RelayTracking
from workflows.settings import Settings
from workflows.startup import opened


@contextmanager
def status_sources(settings: Settings, views: ProjectionService,
                   integrity: IntegrityService | None = None,
                   relay_problem: Callable[[], str | None] | None = None
                   ) -> Iterator[list[StatusSource]]:
    """The views, the sealer (`integrity`'s, or read from its tables by a command), and the
    relay when Kafka is configured (its position is read from the store,
    whichever process runs it; its table is made, if need be, while other processes starting
    on the same store may make it too; `relay_problem`, where this process may run the relay,
    says whether its publishing fails)."""
    tracking = (opened(lambda: RelayTracking(settings.persistence_env(), settings.kafka_topic,
                                             settings.relay_shards), "relay's position")
                if settings.kafka_bootstrap else None)
    tables: SealTables | None = None
    if integrity is not None:
        sealer: Callable[[], dict[str, Any]] = integrity.status
        refusal = integrity.gate.refusal
    else:
        tables = opened(lambda: open_tables(settings.persistence_env()), "integrity tables")
        sealer = partial(sealed_status, tables)
        refusal = WriteGate(Alarms(tables)).refusal
    try:
        yield [views_source(views, settings.ready_max_view_lag),
               sealer_source(sealer), alarm_source(refusal),
               *([relay_source(tracking.position, relay_problem)] if tracking else [])]
    finally:
        if tracking is not None:
            tracking.close()
        if tables is not None:
            tables.close()


def views_source(views: ProjectionService, max_lag: int) -> StatusSource:
    """Each view's position and lag; a view is not ready when too far behind or when the
    views stopped on an event (a dead letter, read from the store by every process); the
    follower of this process failing a batch it retries degrades the server."""
    def statuses(head: int) -> list[PartStatus]:
        status = views.status()
        parts = [lagging("view", name, view["position"], head, max_lag, gating=True)
                 for name, view in status["views"].items()]
        trouble = _stopped(status["dead_letters"]) or _failing(status["last_error"])
        for part in parts:
            part.follower = status["state"]
            if trouble is not None:
                _troubled(part, *trouble)
        return parts
    return StatusSource("view", statuses)


def _troubled(part: PartStatus, state: str, problem: str) -> None:
    """Stopped views are not ready; a batch that fails but is retried only degrades the
    server, unless the view is also too far behind."""
    if state != "stopped" and part.ok:
        part.gating = False
    part.ok, part.state, part.problem = False, state, problem


def _stopped(dead_letters: list[dict[str, Any]]) -> tuple[str, str] | None:
    if not dead_letters:
        return None
    return "stopped", "; ".join(f"the views stopped at position {letter['position']} after "
                                f"{letter['attempts']} attempts: {letter['error']}"
                                for letter in dead_letters)


def _failing(last_error: str | None) -> tuple[str, str] | None:
    if last_error is None:
        return None
    return "failing", f"the views' last batch failed and is retried: {last_error[:300]}"


def relay_source(position: Callable[[], int],
                 problem: Callable[[], str | None] | None = None) -> StatusSource:
    """The relay's acknowledged position and lag (read from the store, whoever publishes),
    and, from the process that runs the relay (`problem`), whether publishing fails: then the
    part is not ok and the server degraded. It reports, it does not gate readiness: an API
    that cannot publish to Kafka still serves. A process that does not run the relay sees
    only its lag, which grows while the broker is away."""
    def statuses(head: int) -> list[PartStatus]:
        part = lagging("relay", "relay", position(), head, None, gating=False)
        why = problem() if problem is not None else None
        if why is not None:
            part.ok, part.state = False, "failing"
            part.problem = f"publishing to Kafka failed and is retried: {why[:300]}"
        return [part]
    return StatusSource("relay", statuses, gating=False)


def alarm_source(refusal: Callable[[], str | None]) -> StatusSource:
    """Whether an integrity check found a fault no admin has acknowledged: then writes are
    refused. It degrades the server, it does not gate it: reads go on."""
    def statuses(head: int) -> list[PartStatus]:
        why = refusal()
        return [PartStatus("integrity", "integrity", ok=why is None, gating=False,
                           state="ok" if why is None else "refusing writes", problem=why,
                           gauges={"okr_integrity_alarm": (
                               "1 while an integrity fault no admin has acknowledged makes "
                               "the server refuse writes, else 0", 0 if why is None else 1)})]
    return StatusSource("integrity", statuses, gating=False)


def sealer_source(status: Callable[[], dict[str, Any]]) -> StatusSource:
    """How far the sealer has sealed the log, and whether its last round failed; it reports,
    it does not gate readiness (an event not yet sealed is still stored)."""
    def statuses(head: int) -> list[PartStatus]:
        sealed = status()
        part = lagging("sealer", "sealer", sealed["position"], head, None, gating=False)
        part.gauges = {
            "okr_sealer_tree_size": ("Events sealed into the Merkle tree: its size",
                                     sealed["tree_size"]),
            "okr_checkpoint_tree_size": ("The tree size of the latest signed checkpoint",
                                         sealed["checkpoint_size"])}
        if sealed.get("verified_size") is not None:
            part.gauges["okr_integrity_verified_tree_size"] = (
                "The largest signed tree size the last integrity check verified",
                sealed["verified_size"])
        if sealed["last_error"]:
            part.ok, part.state = False, "failing"
            part.problem = f"sealing failed and is retried: {sealed['last_error'][:300]}"
        return [part]
    return StatusSource("sealer", statuses, gating=False)
