"""The audit page: the decision log and the adjustment audit, filtered, with CSV downloads.
Readable by the roles the API's `/v1/audit` admits (admin, member, auditor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from anyio import to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from projections.decisions import DECISION_ACTIONS
from projections.service import ProjectionService
from web.audit_view import (
    AuditFilters,
    adjustment_records,
    adjustments_csv,
    decision_page,
    decisions_csv,
)
from web.backend import backend_of
from web.integrity_view import integrity_status
from web.rendering import render
from web.security import SignedIn
from web.sessions import Session
from workflows.actors import Role
from workflows.ledger import OKRLedger

router = APIRouter(tags=["web"], include_in_schema=False)
READERS = (Role.ADMIN.value, Role.MEMBER.value, Role.AUDITOR.value)
After = Annotated[int, Query(ge=0, le=2**62)]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: SignedIn, after: After = 0) -> Response:
    """Decisions and adjustments matching the filters, a page at a time."""
    if session.role not in READERS:
        return _refused(request, session)
    views = backend_of(request).views(request)
    filters = AuditFilters.parse(request.query_params)
    entries, next_after = decision_page(views, filters, after)
    adjustments = adjustment_records(views, filters) if not after else []
    query = filters.query()
    backend = backend_of(request)
    status = integrity_status(backend.integrity(request),
                              backend.ledger(request).recorder.max_notification_id() or 0)
    return render(request, "audit.html", {
        "integrity": status if not after else None,
        "filters": filters, "actions": DECISION_ACTIONS, "decisions": entries,
        "adjustments": adjustments,
        "titles": _titles(backend_of(request).ledger(request), entries, adjustments),
        "cycles": [(str(c.id), c.name) for c in backend_of(request).ledger(request).list_cycles()],
        "next_link": f"/audit?{urlencode({**query, 'after': next_after})}" if next_after else "",
        "query": urlencode(query), "after": after}, session,
        status_code=422 if filters.errors else 200)


@router.get("/audit/decisions.csv")
async def decisions_download(request: Request, session: SignedIn) -> Response:
    return await _download(request, session, decisions_csv, "decisions.csv")


@router.get("/audit/adjustments.csv")
async def adjustments_download(request: Request, session: SignedIn) -> Response:
    return await _download(request, session, adjustments_csv, "adjustments.csv")


async def _download(request: Request, session: Session,
                    write: Callable[[ProjectionService, AuditFilters], str], name: str) -> Response:
    if session.role not in READERS:
        return _refused(request, session)
    filters = AuditFilters.parse(request.query_params)
    if filters.errors:
        return render(request, "audit.html", {"filters": filters, "actions": DECISION_ACTIONS,
                                              "decisions": [], "adjustments": [], "cycles": [], "titles": {},
                                              "next_link": "", "query": "", "after": 0},
                      session, status_code=422)
    views: ProjectionService = backend_of(request).views(request)
    text = await to_thread.run_sync(write, views, filters)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _titles(ledger: OKRLedger, entries: list[dict[str, Any]],
            adjustments: list[dict[str, Any]]) -> dict[str, str]:
    """Each objective's title: the decision log holds most; the ledger names the rest."""
    titles = {entry["objective_id"]: entry["objective_title"] for entry in entries}
    for record in adjustments:
        if record["objective_id"] not in titles:
            found = ledger.find_objective(record["objective_id"])
            titles[record["objective_id"]] = found.title if found else record["objective_id"]
    return titles


def _refused(request: Request, session: Session) -> Response:
    return render(request, "objective/refused.html",
                  {"objective_id": "", "why": f"role '{session.role}' may not read the audit",
                   "action": "read the audit"}, session, status_code=403)
