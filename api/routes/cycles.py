"""Cycles: opened, started and closed by admins; readable by everyone with a token."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.deps import Admin, ExpectedVersion, Ledger, Reader
from api.etags import tagged_read
from api.idempotency import IDEMPOTENT
from api.models.cycles import CycleCreate, CyclePublic, CycleResult
from api.presenters import cycle_public, cycle_result

router = APIRouter(prefix="/v1/cycles", tags=["cycles"])


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[IDEMPOTENT])
def open_cycle(body: CycleCreate, actor: Admin, ledger: Ledger, response: Response) -> CycleResult:
    """Open a cycle (admin)."""
    result = ledger.open_cycle(actor, name=body.name, starts_on=body.starts_on.isoformat(),
                               ends_on=body.ends_on.isoformat(),
                               scoring_policy=body.scoring_policy.value)
    response.headers["Location"] = f"/v1/cycles/{result.created_id}"
    return cycle_result(result, response)


@router.post("/{cycle_id}/start", dependencies=[IDEMPOTENT])
def start_cycle(cycle_id: str, actor: Admin, ledger: Ledger, expected: ExpectedVersion,
                response: Response) -> CycleResult:
    """Start a planned cycle (admin)."""
    return cycle_result(ledger.start_cycle(actor, cycle_id, expected_version=expected), response)


@router.post("/{cycle_id}/close", dependencies=[IDEMPOTENT])
def close_cycle(cycle_id: str, actor: Admin, ledger: Ledger, expected: ExpectedVersion,
                response: Response) -> CycleResult:
    """Close an active cycle (admin)."""
    return cycle_result(ledger.close_cycle(actor, cycle_id, expected_version=expected), response)


@router.get("")
def list_cycles(_: Reader, ledger: Ledger) -> list[CyclePublic]:
    """Every cycle, in the order they were opened."""
    return [cycle_public(cycle) for cycle in ledger.list_cycles()]


@router.get("/{cycle_id}")
def get_cycle(cycle_id: str, _: Reader, ledger: Ledger, request: Request,
              response: Response) -> CyclePublic:
    """One cycle."""
    cycle = ledger.cycle(cycle_id)
    tagged_read(request, response, cycle)
    return cycle_public(cycle)
