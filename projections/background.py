"""`BackgroundFollowing`: a follower's catch-up run in a thread whenever the log grows.

Three things wake it: every save of the ledger it follows (the service registers `notify`
with `OKRLedger.on_saved`); on PostgreSQL, the library's LISTEN/NOTIFY subscription, for writes
from any process (`workflows.log_listener`); and where the recorder cannot subscribe (SQLite
in eventsourcing 9.5) a poll every `poll_interval`, the only way there to see other processes'
writes.

A failed batch is retried from the last recorded position, after a delay that doubles with
each failure, so a failure delays the views but never skips an event; the error stays in
`last_error` until a batch succeeds. An event that fails the same way `give_up_after` times
(`EventFailedError`, not a store that is briefly unreachable) is handed to `dead_letter` and the
follower stops (`stopped_at`): a view never spins for ever on one event.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from time import monotonic

from eventsourcing.persistence import ApplicationRecorder, InterfaceError, OperationalError

from projections.following import EventFailedError
from workflows.log_listener import LogListener

logger = logging.getLogger(__name__)
WAIT_SLICE = 0.05
MAX_RETRY_DELAY = 5.0
TRANSIENT = (OperationalError, InterfaceError)
"""Errors of an unreachable store: retried for as long as it takes, never dead-lettered."""


class BackgroundFollowing:
    def __init__(self, catch_up: Callable[[], int], recorder: ApplicationRecorder,
                 poll_interval: float = 0.2, give_up_after: int = 5,
                 dead_letter: Callable[[EventFailedError, int], None] | None = None) -> None:
        self.catch_up, self.recorder, self.poll_interval = catch_up, recorder, poll_interval
        self.give_up_after, self.dead_letter = give_up_after, dead_letter
        self.last_error: BaseException | None = None
        self.stopped_at: EventFailedError | None = None
        self._failures = 0
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._progressed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._listener: LogListener | None = None
        self._progress_listeners: tuple[Callable[[], None], ...] = ()

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
        self.stopped_at, self._failures = None, 0
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

    def on_progress(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` (quickly; in the follower's thread) after each round of catching
        up, failed or not; returns what stops the calls."""
        self._progress_listeners = (*self._progress_listeners, listener)

        def stop() -> None:
            self._progress_listeners = tuple(
                known for known in self._progress_listeners if known is not listener)
        return stop

    def wait_until(self, reached: Callable[[], bool], timeout: float) -> bool:
        """Whether `reached()` came true within `timeout` seconds. It is checked again after
        each catch-up and every few milliseconds (another process may move the views on); while
        polling, the follower is also asked to look at the log now rather than at its next poll.
        A follower stopped on a dead letter answers at once."""
        deadline = monotonic() + timeout
        while not reached():
            remaining = deadline - monotonic()
            if remaining <= 0 or self.stopped_at is not None:
                return False
            if not self.listening:
                self.notify()
            with self._progressed:
                self._progressed.wait(min(remaining, WAIT_SLICE))
        return True

    def _run(self) -> None:
        while not self._stopping.is_set() and self.stopped_at is None:
            self._wake.clear()
            succeeded = self._catch_up()
            with self._progressed:
                self._progressed.notify_all()
            for listener in self._progress_listeners:
                listener()
            if succeeded:
                self._wake.wait(None if self.listening else self.poll_interval)
            elif self.stopped_at is None:
                self._stopping.wait(self._retry_delay())

    def _catch_up(self) -> bool:
        try:
            self.catch_up()
        except Exception as error:  # noqa: BLE001 - retried from the recorded position
            self._failed(error)
            return False
        self.last_error, self._failures = None, 0
        return True

    def _failed(self, error: Exception) -> None:
        same = (self.last_error is not None and type(error) is type(self.last_error)
                and str(error) == str(self.last_error))
        self._failures = self._failures + 1 if same else 1
        self.last_error = error
        if self._failures == 1:
            logger.exception("projections failed a batch; retrying from the last position")
        else:
            logger.warning("projections failed again (%d times): %s", self._failures, error)
        if (isinstance(error, EventFailedError) and not isinstance(error.error, TRANSIENT)
                and self._failures >= self.give_up_after):
            self._give_up(error)

    def _give_up(self, failed: EventFailedError) -> None:
        logger.error("projections stopped at position %d after %d attempts: %s",
                     failed.position, self._failures, failed)
        if self.dead_letter is not None:
            try:
                self.dead_letter(failed, self._failures)
            except Exception:  # noqa: BLE001 - the views stop all the same; say so
                logger.exception("the dead letter at position %d could not be recorded",
                                 failed.position)
        self.stopped_at = failed

    def _retry_delay(self) -> float:
        return min(self.poll_interval * 2 ** (self._failures - 1), MAX_RETRY_DELAY)
