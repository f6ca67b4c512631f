"""Reading every view at once, so tests can compare incremental views with rebuilt ones."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from projections.service import ProjectionService
from tests.builders import draft
from tests.conftest import ADMIN
from workflows.ledger import OKRLedger

FIXED_NOW = datetime(2030, 1, 1, tzinfo=UTC)


def all_views(svc: ProjectionService, ledger: OKRLedger, cycle_ids: list[str],
              first: int = 0) -> dict[str, Any]:
    """Every cycle's tree now and at each log position from `first`, the audit, every series
    and summaries."""
    last = ledger.recorder.max_notification_id() or 0
    views: dict[str, Any] = {"adjustments": svc.adjustments(), "position": svc.position(),
                             "decisions": svc.decisions()}
    for cycle_id in cycle_ids:
        views[f"tree {cycle_id}"] = svc.tree(cycle_id)
        views[f"trees {cycle_id}"] = [svc.tree(cycle_id, at_position=p)
                                      for p in range(first, last + 1)]
        views[f"summary {cycle_id}"] = svc.summary(cycle_id, stale_days=7, now=FIXED_NOW)
        for node in svc.objectives(cycle_id=cycle_id):
            for kr in node["key_results"]:
                views[f"series {kr['id']}"] = svc.check_ins(node["id"], kr["id"])
    return views


def comes_true(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Whether `condition()` comes true within `timeout` seconds, only looking: unlike
    `ProjectionService.wait_for`, which may ask a polling follower to look at the log now."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def flatten(roots: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every node of some trees by id, children included."""
    found: dict[str, dict[str, Any]] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        found[node["id"]] = node
        stack.extend(node["children"])
    return found


def running(ledger: OKRLedger, cycle_id: str, **fields: Any) -> str:
    """An approved objective owned by anyone (an admin drafts, submits and approves it)."""
    objective_id = draft(ledger, cycle_id, **fields)
    ledger.submit(ADMIN, objective_id)
    ledger.approve(ADMIN, objective_id)
    return objective_id
