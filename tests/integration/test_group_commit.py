"""Group commit: commands saving while a transaction is written share the next one; each is
answered only once its transaction is stored; a conflict fails only its own command; saves of
one aggregate never share a transaction. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from devtools.network import wait_for
from domain.errors import ConcurrencyConflictError
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from workflows.ledger import OKRLedger


class HeldTransactions:
    """The ledger's real group commit, each transaction's size noted and the first one held
    (before it is written) until released, so that the test decides who waits for whom."""

    def __init__(self, ledger: OKRLedger) -> None:
        self.group = ledger._group_commit
        self.write = self.group.record
        self.sizes: list[int] = []
        self.entered, self.released = threading.Event(), threading.Event()
        self.group.record = self._record

    def _record(self, processing: Any) -> Any:
        self.sizes.append(len(processing.events))
        if len(self.sizes) == 1:
            self.entered.set()
            self.released.wait(30)
        return self.write(processing)


class Outcome:
    """A command run in a thread: what it returned or raised."""

    def __init__(self, command: Callable[[], Any]) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(command,))
        self.thread.start()

    def _run(self, command: Callable[[], Any]) -> None:
        try:
            self.value = command()
        except BaseException as error:  # noqa: BLE001 - inspected by the test
            self.error = error

    @property
    def finished(self) -> bool:
        return not self.thread.is_alive()

    def result(self) -> Any:
        self.thread.join(30)
        if self.error is not None:
            raise self.error
        return self.value


def checking_in(ledger: OKRLedger, objective_id: str, value: float,
                expected_version: int | None = None) -> Callable[[], Any]:
    kr = first_kr(ledger, objective_id)
    return lambda: ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.5,
                                   expected_version=expected_version)


def values(ledger: OKRLedger, objective_id: str) -> list[float]:
    return [e["data"]["value"] for e in ledger.history(objective_id)
            if e["type"] == "CheckedIn"]


@pytest.fixture
def objectives(stored_ledger: OKRLedger) -> list[str]:
    cycle_id = open_cycle(stored_ledger)
    return [active(stored_ledger, cycle_id, title=f"Objective {n}") for n in range(4)]


def held_first(ledger: OKRLedger, first: Callable[[], Any]) -> tuple[HeldTransactions, Outcome]:
    held = HeldTransactions(ledger)
    outcome = Outcome(first)
    assert held.entered.wait(30)
    return held, outcome


def test_saves_waiting_during_a_transaction_share_the_next_and_are_answered_after_it(
        stored_ledger, objectives):
    ledger = stored_ledger
    for value in range(6):  # the second objective reaches version 9: its next event snapshots
        ledger.check_in(OWNER, objectives[1], first_kr(ledger, objectives[1]), value=value,
                        confidence=0.5)
    heard: list[int] = []
    ledger.on_saved(lambda recordings: heard.append(len(recordings)))
    held, first = held_first(ledger, checking_in(ledger, objectives[0], 1))
    waiting = [Outcome(checking_in(ledger, oid, 50 + n)) for n, oid in enumerate(objectives[1:])]
    wait_for(lambda: held.group.queued() == 3, 30, "three saves queued")
    assert not any(outcome.finished for outcome in (first, *waiting))

    held.released.set()
    positions = [outcome.result().position for outcome in (first, *waiting)]

    assert (held.sizes, heard) == ([1, 3], [1, 3])
    assert len(set(positions)) == 4 and max(positions) == ledger.recorder.max_notification_id()
    for n, objective_id in enumerate(objectives[1:]):
        assert values(ledger, objective_id)[-1] == 50 + n
    assert ledger.snapshots is not None
    (snapshot,) = ledger.snapshots.get(ledger.objective(objectives[1]).id, desc=True, limit=1)
    assert snapshot.originator_version == 10


def test_a_conflict_in_a_shared_transaction_fails_only_its_own_command(stored_ledger, objectives):
    ledger = stored_ledger
    stale = ledger.objective(objectives[1])
    ledger.check_in(OWNER, objectives[1], first_kr(ledger, objectives[1]), value=5,
                    confidence=0.5)
    stale.check_in(ledger.objective_step(stale, "check_in", OWNER), first_kr(ledger, objectives[1]),
                   value=99, confidence=0.5, note="")
    held, first = held_first(ledger, checking_in(ledger, objectives[0], 1))
    conflicting = Outcome(lambda: ledger.save_all(stale))
    fine = [Outcome(checking_in(ledger, oid, 7)) for oid in objectives[2:]]
    wait_for(lambda: held.group.queued() == 3, 30, "three saves queued")

    held.released.set()

    with pytest.raises(IntegrityError):
        conflicting.result()
    assert all(outcome.result().position for outcome in (first, *fine))
    assert held.sizes == [1, 3, 1, 1, 1]
    assert values(ledger, objectives[1]) == [5]
    assert [values(ledger, oid) for oid in objectives[2:]] == [[7], [7]]


def test_two_commands_on_one_objective_never_share_a_transaction(stored_ledger, objectives):
    ledger = stored_ledger
    version = ledger.objective(objectives[1]).version
    held, first = held_first(ledger, checking_in(ledger, objectives[0], 1))
    retried = [Outcome(checking_in(ledger, objectives[1], value)) for value in (10, 20)]
    stated = [Outcome(checking_in(ledger, objectives[2], value, expected_version=version))
              for value in (30, 40)]
    wait_for(lambda: held.group.queued() == 4, 30, "four saves queued")

    held.released.set()

    first.result()
    assert {outcome.result().subject.version for outcome in retried} == {version + 1,
                                                                          version + 2}
    for outcome in stated:
        outcome.thread.join(30)
    assert held.sizes[:3] == [1, 2, 2], "one save of each objective per shared transaction"
    assert sorted(values(ledger, objectives[1])) == [10, 20]
    errors = [outcome.error for outcome in stated]
    assert sum(isinstance(error, ConcurrencyConflictError) for error in errors) == 1
    assert errors.count(None) == 1
