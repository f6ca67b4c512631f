"""Liveness and readiness (no token), and the views' status for admins."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from api.deps import Admin, Views
from api.models.status import Readiness, ViewReadiness, ViewsStatus
from projections.service import ProjectionService

router = APIRouter(tags=["health"])


def _problems(status: dict[str, Any]) -> list[str]:
    """Dead letters are read from the store, so every process reports them, whichever one
    follows the log (`idle` here: another process holds the background lease)."""
    return [f"the views stopped at position {letter['position']} after "
            f"{letter['attempts']} attempts: {letter['error']}"
            for letter in status["dead_letters"]]


def _readiness(views: ProjectionService) -> Readiness:
    try:
        status = views.status()
    except Exception as error:  # noqa: BLE001 - an unreachable store is the answer, not a 500
        return Readiness(status="not ready", store=f"unreachable: {type(error).__name__}",
                         views={}, problems=[f"the event store is unreachable: {error}"])
    problems = _problems(status)
    return Readiness(status="not ready" if problems else "ready", store="reachable",
                     views={name: ViewReadiness(**view, state=status["state"])
                            for name, view in status["views"].items()},
                     problems=problems)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Whether the server is up; needs no token."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"model": Readiness,
                                        "description": "Not ready: `problems` says why."}})
async def readyz(request: Request, response: Response) -> Readiness:
    """Whether the server can serve: its store answers and its views follow the log; needs no
    token."""
    ready = await to_thread.run_sync(_readiness, request.app.state.projections)
    if ready.problems:
        response.status_code = 503
    return ready


@router.get("/v1/admin/status", tags=["admin"])
def admin_status(_: Admin, views: Views) -> ViewsStatus:
    """Each view's position and lag, whether the views follow or stopped, and the events
    they stopped on (dead letters); admins only."""
    return ViewsStatus(**views.status())
