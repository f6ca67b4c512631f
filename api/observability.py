"""Wiring what operators see: request ids, the access log, metrics, readiness, gzip and CORS.

The middleware, outermost first: `asgi-correlation-id` (accepts `X-Request-ID` or makes one,
and echoes it), `api.observing.RequestObserver` (log line, metrics, event metadata), CORS when
origins are configured (so preflights are answered before anything else runs), then gzip for
answers of 1 KiB or more (server-sent events are never compressed: Starlette leaves
`text/event-stream` alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from api.metrics import Metrics, serving_metrics
from api.observing import RequestObserver
from api.readiness import Readiness, StatusSource, TimelyAssessment, assess
from api.status_sources import status_sources
from integrity.service import IntegrityService
from projections.service import ProjectionService
from workflows.operations_options import split_list
from workflows.settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID = re.compile(r"[!-~]{1,128}")
GZIP_MINIMUM_BYTES = 1024
CORS_METHODS = ["GET", "HEAD", "POST", "PATCH", "DELETE"]
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match",
                        "Idempotency-Key", "Last-Event-ID", REQUEST_ID_HEADER, "traceparent"]
CORS_EXPOSED_HEADERS = ["ETag", "Location", "Retry-After", "Idempotent-Replayed",
                        REQUEST_ID_HEADER]


def install_observability(app: FastAPI, settings: Settings) -> None:
    """Add the middleware (see the module's docstring) and the app's metrics."""
    app.state.metrics = Metrics(status=lambda: current_readiness(app))
    app.state.status_sources = list[StatusSource]()
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    origins = split_list(settings.cors_origins)
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=CORS_METHODS,
                           allow_headers=CORS_REQUEST_HEADERS,
                           expose_headers=CORS_EXPOSED_HEADERS, max_age=600)
    app.add_middleware(RequestObserver)
    app.add_middleware(CorrelationIdMiddleware, header_name=REQUEST_ID_HEADER,
                       validator=is_request_id)


def is_request_id(value: str) -> bool:
    """A caller's request id is kept when it is 1 to 128 visible ASCII characters (it goes
    into headers, log lines and events); anything else is replaced by a new one."""
    return REQUEST_ID.fullmatch(value) is not None


def current_readiness(app: FastAPI) -> Readiness:
    timely: TimelyAssessment = app.state.readiness
    return timely()


@contextmanager
def observing(app: FastAPI, settings: Settings, views: ProjectionService,
              integrity: IntegrityService | None = None) -> Iterator[None]:
    """While the server runs: the readiness sources, appended events counted (and published
    ones, where this process leads and so runs the relay), and the metrics' private port when
    one is configured."""
    metrics: Metrics = app.state.metrics
    stop_counting = views.ledger.on_saved(metrics.count_saved)
    if settings.kafka_bootstrap:
        metrics.watch_relay()
    app.state.readiness = TimelyAssessment(
        lambda: assess(views.ledger.recorder, app.state.status_sources),
        settings.ready_timeout_seconds)
    try:
        with status_sources(settings, views, integrity) as sources, serving_metrics(metrics, settings):
            app.state.status_sources.extend(sources)
            yield
    finally:
        stop_counting()
