"""Key results of a draft, and check-ins against them once the objective is active."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Query, Response, status

from api.deps import ExpectedVersion, Ledger, Reader, Views, Writer
from api.idempotency import IDEMPOTENT
from api.models.key_results import (
    CheckInCorrect,
    CheckInCreate,
    CheckInPublic,
    CheckInsPage,
    KeyResultAdd,
    KeyResultCreated,
    KeyResultEdit,
    KeyResultPublic,
)
from api.models.objectives import ObjectiveResult
from api.pagination import Paging
from api.presenters import key_result_created, key_result_public, objective_result
from domain.errors import NotFoundError

router = APIRouter(prefix="/v1/objectives/{objective_id}", tags=["key results"])


@router.post("/key-results", status_code=status.HTTP_201_CREATED, dependencies=[IDEMPOTENT])
def add_key_result(objective_id: str, body: KeyResultAdd, actor: Writer, ledger: Ledger,
                   expected: ExpectedVersion, response: Response) -> KeyResultCreated:
    """Add a key result to a draft (owner or admin)."""
    fields = body.fields()
    reason = fields.pop("reason", "")
    result = ledger.add_key_result(actor, objective_id, fields, expected_version=expected,
                                   reason=reason)
    response.headers["Location"] = (f"/v1/objectives/{objective_id}/key-results/"
                                    f"{result.created_id}")
    return key_result_created(result)


@router.patch("/key-results/{key_result_id}", dependencies=[IDEMPOTENT])
def edit_key_result(objective_id: str, key_result_id: str, body: KeyResultEdit, actor: Writer,
                    ledger: Ledger, expected: ExpectedVersion,
                    response: Response) -> ObjectiveResult:
    """Edit a draft's key result (owner or admin)."""
    fields = body.fields()
    reason = fields.pop("reason", "")
    result = ledger.edit_key_result(actor, objective_id, key_result_id, fields,
                                    expected_version=expected, reason=reason)
    return objective_result(ledger, result, actor, response)


@router.delete("/key-results/{key_result_id}", dependencies=[IDEMPOTENT])
def remove_key_result(objective_id: str, key_result_id: str, actor: Writer, ledger: Ledger,
                      expected: ExpectedVersion, response: Response,
                      reason: Annotated[str, Query(max_length=10_000)] = "") -> ObjectiveResult:
    """Remove a draft's key result (owner or admin); it stays in the history."""
    result = ledger.remove_key_result(actor, objective_id, key_result_id, reason,
                                      expected_version=expected)
    return objective_result(ledger, result, actor, response)


@router.post("/check-ins", dependencies=[IDEMPOTENT])
async def check_in(objective_id: str, body: CheckInCreate, actor: Writer, ledger: Ledger,
                   expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """Record progress on a key result: a value (metric, threshold) or done (milestone)."""
    # The command people send most often, so `async` with its work in one explicit thread hop:
    # as a `def` route FastAPI would hop to a worker thread for the command and again to
    # validate the answer, each hop waiting for the GIL under load (benchmark row 2).
    def record() -> ObjectiveResult:
        result = ledger.check_in(actor, objective_id, body.key_result_id, value=body.value,
                                 done=body.done, confidence=body.confidence, note=body.note,
                                 expected_version=expected)
        return objective_result(ledger, result, actor, response)
    return await to_thread.run_sync(record)


@router.post("/check-ins/{check_in_id}/correct", dependencies=[IDEMPOTENT])
def correct_check_in(objective_id: str, check_in_id: str, body: CheckInCorrect, actor: Writer,
                     ledger: Ledger, expected: ExpectedVersion,
                     response: Response) -> ObjectiveResult:
    """Correct a mistaken check-in (owner or admin), saying why: progress, the series and
    charts follow the corrected value; the original stays in the history, marked corrected."""
    result = ledger.correct_check_in(actor, objective_id, check_in_id, reason=body.reason,
                                     value=body.value, done=body.done,
                                     confidence=body.confidence, note=body.note,
                                     expected_version=expected)
    return objective_result(ledger, result, actor, response)


@router.get("/key-results/{key_result_id}")
def get_key_result(objective_id: str, key_result_id: str, _: Reader,
                   ledger: Ledger) -> KeyResultPublic:
    """One key result, as its objective holds it now."""
    return key_result_public(ledger.objective(objective_id), key_result_id)


@router.get("/key-results/{key_result_id}/check-ins")
def check_ins(objective_id: str, key_result_id: str, _: Reader, ledger: Ledger,
              views: Views, paging: Paging) -> CheckInsPage:
    """Every check-in of a key result, oldest first, with its progress then."""
    if key_result_id not in ledger.objective(objective_id).key_results:
        raise NotFoundError("key result", key_result_id)
    found = views.check_ins_page(objective_id, key_result_id, after=paging.after_position(),
                                 limit=paging.limit)
    return CheckInsPage(**paging.respond(found, CheckInPublic))
