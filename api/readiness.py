"""What `/readyz`, `/metrics` and `okr status` report: how far each part has got, what is wrong.

The parts are the store (reachable, and the log's last position, its *head*), each view (its
position and lag behind the head, and, in the process that follows the log, whether it is
failing), the Kafka relay when one is configured (its acknowledged position, kept in the store),
and whatever else registers a `StatusSource` (the sealer of the tamper-evidence work). The store
and the views gate readiness, because requests need them; the relay and the sealer report but
do not gate, because an API that cannot publish to Kafka still serves: the whole is then
`degraded`, which is still ready.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as NoAnswer
from dataclasses import dataclass, field
from enum import StrEnum

from eventsourcing.persistence import ApplicationRecorder

PROBLEM_LENGTH = 300


class Overall(StrEnum):
    READY = "ready"
    DEGRADED = "degraded"
    NOT_READY = "not ready"


@dataclass
class PartStatus:
    """One part's state. `kind` groups parts (`view`); a part alone of its kind has its kind
    as its name."""

    kind: str
    name: str
    ok: bool
    gating: bool
    position: int | None = None
    lag: int | None = None
    state: str = "ok"
    problem: str | None = None
    follower: str | None = None
    """For a view: whether this process follows the log (`following`), another does (`idle`),
    or the views stopped on an event (`stopped`)."""
    gauges: dict[str, tuple[str, float]] = field(default_factory=dict)
    """More of the part's figures, for `/metrics` only: gauge name -> (help, value)."""

    def public(self) -> dict[str, object]:
        return {name: value for name, value in vars(self).items()
                if name not in ("follower", "gauges")}


@dataclass(frozen=True)
class StatusSource:
    """Where the status of one kind of part comes from, given the log's head position."""

    kind: str
    statuses: Callable[[int], list[PartStatus]]
    gating: bool = True


@dataclass
class Readiness:
    head: int | None
    parts: list[PartStatus] = field(default_factory=list)

    @property
    def overall(self) -> Overall:
        if not all(part.ok for part in self.parts if part.gating):
            return Overall.NOT_READY
        return Overall.READY if all(part.ok for part in self.parts) else Overall.DEGRADED

    @property
    def ready(self) -> bool:
        return self.overall is not Overall.NOT_READY

    def problems(self) -> list[str]:
        return [f"{part.name}: {part.problem}" for part in self.parts if part.problem]


def assess(store: ApplicationRecorder, sources: Sequence[StatusSource]) -> Readiness:
    """Read the log's head, then ask every source; a source that fails is a failed part."""
    try:
        head = store.max_notification_id() or 0
    except Exception as error:  # noqa: BLE001 - what is wrong is the answer
        return Readiness(None, [PartStatus("store", "store", ok=False, gating=True,
                                           state="unreachable", problem=describe(error))])
    readiness = Readiness(head, [PartStatus("store", "store", ok=True, gating=True,
                                            position=head)])
    for source in sources:
        readiness.parts += _asked(source, head)
    return readiness


def _asked(source: StatusSource, head: int) -> list[PartStatus]:
    try:
        return source.statuses(head)
    except Exception as error:  # noqa: BLE001 - what is wrong is the answer
        return [PartStatus(source.kind, source.kind, ok=False, gating=source.gating,
                           state="unreadable", problem=describe(error))]


def lagging(kind: str, name: str, position: int, head: int, max_lag: int | None,
            gating: bool) -> PartStatus:
    """A part that follows the log: ok while at most `max_lag` behind (None: any lag)."""
    lag = max(head - position, 0)
    if max_lag is not None and lag > max_lag:
        return PartStatus(kind, name, ok=False, gating=gating, position=position, lag=lag,
                          state="behind", problem=f"{lag} events behind the log (at most "
                                                  f"{max_lag} allowed)")
    return PartStatus(kind, name, ok=True, gating=gating, position=position, lag=lag)


def describe(error: BaseException) -> str:
    """An error in one short line: its class and the first line of its message."""
    first_line = (str(error).strip().splitlines() or [""])[0]
    text = f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
    return text[:PROBLEM_LENGTH]


class TimelyAssessment:
    """`assess` with a deadline. A store that does not answer (a PostgreSQL server gone
    away makes its pool wait and retry for minutes) is reported unreachable after `timeout`
    seconds, so a probe or a scrape never hangs. One assessment runs at a time, in a daemon
    thread (one stuck in the driver must not hold up the process's exit): callers meanwhile
    wait on the same one rather than starting more threads that would hang too."""

    def __init__(self, assess_now: Callable[[], Readiness], timeout: float) -> None:
        self.assess_now, self.timeout = assess_now, timeout
        self._running: Future[Readiness] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Readiness:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = Future()
                threading.Thread(target=self._assess, args=(self._running,), daemon=True,
                                 name="okr-readiness").start()
            running = self._running
        try:
            return running.result(self.timeout)
        except NoAnswer:
            return Readiness(None, [PartStatus(
                "store", "store", ok=False, gating=True, state="unreachable",
                problem=f"the store did not answer within {self.timeout:g} s")])

    def _assess(self, answer: Future[Readiness]) -> None:
        try:
            answer.set_result(self.assess_now())
        except BaseException as error:  # noqa: BLE001 - handed to the caller waiting
            answer.set_exception(error)
