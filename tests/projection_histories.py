"""Random histories of commands, for checking views against the aggregates and a rebuild."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from domain.errors import LedgerError
from domain.scoring import rounded_progress
from projections.service import ProjectionService
from tests.builders import metric_kr, open_cycle
from tests.conftest import ADMIN
from tests.projection_helpers import all_views, flatten
from workflows.ledger import OKRLedger

OWNERS = ("ann", "bo", "cy", "di", "ed", "flo")
ADJUSTMENTS = ("retarget", "add", "remove", "edit", "realign")
GRADES = (0.0, 0.3, 0.7, 1.0)
pick = st.integers(min_value=0, max_value=20)

COMMANDS = st.lists(st.one_of(
    st.tuples(st.just("draft"), st.sampled_from(OWNERS), st.none() | pick, st.booleans(),
              st.sampled_from((True, True, False))),
    st.tuples(st.just("approve"), pick),
    st.tuples(st.just("check_in"), pick, st.integers(min_value=0, max_value=150)),
    st.tuples(st.just("adjust"), pick, st.sampled_from(ADJUSTMENTS), pick),
    st.tuples(st.just("decide"), pick, st.booleans()),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("close"), pick, st.sampled_from(GRADES)),
    st.tuples(st.just("catch_up")),
    st.tuples(st.just("step")),
), min_size=8, max_size=40)


class History:
    def __init__(self, ledger: OKRLedger, svc: ProjectionService) -> None:
        self.ledger, self.svc = ledger, svc
        self.first = (ledger.recorder.max_notification_id() or 0) + 1
        self.cycle_id = open_cycle(ledger, name=f"cycle-{self.first}")
        self.objectives: list[str] = []
        self.expected: dict[int, dict[str, tuple[Any, ...]]] = {}

    def run(self, commands: list[tuple[Any, ...]]) -> None:
        for name, *args in commands:
            try:
                position = getattr(self, name)(*args)
            except LedgerError:
                continue
            if position is not None:
                self.expected[position] = self.facts()

    def facts(self) -> dict[str, tuple[Any, ...]]:
        """What the tree at this position must show, read from the aggregates themselves (with
        progress rounded as every read rounds it: 4 decimals, half-up)."""
        found = {}
        for objective_id in self.objectives:
            o = self.ledger.objective(objective_id)
            found[objective_id] = (o.state, rounded_progress(o.progress), o.score, o.parent_id,
                                   o.title, len(o.key_results))
        return found

    def shown(self, position: int) -> dict[str, tuple[Any, ...]]:
        nodes = flatten(self.svc.tree(self.cycle_id, at_position=position))
        return {i: (n["state"], round(n["progress"], 9), n["score"], n["parent_id"], n["title"],
                    len(n["key_results"])) for i, n in nodes.items()}

    def views(self) -> dict[str, Any]:
        views = all_views(self.svc, self.ledger, [self.cycle_id], first=self.first)
        views["adjustments"] = self.svc.adjustments(cycle_id=self.cycle_id)
        return views

    def _objective(self, index: int) -> str:
        if not self.objectives:
            raise LedgerError("no objective yet")
        return self.objectives[index % len(self.objectives)]

    def draft(self, owner: str, parent: int | None, two_krs: bool, approve: bool) -> int:
        krs = [metric_kr(challenge="stretch")] + ([metric_kr(title="b")] if two_krs else [])
        result = self.ledger.draft_objective(
            ADMIN, cycle_id=self.cycle_id, title=f"O{len(self.objectives)}", owner=owner,
            reviewer="rita", level="team", key_results=krs,
            parent_id=None if parent is None or not self.objectives else self._objective(parent))
        self.objectives.append(result.created_id)
        return self.approve(-1) if approve else result.position

    def approve(self, index: int) -> int:
        self.ledger.submit(ADMIN, self._objective(index))
        return self.ledger.approve(ADMIN, self._objective(index)).position

    def check_in(self, index: int, value: int) -> int:
        objective = self.ledger.objective(self._objective(index))
        kr = objective.active_key_results[0].id
        return self.ledger.check_in(ADMIN, objective.id, kr, value=value, confidence=0.5).position

    def adjust(self, index: int, kind: str, other: int) -> int:
        objective = self.ledger.objective(self._objective(index))
        krs = objective.active_key_results
        change = {
            "retarget": {"op": "retarget_key_result", "key_result_id": krs[0].id, "target": 200},
            "add": {"op": "add_key_result", **metric_kr(title="added")},
            "remove": {"op": "remove_key_result", "key_result_id": krs[-1].id},
            "edit": {"op": "edit_objective", "title": f"{objective.title}*"},
            "realign": {"op": "realign", "parent_id": self._objective(other)},
        }[kind]
        return self.ledger.propose_adjustment(ADMIN, objective.id, "because", [change]).position

    def decide(self, index: int, approve: bool) -> int:
        objective = self.ledger.objective(self._objective(index))
        if objective.pending_adjustment_id is None:
            raise LedgerError("nothing pending")
        decide = self.ledger.approve_adjustment if approve else self.ledger.reject_adjustment
        return decide(ADMIN, objective.id, objective.pending_adjustment_id, "ok").position

    def cancel(self, index: int) -> int:
        return self.ledger.cancel(ADMIN, self._objective(index), "no longer needed").position

    def close(self, index: int, grade: float) -> int:
        objective = self.ledger.objective(self._objective(index))
        self.ledger.start_closing(ADMIN, objective.id)
        self.ledger.self_assess(ADMIN, objective.id, [
            {"key_result_id": kr.id, "score": grade} for kr in objective.active_key_results])
        return self.ledger.finalize(ADMIN, objective.id).position

    def catch_up(self) -> None:
        self.svc.catch_up()

    def step(self) -> None:
        self.svc.follower.step()


def check_history(ledger: OKRLedger, svc: ProjectionService, commands: list[Any]) -> None:
    """The views match the aggregates at every command, and equal a rebuild from the log."""
    history = History(ledger, svc)
    history.run(commands)
    svc.catch_up()
    for position, facts in history.expected.items():
        assert history.shown(position) == facts, f"tree at position {position}"
    incremental = history.views()
    last = ledger.recorder.max_notification_id()
    assert svc.tree(history.cycle_id) == svc.tree(history.cycle_id, at_position=last)
    svc.rebuild()
    assert history.views() == incremental
