"""Ringing a follower's bell when the log grows, through the library's own `subscribe`.

On PostgreSQL the application recorder's `subscribe` is LISTEN/NOTIFY: every insert notifies a
channel and the library's subscription pulls what was inserted, so a write made by any process
reaches the views at once. The subscription is used only as a bell: the follower still reads
from each view's own tracked position, in batches, so the two never have to agree on where
anyone is. In eventsourcing 9.5 the SQLite recorder cannot subscribe (`subscribe` raises
NotImplementedError); there, and while a lost subscription is being re-made, followers poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from eventsourcing.persistence import ApplicationRecorder, Subscription

logger = logging.getLogger(__name__)


class LogListener:
    """Calls `ring()` whenever the recorder reports new events; one start, one stop."""

    def __init__(self, recorder: ApplicationRecorder, ring: Callable[[], None],
                 retry_interval: float) -> None:
        self.recorder, self.ring, self.retry_interval = recorder, ring, retry_interval
        self.listening = False
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._subscription: Subscription[ApplicationRecorder] | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Listen in a daemon thread (so are the library's subscription threads, made there)."""
        self._thread = threading.Thread(target=self._run, name="okr-log-listener", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        with self._lock:
            if self._subscription is not None:
                self._subscription.stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:  # from the log's end: the follower itself reads what came before
                subscription = self.recorder.subscribe(gt=self.recorder.max_notification_id())
            except NotImplementedError:
                return  # SQLite in eventsourcing 9.5: the follower polls
            except Exception:  # noqa: BLE001 - tried again after the retry interval
                logger.warning("cannot subscribe to the log yet; polling meanwhile", exc_info=True)
            else:
                self._listen(subscription)
            if self._stopping.wait(self.retry_interval):
                return

    def _listen(self, subscription: Subscription[ApplicationRecorder]) -> None:
        with self._lock:
            self._subscription = subscription
            if self._stopping.is_set():
                subscription.stop()
        self.listening = True
        self.ring()
        try:
            with subscription:
                for _ in subscription:
                    self.ring()
        except Exception:  # noqa: BLE001 - polled meanwhile, then subscribed again
            logger.exception("lost the log subscription; polling until it is back")
        finally:
            self.listening = False
            self.ring()
