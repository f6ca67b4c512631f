"""How the relay paces itself (batch size, polling, backoff while the broker is away), and what
it says where the schemas are."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from stream.cloudevents import SCHEMA_BASE

log = logging.getLogger("okr.relay")


@dataclass(frozen=True)
class RelayOptions:
    batch_size: int = 2000
    poll_interval: float = 0.05
    max_backoff: float = 5.0
    lag_log_interval: float = 10.0
    lease_retry_seconds: float = 1.0
    schema_base: str = SCHEMA_BASE
    """Where each event's `dataschema` points (the server's `/v1/events/schemas`)."""


class BackoffLog:
    """Exponential backoff for an unreachable broker, with log lines an operator can act on."""

    def __init__(self, options: RelayOptions) -> None:
        self.options = options
        self.delay = 0.0
        self.last_error: str | None = None
        """Why the last batch failed, until one succeeds: what `/readyz` reports of a relay."""
        self._last_lag_log = 0.0

    def failed(self, error: Exception, lag: int | None) -> float:
        self.last_error = f"{type(error).__name__}: {error}"
        self.delay = min(max(self.delay * 2, 0.1), self.options.max_backoff)
        log.error("could not publish a batch (%s); %s log positions unpublished; "
                  "retrying in %.1fs", error, "unknown" if lag is None else lag, self.delay)
        return self.delay

    def succeeded(self, lag: int) -> None:
        self.last_error = None
        if self.delay:
            log.info("broker reachable again; catching up, %d log positions unpublished", lag)
        elif lag and time.monotonic() - self._last_lag_log >= self.options.lag_log_interval:
            log.info("catching up: %d log positions unpublished", lag)
        else:
            return
        self.delay, self._last_lag_log = 0.0, time.monotonic()
