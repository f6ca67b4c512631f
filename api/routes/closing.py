"""Closing an objective: start closing, the owner's self-assessment, the reviewer's verdict."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import ExpectedVersion, Ledger, Writer
from api.idempotency import IDEMPOTENT
from api.models.objectives import ObjectiveResult
from api.models.review import Finalize, Reason, RequiredComment, SelfAssessment
from api.presenters import objective_result

router = APIRouter(prefix="/v1/objectives/{objective_id}", tags=["closing"])


@router.post("/start-closing", dependencies=[IDEMPOTENT])
def start_closing(objective_id: str, actor: Writer, ledger: Ledger, expected: ExpectedVersion,
                  response: Response, body: Reason | None = None) -> ObjectiveResult:
    """Stop tracking and move to scoring (owner or admin)."""
    result = ledger.start_closing(actor, objective_id, expected,
                                  reason=body.reason if body else "")
    return objective_result(ledger, result, actor, response)


@router.post("/self-assessment", dependencies=[IDEMPOTENT])
def self_assess(objective_id: str, body: SelfAssessment, actor: Writer, ledger: Ledger,
                expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """The owner scores every active key result."""
    scores = [entry.fields() for entry in body.scores]
    result = ledger.self_assess(actor, objective_id, scores, expected, reason=body.reason)
    return objective_result(ledger, result, actor, response)


@router.post("/return-assessment", dependencies=[IDEMPOTENT])
def return_assessment(objective_id: str, body: RequiredComment, actor: Writer, ledger: Ledger,
                      expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """Send a self-assessment back to the owner, saying why."""
    result = ledger.return_assessment(actor, objective_id, body.comment, expected)
    return objective_result(ledger, result, actor, response)


@router.post("/finalize", dependencies=[IDEMPOTENT])
def finalize(objective_id: str, actor: Writer, ledger: Ledger, expected: ExpectedVersion,
             response: Response, body: Finalize | None = None) -> ObjectiveResult:
    """The reviewer confirms the scores, overriding any with a reason; the objective closes."""
    overrides = [entry.fields() for entry in body.overrides] if body else []
    result = ledger.finalize(actor, objective_id, overrides, expected,
                             comment=body.comment if body else "")
    return objective_result(ledger, result, actor, response)
