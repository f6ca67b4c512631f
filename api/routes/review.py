"""The review loop: submit, approve or request changes, cancel, carry over."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.deps import Admin, ExpectedVersion, Ledger, Writer
from api.idempotency import IDEMPOTENT
from api.models.objectives import ObjectiveResult
from api.models.review import (
    CancelBody,
    CarryOverBody,
    Comment,
    HandOverBody,
    Reason,
    ReassignBody,
    RequiredComment,
)
from api.presenters import objective_result
from workflows.ledger_base import CommandResult

router = APIRouter(prefix="/v1/objectives/{objective_id}", tags=["review"])


@router.post("/submit", dependencies=[IDEMPOTENT])
def submit(objective_id: str, actor: Writer, ledger: Ledger, expected: ExpectedVersion,
           response: Response, body: Reason | None = None) -> ObjectiveResult:
    """Send a draft for review; the method's limits are checked here."""
    result = ledger.submit(actor, objective_id, expected, reason=body.reason if body else "")
    return objective_result(ledger, result, actor, response)


@router.post("/approve", dependencies=[IDEMPOTENT])
def approve(objective_id: str, actor: Writer, ledger: Ledger, expected: ExpectedVersion,
            response: Response, body: Comment | None = None) -> ObjectiveResult:
    """Approve an objective in review (reviewer or admin)."""
    result = ledger.approve(actor, objective_id, body.comment if body else "", expected)
    return objective_result(ledger, result, actor, response)


@router.post("/request-changes", dependencies=[IDEMPOTENT])
def request_changes(objective_id: str, body: RequiredComment, actor: Writer, ledger: Ledger,
                    expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """Send an objective in review back to its owner, saying what to change."""
    result = ledger.request_changes(actor, objective_id, body.comment, expected)
    return objective_result(ledger, result, actor, response)


@router.post("/hand-over", dependencies=[IDEMPOTENT])
def hand_over_review(objective_id: str, body: HandOverBody, actor: Writer, ledger: Ledger,
                     expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """The reviewer (or an admin) hands the review to someone else, saying why."""
    result = ledger.hand_over_review(actor, objective_id, body.reviewer, body.reason, expected)
    return objective_result(ledger, result, actor, response)


@router.post("/reassign", dependencies=[IDEMPOTENT])
def reassign_owner(objective_id: str, body: ReassignBody, actor: Admin, ledger: Ledger,
                   expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """An admin gives an open objective to a new owner (its owner left), saying why."""
    result = ledger.reassign_owner(actor, objective_id, body.owner, body.reason, expected)
    return objective_result(ledger, result, actor, response)


@router.post("/cancel", dependencies=[IDEMPOTENT])
def cancel(objective_id: str, body: CancelBody, actor: Writer, ledger: Ledger,
           expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """Cancel an objective before it closes, with a reason."""
    result = ledger.cancel(actor, objective_id, body.reason, expected)
    return objective_result(ledger, result, actor, response)


@router.post("/carry-over", status_code=status.HTTP_201_CREATED, dependencies=[IDEMPOTENT])
def carry_over(objective_id: str, body: CarryOverBody, actor: Writer, ledger: Ledger,
               response: Response) -> ObjectiveResult:
    """Copy a closed or cancelled objective into a later cycle as a new draft."""
    result = ledger.carry_over(actor, objective_id, body.cycle_id, reason=body.reason)
    draft = ledger.objective(result.created_id)
    response.headers["Location"] = f"/v1/objectives/{result.created_id}"
    return objective_result(ledger, CommandResult(draft, result.position, result.created_id),
                            actor, response)
