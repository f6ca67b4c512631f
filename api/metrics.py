"""Prometheus metrics of one server, in their own registry (`GET /metrics`, `OKR_METRICS_PORT`).

Counters are counted where things happen: requests and commands by the request observer
(`api.observing`), appended events by the ledger's own save hook, published events by the
relay. Positions and lags are read when Prometheus scrapes, from the same status `/readyz`
reports (`api.readiness`), so the two never disagree. A registry per app, not the library's
global one, so several apps in one process (tests) each count their own. Under
`okr serve --workers N` (`PROMETHEUS_MULTIPROC_DIR` set) the counters live in
prometheus-client's files, and a scrape answered by any worker reports their sum.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from uuid import UUID

from eventsourcing.persistence import Recording
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from api.readiness import PartStatus, Readiness
from stream.published_count import RELAY_PUBLISHED
from workflows.settings import Settings

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
log = logging.getLogger("okr.metrics")
COMMAND_OUTCOMES = {200: "ok", 201: "ok", 204: "ok", 401: "unauthorized", 403: "forbidden",
                    404: "not_found", 409: "not_allowed", 412: "conflict", 422: "invalid",
                    503: "busy"}


class Metrics:
    def __init__(self, status: Callable[[], Readiness] | None = None) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "okr_http_requests", "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"], registry=self.registry)
        self.http_duration = Histogram(
            "okr_http_request_duration_seconds", "Time to answer an HTTP request, by route "
            "template", ["method", "route"], registry=self.registry)
        self.commands = Counter(
            "okr_commands", "Commands (writes) by name and outcome: ok, replayed (an "
            "Idempotency-Key retry), invalid, forbidden, not_allowed, conflict, busy, error, ...",
            ["command", "outcome"], registry=self.registry)
        self.events_appended = Counter(
            "okr_events_appended", "Events this process appended to the log, by event type",
            ["type"], registry=self.registry)
        self._request_series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self.parts = PartsCollector(status) if status is not None else None
        self.exposed = self.registry
        if self.parts is not None:
            self.registry.register(self.parts)
        if MULTIPROCESS_DIR in os.environ:
            self.exposed = CollectorRegistry()
            multiprocess.MultiProcessCollector(self.exposed)
            if self.parts is not None:
                self.exposed.register(self.parts)

    def watch_relay(self) -> None:
        """Report `okr_relay_published_total`: the events this process's relays published."""
        if self.exposed is self.registry:
            self.registry.register(RELAY_PUBLISHED)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.exposed)

    def count_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request. The labelled series are kept per label set, as
        prometheus-client's docs suggest for hot paths: `labels()` builds and locks its way to
        the same child every time (routes are templates, so the set stays small)."""
        key = (method, route, status)
        series = self._request_series.get(key)
        if series is None:
            series = self._request_series[key] = (
                self.http_requests.labels(method, route, str(status)),
                self.http_duration.labels(method, route))
        series[0].inc()
        series[1].observe(seconds)

    def count_command(self, command: str, status: int, replayed: bool) -> None:
        outcome = "replayed" if replayed else command_outcome(status)
        self.commands.labels(command, outcome).inc()

    def count_saved(self, recordings: Sequence[Recording[UUID]]) -> None:
        for recording in recordings:
            self.events_appended.labels(type(recording.domain_event).__qualname__).inc()


def command_outcome(status: int) -> str:
    if status in COMMAND_OUTCOMES:
        return COMMAND_OUTCOMES[status]
    return "error" if status >= 500 else "refused"


class PartsCollector(Collector):
    """`okr_<kind>_position` and `okr_<kind>_lag_events` of every part, the gauges a part
    adds of its own (the sealer's tree sizes, the integrity alarm), `okr_ready`, and
    `okr_part_ok{kind,name}` of every part, read at scrape time. Parts of a kind with several
    members (views) carry a label naming each; a part alone of its kind carries none.

    `okr_part_ok` is `PartStatus.ok`, the one flag readiness is computed from: `okr_ready`
    stays 1 while a part that does not gate (the relay, the sealer) fails, so without it a
    degraded server looks ready to Prometheus. A 1/0 per part rather than a `state` label:
    a label whose value changes starts a new series and leaves the old one stale for minutes,
    so an alert on it would fire late and clear late; `state` and `problem` stay in `/readyz`,
    which says what is wrong."""

    def __init__(self, status: Callable[[], Readiness]) -> None:
        self.status = status

    def collect(self) -> Iterator[Metric]:
        readiness = self.status()
        ready = GaugeMetricFamily("okr_ready", "1 while /readyz answers 200 (ready or "
                                  "degraded), else 0")
        ready.add_metric([], 1 if readiness.ready else 0)
        yield ready
        if readiness.head is not None:
            yield _gauge("okr_log_position", "The log's last position", [], [readiness.head])
        part_ok = GaugeMetricFamily(
            "okr_part_ok", "1 while the part works, 0 while it is failing, behind, stopped or "
            "unreachable (/readyz says why); okr_ready stays 1 while only parts that do not "
            "gate fail (degraded)", labels=["kind", "name"])
        for part in readiness.parts:
            part_ok.add_metric([part.kind, part.name], 1 if part.ok else 0)
        yield part_ok
        yield from _part_gauges(readiness.parts)
        for part in readiness.parts:
            for name, (documentation, value) in part.gauges.items():
                yield _gauge(name, documentation, [], [value])


def _part_gauges(parts: list[PartStatus]) -> Iterator[Metric]:
    for kind in dict.fromkeys(part.kind for part in parts if part.kind != "store"):
        members = [part for part in parts if part.kind == kind and part.lag is not None]
        if not members:
            continue  # a part with no position in the log (integrity) has no such gauges
        labels = [kind] if any(part.name != kind for part in members) else []
        values = [[part.name] if labels else [] for part in members]
        yield _gauge(f"okr_{kind}_position", f"The last log position the {kind} has reached",
                     labels, [part.position for part in members], values)
        yield _gauge(f"okr_{kind}_lag_events", f"Events the {kind} is behind the log", labels,
                     [part.lag for part in members], values)


def _gauge(name: str, documentation: str, labels: list[str],
           numbers: Sequence[float | None],
           label_values: Sequence[list[str]] | None = None) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, documentation, labels=labels)
    for values, number in zip(label_values or [[]], numbers, strict=True):
        gauge.add_metric(values, number or 0)
    return gauge


@contextmanager
def serving_metrics(metrics: Metrics, settings: Settings) -> Iterator[None]:
    """prometheus-client's own HTTP server on `OKR_METRICS_PORT` (no token) while the block
    runs; nothing when no port is configured."""
    if not settings.metrics_port:
        yield
        return
    try:
        server, thread = start_http_server(settings.metrics_port, addr=settings.host,
                                           registry=metrics.exposed)
    except OSError:
        if MULTIPROCESS_DIR not in os.environ:
            raise
        log.info("another worker serves the metrics port %d", settings.metrics_port)
        yield
        return
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
