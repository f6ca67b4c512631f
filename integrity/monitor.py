"""`IntegrityMonitor`: fail safe, not silent. The background lease holder verifies the log when
it starts and every `OKR_INTEGRITY_CHECK_SECONDS`; a fault is logged as an error and raised as
an alarm (`integrity.alarms`) in the store. `WriteGate` is what every process asks before a
write: while an alarm is not acknowledged, writes are refused with its summary.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from integrity.alarms import Alarms
from integrity.audit import AuditReport

log = logging.getLogger("okr.integrity")
GATE_CACHE_SECONDS = 1.0


@dataclass
class CheckState:
    checked_at: float | None = None
    report: AuditReport | None = None
    error: str | None = None


class IntegrityMonitor:
    def __init__(self, verify: Callable[[], AuditReport], alarms: Alarms,
                 every_seconds: float) -> None:
        self.verify, self.alarms, self.every = verify, alarms, every_seconds
        self.state = CheckState()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> AuditReport:
        """Verify now; raise an alarm (and log an error) for any fault."""
        report = self.verify()
        self.state = CheckState(time.time(), report)
        alarm = self.alarms.raise_for(report)
        if alarm is not None:
            log.error("the tamper-evident log has faults; writes are refused until an admin "
                      "runs `okr audit acknowledge --reason`: %s", alarm.summary(),
                      extra={"faults": alarm.faults[:20]})
        return report

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="okr-integrity-check",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(60)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.check()
            except Exception as error:  # the store may be down: say so, try again next time
                self.state = CheckState(time.time(), self.state.report, str(error))
                log.exception("the integrity check could not run")
            if self.every <= 0 or self._stopping.wait(self.every):
                return


class WriteGate:
    """Why writes are refused now (None: they are not), read from the store at most once a
    second, so every process refuses as soon as any raised the alarm."""

    def __init__(self, alarms: Alarms, clock: Callable[[], float] = time.monotonic) -> None:
        self.alarms, self.clock = alarms, clock
        self._read_at = float("-inf")
        self._refusal: str | None = None
        self._lock = threading.Lock()

    def refusal(self) -> str | None:
        with self._lock:
            if self.clock() - self._read_at >= GATE_CACHE_SECONDS:
                alarms = self.alarms.open()
                self._refusal = None if not alarms else (
                    f"{alarms[0].summary()}; an admin must run `okr audit acknowledge "
                    "--reason` before anything is written")
                self._read_at = self.clock()
            return self._refusal

    def forget(self) -> None:
        with self._lock:
            self._read_at = float("-inf")

    def status(self) -> dict[str, Any]:
        alarms = self.alarms.open()
        return {"refusing_writes": bool(alarms),
                "alarms": [{"fingerprint": a.fingerprint, "found_at": a.found_at,
                            "faults": a.faults} for a in alarms]}
