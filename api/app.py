"""The composition root: `create_app(settings)` wires the ledger, tokens and routes.

Nothing is opened at import time; the lifespan opens the ledger (and the projections) when the
server starts and closes them when it stops. `okr serve --workers N` runs N processes, each
calling `create_app()` with the settings the command passed down in its environment; the
background parts run in one of them (or in none: `OKR_BACKGROUND=false`, `okr worker`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from api.authentication import Authenticator
from api.background import BackgroundWork, Part, background_parts, relay_problem
from api.body_limits import BoundedApp
from api.demo import load_demo
from api.docs_pages import install_docs
from api.head import HeadAsGet
from api.idempotency import purge_forever
from api.observability import install_observability, observing
from api.openapi_contract import install_contract, operation_id
from api.problems import install_problem_handlers
from api.routes import (
    adjustments,
    audit,
    closing,
    cycle_views,
    cycles,
    events,
    health,
    history,
    integrity,
    key_results,
    objectives,
    people,
    review,
    verification,
)
from api.tokens import load_secret
from api.waiting import PositionWaiters
from api.web_backend import BACKEND
from integrity.service import IntegrityService
from projections.service import ProjectionService
from web.mounting import install_web
from workflows.ledger import OKRLedger
from workflows.settings import Settings, load_settings
from workflows.startup import opened

ROUTERS = (health, cycles, cycle_views, objectives, key_results, review, adjustments, closing,
           history, audit, integrity, verification, events, people)
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""FastAPI's own OpenTelemetry hooks, off: the server reports through its Prometheus metrics and
request ids (`api.observability`), and left on they look up OpenTelemetry's global providers
on every request (~10 µs here) only to find none configured."""
DESCRIPTION = """An event-sourced OKR engine: every change is an event; the workflow enforces
set -> review -> close. Authorise with `Authorization: Bearer <token>` (`okr token issue`).
Errors are `application/problem+json`. Send `Idempotency-Key` on commands to retry safely, and
`If-Match` with an objective's ETag to refuse stale writes."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new API over the event store that `settings` names (by default, the environment's)."""
    settings = settings or load_settings()
    app = BoundedApp(title="OKR Ledger", version="1.0.0", description=DESCRIPTION,
                     lifespan=_lifespan, max_body_size=settings.max_body_bytes,
                     docs_url=None, redoc_url=None,
                     generate_unique_id_function=operation_id, telemetry=NO_TELEMETRY)
    app.state.settings = settings
    install_problem_handlers(app)
    app.add_middleware(HeadAsGet)
    install_observability(app, settings)
    for module in ROUTERS:
        app.include_router(module.router)
    app.state.api_routes = [route for module in ROUTERS for route in module.router.routes]
    install_docs(app)
    install_web(app, BACKEND)
    install_contract(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    env = settings.persistence_env()
    ledger = opened(lambda: OKRLedger(env, rules=settings.rules()), "ledger")
    try:
        app.state.ledger = ledger
        app.state.secret = load_secret(settings)
        app.state.authenticator = Authenticator(app.state.secret, settings)
        if settings.demo:
            load_demo(ledger)
        with opened(lambda: ProjectionService(
                env, ledger=ledger, give_up_after=settings.view_failure_retries),
                "views") as views, opened(lambda: IntegrityService(
                    settings, ledger.recorder, env), "integrity tables") as integrity:
            # made before `observing`, so `/readyz` can ask the relay whether it fails
            parts = background_parts(settings, views, integrity) if settings.background else {}
            with observing(app, settings, views, integrity, relay_problem(parts)):
                app.state.projections, app.state.integrity = views, integrity
                stop_waking = ledger.on_saved(integrity.background.notify)
                ledger.refuse_writes_when(integrity.gate.refusal)
                integrity.gate.on_alarm(ledger.forget_cached)
                app.state.waiters = PositionWaiters(views, settings.max_waiting_reads)
                purging = asyncio.create_task(purge_forever(ledger.idempotency, settings))
                try:
                    with running_in_background(settings, parts):
                        yield
                finally:
                    purging.cancel()
                    stop_waking()
    finally:
        ledger.close()


@contextmanager
def running_in_background(settings: Settings, parts: dict[str, Part]) -> Iterator[None]:
    """The background parts, run here whenever this process holds their lease (unless
    `OKR_BACKGROUND` leaves them to `okr worker`)."""
    if not settings.background:
        yield
        return
    work = BackgroundWork(settings, parts)
    work.start()
    try:
        yield
    finally:
        work.stop()
