"""`GET /v1/audit/integrity`: the whole log verified now, for admins and auditors (see
`integrity.audit` for what each fault kind means)."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends

from api.deps import role_in
from api.models.verification import IntegrityReport
from api.routes.integrity import Integrity
from workflows.actors import Actor, Role

router = APIRouter(tags=["integrity"])
Auditor = Annotated[Actor, Depends(role_in(Role.ADMIN, Role.AUDITOR))]


@router.get("/v1/audit/integrity")
async def integrity_report(_: Auditor, integrity: Integrity) -> IntegrityReport:
    """Recompute the log from the stored events; compare with the sealed leaves and every
    signed checkpoint; list each fault with its kind and position."""
    report = await to_thread.run_sync(integrity.verify)
    gate = await to_thread.run_sync(integrity.gate.status)
    return IntegrityReport.model_validate({**report.as_dict(), **gate})
