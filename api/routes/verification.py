"""`GET /v1/audit/integrity`: the whole log verified now, for admins and auditors (see
`integrity.audit` for what each fault kind means)."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request

from api.deps import role_in
from api.models.verification import IntegrityReport
from api.routes.integrity import Integrity
from workflows.actors import Actor, Role

router = APIRouter(tags=["integrity"])
Auditor = Annotated[Actor, Depends(role_in(Role.ADMIN, Role.AUDITOR))]


@router.get("/v1/audit/integrity")
async def integrity_report(request: Request, _: Auditor, integrity: Integrity,
                           views: Annotated[bool, Query(description=(
                               "Also rebuild every read model into scratch tables and compare "
                               "it row by row with the live one (a replay of the whole log: "
                               "as slow as `okr projections rebuild`)."))] = False
                           ) -> IntegrityReport:
    """Recompute the log from the stored events; compare with the sealed leaves and every
    signed checkpoint; list each fault with its kind and position (and, with `views=true`,
    each row where a view differs from its rebuild)."""
    report = await to_thread.run_sync(integrity.verify)
    gate = await to_thread.run_sync(integrity.gate.status)
    checked = (await to_thread.run_sync(request.app.state.projections.check_against_rebuild)
               if views else None)
    return IntegrityReport.model_validate({
        **report.as_dict(), **gate, "ok": report.ok and (checked is None or checked.ok),
        "views": checked.as_dict() if checked else None})
