"""Short ways to bring an objective to a given point in its life, for tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import ADMIN, OWNER, REVIEWER
from tests.people import register_people
from workflows.ledger import OKRLedger
from workflows.ledger_base import CommandResult


def metric_kr(**overrides: Any) -> dict[str, Any]:
    return {"title": "Weekly active users", "kind": "metric", "start": 0, "target": 100,
            "unit": "users", **overrides}


def created(result: CommandResult[Any]) -> str:
    """The id of what a creating command made."""
    assert result.created_id is not None, "the command created nothing"
    return result.created_id


def open_cycle(ledger: OKRLedger, name: str = "2026-Q4", starts_on: str = "2026-10-01",
               ends_on: str = "2026-12-31", **kwargs: Any) -> str:
    """A started cycle, in a ledger whose directory knows the tests' people (registering them
    writes nothing where they are known already)."""
    register_people(ledger)
    cycle_id = created(ledger.open_cycle(ADMIN, name=name, starts_on=starts_on, ends_on=ends_on,
                                         **kwargs))
    ledger.start_cycle(ADMIN, cycle_id)
    return cycle_id


def draft(ledger: OKRLedger, cycle_id: str, *, key_results: list[dict[str, Any]] | None = None,
          **fields: Any) -> str:
    fields = {"title": "Delight customers", "reviewer": REVIEWER.name, "level": "team", **fields}
    krs = [metric_kr()] if key_results is None else key_results
    return created(ledger.draft_objective(OWNER if "owner" not in fields else ADMIN,
                                          cycle_id=cycle_id, key_results=krs, **fields))


def active(ledger: OKRLedger, cycle_id: str, **kwargs: Any) -> str:
    objective_id = draft(ledger, cycle_id, **kwargs)
    ledger.submit(OWNER, objective_id)
    ledger.approve(REVIEWER, objective_id)
    return objective_id


def first_kr(ledger: OKRLedger, objective_id: str) -> str:
    return next(iter(ledger.objective(objective_id).key_results))
