"""Home: my objectives in the current cycle, and what waits for me as reviewer."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from web.backend import backend_of
from web.home_view import current_cycle, my_objectives, to_review
from web.rendering import render
from web.security import SignedIn

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, session: SignedIn) -> HTMLResponse:
    backend = backend_of(request)
    ledger, views = backend.ledger(request), backend.views(request)

    def read() -> dict[str, object]:
        cycle = current_cycle(ledger)
        mine = my_objectives(views, str(cycle.id), session.subject) if cycle else []
        return {"cycle": cycle, "mine": mine, "to_review": to_review(views, session.subject)}

    return render(request, "home.html", await run_in_threadpool(read), session)
