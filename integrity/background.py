"""`BackgroundSealing`: the sealer run in a thread, woken by every save of the ledger it
follows and otherwise polling (writes of other processes, and checkpoints falling due by time).

A failing round (an unreachable store) is logged and retried after a delay that doubles up to
5 s; the sealer resumes from its recorded position, so a failure delays sealing, never skips.
"""

from __future__ import annotations

import logging
import threading

from integrity.sealer import Sealer

logger = logging.getLogger("okr.integrity")
MAX_RETRY_DELAY = 5.0


class BackgroundSealing:
    def __init__(self, sealer: Sealer, poll_interval: float = 0.25) -> None:
        self.sealer, self.poll_interval = sealer, poll_interval
        self.last_error: BaseException | None = None
        self._failures = 0
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def notify(self, *_: object) -> None:
        self._wake.set()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="okr-sealer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            if self._round():
                self._wake.wait(self.poll_interval)
            else:
                self._stopping.wait(min(self.poll_interval * 2 ** self._failures,
                                        MAX_RETRY_DELAY))

    def _round(self) -> bool:
        try:
            self.sealer.catch_up()
            self.sealer.checkpoint_if_due()
        except Exception as error:  # noqa: BLE001 - retried from the recorded position
            self._failures += 1
            if self._failures == 1:
                logger.exception("sealing failed; retrying from the sealed position")
            self.last_error = error
            return False
        self.last_error, self._failures = None, 0
        return True
