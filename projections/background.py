"""`BackgroundFollowing`: a follower's catch-up run in a thread whenever the log grows.

Three things wake it: every save of the ledger it follows (the service registers `notify`
with `OKRLedger.on_saved`); on PostgreSQL, the library's LISTEN/NOTIFY subscription, for writes
from any process (`workflows.log_listener`); and where the recorder cannot subscribe (SQLite
in eventsourcing 9.5) a poll every `poll_interval`, the only way there to see other processes'
writes. A failed
batch is logged and retried from the last recorded position after `poll_interval`, so a
failure delays the views but never skips an event; the error stays visible in `last_error`
until a batch succeeds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic

from eventsourcing.persistence import ApplicationRecorder

from workflows.log_listener import LogListener

logger = logging.getLogger(__name__)
WAIT_SLICE = 0.05


class BackgroundFollowing:
    def __init__(self, catch_up: Callable[[], int], recorder: ApplicationRecorder,
                 poll_interval: float = 0.2) -> None:
        self.catch_up, self.recorder, self.poll_interval = catch_up, recorder, poll_interval
        self.last_error: BaseException | None = None
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._progressed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._listener: LogListener | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def listening(self) -> bool:
        """Whether the log's own notifications wake the follower (else it polls)."""
        return self._listener is not None and self._listener.listening

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._listener = LogListener(self.recorder, self.notify, self.poll_interval)
        self._listener.start()
        self._thread = threading.Thread(target=self._run, name="okr-projections", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def notify(self) -> None:
        self._wake.set()

    def wait_until(self, reached: Callable[[], bool], timeout: float) -> bool:
        """Whether `reached()` came true within `timeout` seconds. It is checked again after
        each catch-up and every few milliseconds (another process may move the views on); while
        polling, the follower is also asked to look at the log now rather than at its next poll."""
        deadline = monotonic() + timeout
        while not reached():
            remaining = deadline - monotonic()
            if remaining <= 0:
                return False
            if not self.listening:
                self.notify()
            with self._progressed:
                self._progressed.wait(min(remaining, WAIT_SLICE))
        return True

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            succeeded = self._catch_up()
            with self._progressed:
                self._progressed.notify_all()
            woken_by_log = succeeded and self.listening
            self._wake.wait(None if woken_by_log else self.poll_interval)

    def _catch_up(self) -> bool:
        try:
            self.catch_up()
        except Exception as error:  # noqa: BLE001 - retried from the recorded position
            self.last_error = error
            logger.exception("projections failed a batch; retrying from the last position")
            return False
        self.last_error = None
        return True
