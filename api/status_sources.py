"""The parts `api.readiness` asks about: the views and, when Kafka is configured, the relay."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from api.readiness import PartStatus, StatusSource, describe, lagging
from projections.service import ProjectionService
from stream.tracking import RelayTracking
from workflows.settings import Settings


@contextmanager
def status_sources(settings: Settings, views: ProjectionService) -> Iterator[list[StatusSource]]:
    """The views, and the relay when Kafka is configured (its position is read from the store,
    whichever process runs it)."""
    tracking = (RelayTracking(settings.persistence_env(), settings.kafka_topic,
                              settings.relay_shards) if settings.kafka_bootstrap else None)
    try:
        yield [views_source(views, settings.ready_max_view_lag),
               *([relay_source(tracking.position)] if tracking else [])]
    finally:
        if tracking is not None:
            tracking.close()


def views_source(views: ProjectionService, max_lag: int) -> StatusSource:
    """Each view's position and lag; a view is not ready when too far behind, or when the
    follower in this process failed its last batch (it retries from the view's position)."""
    def statuses(head: int) -> list[PartStatus]:
        failure = views.following.last_error
        parts = [lagging("view", name, position, head, max_lag, gating=True)
                 for name, position in views.positions().items()]
        if failure is not None:
            for part in parts:
                part.ok, part.state = False, "failing"
                part.problem = f"the batch after position {part.position} fails: " \
                               f"{describe(failure)}"
        return parts
    return StatusSource("view", statuses)


def relay_source(position: Callable[[], int]) -> StatusSource:
    """The relay's acknowledged position and lag; it reports, it does not gate readiness."""
    def statuses(head: int) -> list[PartStatus]:
        return [lagging("relay", "relay", position(), head, None, gating=False)]
    return StatusSource("relay", statuses, gating=False)
