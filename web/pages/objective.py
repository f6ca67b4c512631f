"""The objective page: GET shows it (and, for htmx, the version slider's and the comparison's
fragments); POST runs one of its forms as the ledger's command.

A form that wrote redirects back to the page (post/redirect/get); one with faults shows the
page again with each fault by its field (422); one from a page gone stale gets the conflict
page (409) with a link to reload; one from someone the workflow does not name gets 403.
"""

from __future__ import annotations

from typing import Annotated

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

router = APIRouter(tags=["web"], include_in_schema=False)
TEMPLATES.env.filters.update(FILTERS)
ObjectiveId = Annotated[str, Path(max_length=100)]
DONE = {"check_in": "Checked in.", "approve": "Approved: the objective is active.",
        "request_changes": "Sent back to the owner with your comment.",
        "approve_adjustment": "Adjustment approved.", "reject_adjustment": "Adjustment rejected.",
        "finalize": "Finalized: the objective is closed.",
        "return_assessment": "Returned for another self-assessment.",
        "self_assess": "Self-assessment sent to the reviewer.", "submit": "Sent for review.",
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
    try:
        context = version_context(backend_of(request).ledger(request), objective_id,
                                  request.query_params)
    except NotFoundError:
        return _not_found(request, session, objective_id)
    return render(request, "objective/_version.html", context, session)


@router.get("/objectives/{objective_id}/timeline", response_class=HTMLResponse)
def timeline_fragment(objective_id: ObjectiveId, request: Request, session: SignedIn) -> Response:
    """The timeline: loaded after the page (it describes every command against the objective
    before and after it), or as a page of its own without JavaScript."""
    try:
        context = timeline_context(backend_of(request).ledger(request), objective_id,
                                   request.query_params)
    except NotFoundError:
        return _not_found(request, session, objective_id)
    template = ("objective/_timeline_entries.html" if request.headers.get("HX-Request")
                else "objective/timeline.html")
    return render(request, template, context, session)


@router.get("/objectives/{objective_id}/diff", response_class=HTMLResponse)
def diff_fragment(objective_id: ObjectiveId, request: Request, session: SignedIn) -> Response:
    """What changed between two versions, for the comparison form."""
    try:
        context = compare_context(backend_of(request).ledger(request), objective_id,
                                  request.query_params)
    except NotFoundError:
        return _not_found(request, session, objective_id)
    return render(request, "objective/_diff.html", context, session)


@router.post("/objectives/{objective_id}/actions/{action}", response_class=HTMLResponse)
async def take_action(objective_id: ObjectiveId, action: Annotated[str, Path(max_length=40)],
                      request: Request, session: CsrfChecked) -> Response:
    """Run one of the page's forms with the version it showed."""
    form = {name: value for name, value in (await request.form()).items()
            if isinstance(value, str)}
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
