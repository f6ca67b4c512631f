"""`GET /v1/audit/integrity`: the whole log verified now, for admins and auditors (see
`integrity.audit` for what each fault kind means)."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends

from api.deps import Ledger, role_in
from api.models.verification import IntegrityReport
from api.routes.integrity import Integrity
from integrity.verification import verify_store
from workflows.actors import Actor, Role

router = APIRouter(tags=["integrity"])
Auditor = Annotated[Actor, Depends(role_in(Role.ADMIN, Role.AUDITOR))]


@router.get("/v1/audit/integrity")
async def integrity_report(_: Auditor, ledger: Ledger, integrity: Integrity) -> IntegrityReport:
    """Recompute the log from the stored events; compare with the sealed leaves and every
    signed checkpoint; list each fault with its kind and position."""
    report = await to_thread.run_sync(lambda: verify_store(
        ledger.recorder, ledger.moments, integrity.tables, integrity.signer.vkey()))
    return IntegrityReport.model_validate(report.as_dict())
