"""The objective page: GET shows it (and, for htmx, the version slider's and the comparison's
fragments); POST runs one of its forms as the ledger's command.

A form that wrote redirects back to the page (post/redirect/get); one with faults shows the
page again with each fault by its field (422); one from a page gone stale gets the conflict
page (409) with a link to reload; one from someone the workflow does not name gets 403.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.errors import NotFoundError, PermissionDeniedError
from web.action_forms import submit_form
from web.backend import backend_of
from web.objective_context import (
    compare_context,
    page_context,
    timeline_context,
    version_context,
)
from web.page_filters import FILTERS, action_name
from web.rendering import TEMPLATES, render
from web.security import CsrfChecked, SignedIn
from web.sessions import Session
from workflows.ledger import OKRLedger

router = APIRouter(tags=["web"], include_in_schema=False)
TEMPLATES.env.filters.update(FILTERS)
ObjectiveId = Annotated[str, Path(max_length=100)]
DONE = {"check_in": "Checked in.", "approve": "Approved: the objective is active.",
        "request_changes": "Sent back to the owner with your comment.",
        "approve_adjustment": "Adjustment approved.", "reject_adjustment": "Adjustment rejected.",
        "finalize": "Finalized: the objective is closed.",
        "return_assessment": "Returned for another self-assessment.",
        "self_assess": "Self-assessment sent to the reviewer.", "submit": "Sent for review.",
        "propose_adjustment": "Adjustment proposed: the reviewer decides on it.",
        "correct_check_in": "Check-in corrected: the original stays in the history.",
        "hand_over_review": "Review handed over.",
        "start_closing": "Closing started: self-assess next.", "cancel": "Cancelled."}


@router.get("/objectives/{objective_id}", response_class=HTMLResponse)
def objective_page(objective_id: ObjectiveId, request: Request, session: SignedIn) -> Response:
    """The objective now, its charts, timeline and versions, and the person's actions."""
    backend = backend_of(request)
    try:
        context = page_context(backend.ledger(request), backend.views(request), session.actor,
                               objective_id, request.query_params)
    except NotFoundError:
        return _not_found(request, session, objective_id)
    context["done"] = DONE.get(request.query_params.get("done", ""), "")
    return render(request, "objective.html", context, session)


@router.get("/objectives/{objective_id}/versions", response_class=HTMLResponse)
def version_fragment(objective_id: ObjectiveId, request: Request, session: SignedIn) -> Response:
    """The objective after one command, for the version slider."""
    build = partial(version_context, views=backend_of(request).views(request))
    return _fragment(request, session, objective_id, build, "objective/_version.html")


@router.get("/objectives/{objective_id}/timeline", response_class=HTMLResponse)
def timeline_fragment(objective_id: ObjectiveId, request: Request, session: SignedIn) -> Response:
    """The timeline: loaded after the page (it describes every command against the objective
    before and after it), or as a page of its own without JavaScript."""
    return _fragment(request, session, objective_id, timeline_context,
                     "objective/_timeline_entries.html", "objective/timeline.html")


@router.get("/objectives/{objective_id}/diff", response_class=HTMLResponse)
def diff_fragment(objective_id: ObjectiveId, request: Request, session: SignedIn) -> Response:
    """What changed between two versions, and which commands changed it, for the comparison
    form: loaded after the page (it reads every command between the two), or as a page of its
    own without JavaScript."""
    return _fragment(request, session, objective_id, compare_context,
                     "objective/_diff.html", "objective/diff.html")


def _fragment(request: Request, session: Session, objective_id: str,
              build: Callable[[OKRLedger, str, Mapping[str, str]], dict[str, Any]],
              fragment: str, page: str = "") -> Response:
    """One part of the objective page, for htmx; `page` (if any) is the same part as a page of
    its own, for a browser without JavaScript."""
    try:
        context = build(backend_of(request).ledger(request), objective_id, request.query_params)
    except NotFoundError:
        return _not_found(request, session, objective_id)
    template = fragment if request.headers.get("HX-Request") or not page else page
    return render(request, template, context, session)


@router.post("/objectives/{objective_id}/actions/{action}", response_class=HTMLResponse)
async def take_action(objective_id: ObjectiveId, action: Annotated[str, Path(max_length=40)],
                      request: Request, session: CsrfChecked) -> Response:
    """Run one of the page's forms with the version it showed."""
    form: dict[str, str] = {}
    for name, value in (await request.form()).multi_items():
        if isinstance(value, str):  # a multiple select's values, joined: ids have no commas
            form[name] = f"{form[name]},{value}" if name in form else value
    return await to_thread.run_sync(_acted, request, session, objective_id, action, form)


def _acted(request: Request, session: Session, objective_id: str, action: str,
           form: dict[str, str]) -> Response:
    backend = backend_of(request)
    ledger = backend.ledger(request)
    try:
        outcome = submit_form(ledger, session.actor, objective_id, action, form)
    except NotFoundError:
        return _not_found(request, session, objective_id)
    except PermissionDeniedError as error:
        return render(request, "objective/refused.html",
                      {"objective_id": objective_id, "why": str(error),
                       "action": action_name(action)}, session, status_code=403)
    if outcome.written:
        return RedirectResponse(f"/objectives/{objective_id}?done={action}", status_code=303)
    if outcome.conflict:
        return render(request, "objective/conflict.html",
                      {"objective_id": objective_id, "message": outcome.conflict,
                       "shown": form.get("version", ""), "current": outcome.version},
                      session, status_code=409)
    context = page_context(ledger, backend.views(request), session.actor, objective_id,
                           request.query_params, errors=outcome.errors, values=form,
                           failed_action=action)
    context["done"] = ""
    return render(request, "objective.html", context, session, status_code=422)


def _not_found(request: Request, session: Session, objective_id: str) -> Response:
    return render(request, "objective/missing.html", {"objective_id": objective_id}, session,
                  status_code=404)
