"""Mid-cycle adjustments: proposed with a reason, then approved or rejected as a whole."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.deps import ExpectedVersion, Ledger, Reader, Writer
from api.idempotency import IDEMPOTENT
from api.models.objectives import ObjectiveResult
from api.models.review import AdjustmentCreate, AdjustmentCreated, AdjustmentPublic, Comment
from api.presenters import adjustment_public, objective_result

router = APIRouter(prefix="/v1/objectives/{objective_id}/adjustments", tags=["adjustments"])


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[IDEMPOTENT])
def propose_adjustment(objective_id: str, body: AdjustmentCreate, actor: Writer, ledger: Ledger,
                       expected: ExpectedVersion, response: Response) -> AdjustmentCreated:
    """Propose changes to an active objective, with the reason for them."""
    changes = [change.fields() for change in body.changes]
    result = ledger.propose_adjustment(actor, objective_id, body.reason, changes, expected)
    response.headers["Location"] = f"/v1/objectives/{objective_id}/adjustments/{result.created_id}"
    return AdjustmentCreated(**adjustment_public(result.subject, result.created_id),
                             position=result.position)


@router.get("/{adjustment_id}")
def get_adjustment(objective_id: str, adjustment_id: str, _: Reader,
                   ledger: Ledger) -> AdjustmentPublic:
    """One adjustment: its reason, changes before and after, and the decision if taken."""
    return AdjustmentPublic(**adjustment_public(ledger.objective(objective_id), adjustment_id))


@router.post("/{adjustment_id}/approve", dependencies=[IDEMPOTENT])
def approve_adjustment(objective_id: str, adjustment_id: str, actor: Writer, ledger: Ledger,
                       expected: ExpectedVersion, response: Response,
                       body: Comment | None = None) -> ObjectiveResult:
    """Apply a pending adjustment (reviewer or admin)."""
    result = ledger.approve_adjustment(actor, objective_id, adjustment_id,
                                       body.comment if body else "", expected)
    return objective_result(ledger, result, actor, response)


@router.post("/{adjustment_id}/reject", dependencies=[IDEMPOTENT])
def reject_adjustment(objective_id: str, adjustment_id: str, actor: Writer, ledger: Ledger,
                      expected: ExpectedVersion, response: Response,
                      body: Comment | None = None) -> ObjectiveResult:
    """Turn down a pending adjustment (reviewer or admin); the objective stays as it was."""
    result = ledger.reject_adjustment(actor, objective_id, adjustment_id,
                                      body.comment if body else "", expected)
    return objective_result(ledger, result, actor, response)
