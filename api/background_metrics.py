"""`okr worker`'s metrics: the background parts' gauges on `OKR_METRICS_PORT`.

In the production layout (docs/deploy.md) the views' follower, the sealer and the relay run in
`okr worker`, which answers no HTTP. Without this a relay that cannot reach the broker, or a
view stopped on an event, would show only in the worker's log. With `OKR_METRICS_PORT` set the
worker serves the registry `okr serve` serves (`api.metrics`), fed by the same parts
(`api.status_sources`) and assessed the same way, with a deadline (`api.readiness`): each view's
position and lag, the sealer's and the relay's, `okr_part_ok` per part, `okr_ready`, and the
events this worker's relay published. A worker standing by (another holds the lease) reports the
positions and lags read from the store, and no relay failure: only the one publishing knows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from api.metrics import Metrics, serving_metrics
from api.readiness import TimelyAssessment, assess
from api.status_sources import status_sources
from integrity.service import IntegrityService
from projections.service import ProjectionService
from workflows.settings import Settings


@contextmanager
def background_metrics(settings: Settings, views: ProjectionService,
                       integrity: IntegrityService,
                       relay_problem: Callable[[], str | None] | None = None
                       ) -> Iterator[Metrics | None]:
    """While the block runs, the parts' metrics on `settings.metrics_port`; nothing (and no
    table opened for them) when no port is configured."""
    if not settings.metrics_port:
        yield None
        return
    with status_sources(settings, views, integrity, relay_problem) as sources:
        readiness = TimelyAssessment(lambda: assess(views.ledger.recorder, sources),
                                     settings.ready_timeout_seconds)
        metrics = Metrics(status=readiness)
        if settings.kafka_bootstrap:
            metrics.watch_relay()
        with serving_metrics(metrics, settings):
            yield metrics
