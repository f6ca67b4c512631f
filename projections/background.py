"""`BackgroundFollowing`: following the log in a thread, woken after each save, with a short poll.

The ledger it follows calls `notify()` after each save (`OKRLedger.on_saved`), so its views
catch up at once; the poll picks up events written by other processes. A failed batch is logged
and retried from the last recorded position, so a failure delays the views but never skips an
event; the error stays visible in `last_error` until a batch succeeds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic

logger = logging.getLogger(__name__)
WAIT_SLICE = 0.05


class BackgroundFollowing:
    def __init__(self, catch_up: Callable[[], int], poll_interval: float = 0.2) -> None:
        self.catch_up, self.poll_interval = catch_up, poll_interval
        self.last_error: BaseException | None = None
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._progressed = threading.Condition()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="okr-projections", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def notify(self) -> None:
        self._wake.set()

    def wait_until(self, reached: Callable[[], bool], timeout: float) -> bool:
        """Whether `reached()` came true within `timeout` seconds."""
        deadline = monotonic() + timeout
        while not reached():
            remaining = deadline - monotonic()
            if remaining <= 0:
                return False
            self.notify()
            with self._progressed:
                self._progressed.wait(min(remaining, WAIT_SLICE))
        return True

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self.catch_up()
                self.last_error = None
            except Exception as error:  # noqa: BLE001 - retried from the recorded position
                self.last_error = error
                logger.exception("projections failed a batch; retrying from the last position")
            with self._progressed:
                self._progressed.notify_all()
            self._wake.wait(self.poll_interval)
