"""`IntegrityMonitor`: fail safe, not silent. The background lease holder verifies the whole log
when it starts, then every `OKR_INTEGRITY_CHECK_SECONDS` only what came after the largest tree
size it verified (a check costs the new events, not the whole log), and the whole log again
every `WHOLE_CHECK_EVERY` checks (`okr audit verify` and `GET /v1/audit/integrity` always
check it all); a fault is logged as an error and raised as an
alarm (`integrity.alarms`) in the store.

`WriteGate` is what every process asks before a write, and before it serves an aggregate from
its cache: while an alarm is not acknowledged, writes are refused with its summary, and when it
first sees an alarm it tells its listeners (the ledger drops its cached aggregates, which may
hold the history as it was before it was tampered with).
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
WHOLE_CHECK_EVERY = 12
"""Every this many periodic checks one reads the whole log (at the default 300 s: hourly), so a
change to events an earlier check already verified is found while the server runs, too."""


@dataclass
class CheckState:
    checked_at: float | None = None
    report: AuditReport | None = None
    error: str | None = None


class IntegrityMonitor:
    def __init__(self, verify: Callable[[int], AuditReport], alarms: Alarms,
                 every_seconds: float, gate: WriteGate | None = None) -> None:
        """`verify(after_size)`: check what came after that verified tree size (0: all)."""
        self.verify, self.alarms, self.every, self.gate = verify, alarms, every_seconds, gate
        self.state = CheckState()
        self.verified_size = 0
        """The largest tree size a check of this process found whole: the next starts there."""
        self._checks = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> AuditReport:
        """Verify what came after the last verified tree; raise an alarm (and log an error)
        for any fault. The verified size moves on only when the check found none, so a fault
        is found again by every check until it is mended."""
        whole = self._checks % WHOLE_CHECK_EVERY == 0  # the first, at start, and every 12th
        self._checks += 1
        report = self.verify(0 if whole else self.verified_size)
        self.state = CheckState(time.time(), report)
        alarm = self.alarms.raise_for(report)
        if alarm is None:
            self.verified_size = max(self.verified_size, report.verified_size)
            return report
        log.error("the tamper-evident log has faults; writes are refused until an admin "
                  "runs `okr audit acknowledge --reason`: %s", alarm.summary(),
                  extra={"faults": alarm.faults[:20]})
        if self.gate is not None:
            self.gate.forget()  # this process's caches go now, not within the gate's second
            self.gate.refusal()
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
    second, so every process refuses as soon as any raised the alarm; `on_alarm` listeners are
    told of each alarm this process sees for the first time."""

    def __init__(self, alarms: Alarms, clock: Callable[[], float] = time.monotonic) -> None:
        self.alarms, self.clock = alarms, clock
        self._read_at = float("-inf")
        self._refusal: str | None = None
        self._seen: set[str] = set()
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def on_alarm(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def refusal(self) -> str | None:
        with self._lock:
            if self.clock() - self._read_at >= GATE_CACHE_SECONDS:
                alarms = self.alarms.open()
                self._refusal = None if not alarms else (
                    f"{alarms[0].summary()}; an admin must run `okr audit acknowledge "
                    "--reason` before anything is written")
                self._read_at = self.clock()
                new = {alarm.fingerprint for alarm in alarms} - self._seen
                self._seen |= new
                if new:
                    for listener in self._listeners:
                        listener()
            return self._refusal

    def forget(self) -> None:
        with self._lock:
            self._read_at = float("-inf")

    def status(self) -> dict[str, Any]:
        alarms = self.alarms.open()
        return {"refusing_writes": bool(alarms),
                "alarms": [{"fingerprint": a.fingerprint, "found_at": a.found_at,
                            "faults": a.faults} for a in alarms]}
