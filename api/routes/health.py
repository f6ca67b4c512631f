"""Is the server up, is it ready, its metrics, and the views' status: what probes, Prometheus
and admins ask.

`/livez` and `/healthz` (its old name) say only that the process answers; `/readyz` says
whether it can serve, part by part (`api.readiness`), and needs no token either, since probes
send none. `/metrics` is admin-only unless `OKR_METRICS_ACCESS=open`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import Admin, Views, bearer, get_actor, require_role
from api.models.status import Health, Readiness, ViewsStatus
from api.observability import current_readiness
from api.presenters import readiness_public
from workflows.actors import Role
from workflows.operations_options import MetricsAccess

router = APIRouter(tags=["health"])


@router.get("/livez")
async def livez() -> Health:
    """Whether the process answers; needs no token."""
    return Health(status="ok")


@router.get("/healthz")
async def healthz() -> Health:
    """The same as `/livez` (its earlier name); needs no token. On the event loop: a `def`
    route would cost a hop to a worker thread and back for nothing."""
    return Health(status="ok")


@router.get("/readyz", responses={503: {"model": Readiness,
                                        "description": "Not ready: `problems` says why."}})
def readyz(request: Request, response: Response) -> Readiness:
    """Whether this server can serve: the store reachable, every view within the allowed lag
    and neither failing nor stopped on an event; the relay (and sealer) reported too. 503
    when not ready; needs no token."""
    assessed = current_readiness(request.app)
    if not assessed.ready:
        response.status_code = 503
    return readiness_public(assessed)


@router.get("/v1/admin/status", tags=["admin"])
def admin_status(_: Admin, views: Views) -> ViewsStatus:
    """Each view's position and lag, whether the views follow or stopped, and the events
    they stopped on (dead letters); admins only."""
    return ViewsStatus(**views.status())


async def metrics_reader(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """Anyone when the metrics are open; otherwise an admin's token."""
    if request.app.state.settings.metrics_access is not MetricsAccess.OPEN:
        require_role(await get_actor(request, credentials), (Role.ADMIN,))


@router.get("/metrics", dependencies=[Depends(metrics_reader)], response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}},
                             "description": "Prometheus' text format."}})
def metrics(request: Request) -> Response:
    """This process's metrics in Prometheus' text format (admin-only unless configured open)."""
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
