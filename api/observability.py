"""Wiring what operators see: request ids, the access log, metrics, readiness, gzip and CORS.

The middleware, outermost first: `api.observing.RequestObserver` (request id accepted or made
and echoed, log line, metrics, event metadata), CORS when origins are configured (so preflights
are answered before anything else runs), then gzip for answers of 1 KiB or more (server-sent
events are never compressed: Starlette leaves `text/event-stream` alone), which the liveness
probes skip: their answer is a few bytes, never compressed, and they are the requests a server
answers most often.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.metrics import Metrics, serving_metrics
from api.observing import LIVENESS, REQUEST_ID_HEADER, RequestObserver
from api.readiness import Readiness, StatusSource, TimelyAssessment, assess
from api.status_sources import status_sources
from integrity.service import IntegrityService
from projections.service import ProjectionService
from workflows.operations_options import split_list
from workflows.settings import Settings

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
    app.add_middleware(GZipButLiveness, minimum_size=GZIP_MINIMUM_BYTES)
    origins = split_list(settings.cors_origins)
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=CORS_METHODS,
                           allow_headers=CORS_REQUEST_HEADERS,
                           expose_headers=CORS_EXPOSED_HEADERS, max_age=600)
    app.add_middleware(RequestObserver)


class GZipButLiveness:
    """Starlette's `GZipMiddleware` for every request but the liveness probes (`/livez`,
    `/healthz`), whose 15-byte answer it would only inspect (its responder parses the request's
    and the response's headers on every request)."""

    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        self.app, self.gzip = app, GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in LIVENESS:
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)


def current_readiness(app: FastAPI) -> Readiness:
    timely: TimelyAssessment = app.state.readiness
    return timely()


@contextmanager
def observing(app: FastAPI, settings: Settings, views: ProjectionService,
              integrity: IntegrityService | None = None,
              relay_problem: Callable[[], str | None] | None = None) -> Iterator[None]:
    """While the server runs: the readiness sources, appended events counted (and published
    ones, where this process leads and so runs the relay, whose failures `relay_problem`
    tells), and the metrics' private port when one is configured."""
    metrics: Metrics = app.state.metrics
    stop_counting = views.ledger.on_saved(metrics.count_saved)
    if settings.kafka_bootstrap:
        metrics.watch_relay()
    app.state.readiness = TimelyAssessment(
        lambda: assess(views.ledger.recorder, app.state.status_sources),
        settings.ready_timeout_seconds)
    try:
        with status_sources(settings, views, integrity, relay_problem) as sources, \
                serving_metrics(metrics, settings):
            app.state.status_sources.extend(sources)
            yield
    finally:
        stop_counting()
