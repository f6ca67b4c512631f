"""The cycle page: the alignment tree now or at any step of its history, and the summary.

`/cycles/{id}/replay?step=N` answers the fragment the slider swaps in: the tree as it was
after the cycle's Nth objective event, with that command described. A big cycle shows two
levels; `/cycles/{id}/nodes/{objective_id}` answers an opened node's children.
`/cycles/{id}/compare?from_step=A&to_step=B` answers the compare mode's fragment (the tree at
the later step, each changed objective marked with what changed: `web.tree_compare`); the
page itself takes the same two steps, so a comparison has an address and works without script.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from domain.errors import NotFoundError
from web.backend import backend_of
from web.cycle_view import (
    WHOLE_TREE_LIMIT,
    count_nodes,
    describe,
    opened_stale_ids,
    summary,
    titles,
)
from web.rendering import render
from web.security import SignedIn
from web.tree_compare import comparison

router = APIRouter()
Step = Annotated[int | None, Query(ge=0, le=2**62)]


def _tree_context(request: Request, cycle_id: str, step: int | None) -> dict[str, Any]:
    backend = backend_of(request)
    views, ledger = backend.views(request), backend.ledger(request)
    steps = views.cycle_moments(cycle_id)
    last = steps - 1
    chosen = last if step is None or step > last else step
    position, label = None, "No objective yet"
    if steps:
        moment = views.cycle_moment(cycle_id, chosen)
        label = describe(ledger, moment)
        position = None if chosen == last else moment["position"]
    trees = views.tree(cycle_id, at_position=position)
    found = summary(views, cycle_id)
    return {"cycle_id": cycle_id, "trees": trees, "steps": steps, "step": chosen,
            "label": label, "titles": titles(trees), "stale_ids": found["stale_ids"],
            "whole": count_nodes(trees, WHOLE_TREE_LIMIT) <= WHOLE_TREE_LIMIT,
            "position": position, "summary": found}


def _compare_context(request: Request, cycle_id: str, first: int,
                     second: int) -> dict[str, Any]:
    """The replay view's context with the two steps compared instead of one step shown."""
    backend = backend_of(request)
    views, ledger = backend.views(request), backend.ledger(request)
    found = comparison(views, cycle_id, first, second)
    return {**found, "cycle_id": cycle_id, "compared": True,
            "from_label": describe(ledger, found["from_moment"]),
            "to_label": describe(ledger, found["to_moment"]),
            "position": found["to_moment"]["position"], "stale_ids": set(),
            "whole": count_nodes(found["trees"], WHOLE_TREE_LIMIT) <= WHOLE_TREE_LIMIT}


def _page_context(request: Request, cycle_id: str, step: int | None, from_step: int | None,
                  to_step: int | None) -> dict[str, Any]:
    """The replay at `step`; with both compare steps given, the comparison in its place."""
    context = _tree_context(request, cycle_id, step)
    if from_step is None or to_step is None or not context["steps"]:
        return {**context, "from_step": 0, "to_step": context["steps"] - 1}
    return {**context, **_compare_context(request, cycle_id, from_step, to_step)}


@router.get("/cycles", response_class=HTMLResponse)
async def cycles(request: Request, session: SignedIn) -> HTMLResponse:
    ledger = backend_of(request).ledger(request)
    found = await run_in_threadpool(ledger.list_cycles)
    return render(request, "cycles.html", {"cycles": found}, session)


@router.get("/cycles/{cycle_id}", response_class=HTMLResponse)
async def cycle(request: Request, cycle_id: str, session: SignedIn, step: Step = None,
                from_step: Step = None, to_step: Step = None) -> HTMLResponse:
    ledger = backend_of(request).ledger(request)
    try:
        context = await run_in_threadpool(_page_context, request, cycle_id, step, from_step,
                                          to_step)
        found = await run_in_threadpool(ledger.cycle, cycle_id)
    except NotFoundError as error:
        return render(request, "not_found.html", {"what": str(error)}, session, 404)
    return render(request, "cycle.html", {**context, "cycle": found}, session)


@router.get("/cycles/{cycle_id}/replay", response_class=HTMLResponse)
async def replay(request: Request, cycle_id: str, session: SignedIn,
                 step: Step = None) -> HTMLResponse:
    try:
        context = await run_in_threadpool(_tree_context, request, cycle_id, step)
    except NotFoundError as error:
        return render(request, "not_found.html", {"what": str(error)}, session, 404)
    return render(request, "replay.html", context, session)


@router.get("/cycles/{cycle_id}/compare", response_class=HTMLResponse)
async def compare(request: Request, cycle_id: str, session: SignedIn,
                  from_step: Annotated[int, Query(ge=0, le=2**62)],
                  to_step: Annotated[int, Query(ge=0, le=2**62)]) -> HTMLResponse:
    try:
        if not await run_in_threadpool(backend_of(request).views(request).cycle_moments,
                                       cycle_id):
            raise NotFoundError("objective", f"in cycle {cycle_id} (nothing to compare yet)")
        context = await run_in_threadpool(_compare_context, request, cycle_id, from_step,
                                          to_step)
    except NotFoundError as error:
        return render(request, "not_found.html", {"what": str(error)}, session, 404)
    return render(request, "compared.html", context, session)


@router.get("/cycles/{cycle_id}/nodes/{objective_id}", response_class=HTMLResponse)
async def children(request: Request, cycle_id: str, objective_id: str, session: SignedIn,
                   at_position: Step = None) -> HTMLResponse:
    views = backend_of(request).views(request)

    def read() -> dict[str, Any]:
        trees = views.tree(cycle_id, root_id=objective_id, at_position=at_position)
        nodes = trees[0]["children"]
        stale = opened_stale_ids(views, cycle_id, nodes) if at_position is None else set()
        return {"cycle_id": cycle_id, "nodes": nodes, "position": at_position,
                "whole": False, "stale_ids": stale, "titles": {}}

    try:
        context = await run_in_threadpool(read)
    except NotFoundError as error:
        return render(request, "not_found.html", {"what": str(error)}, session, 404)
    return render(request, "nodes.html", context, session)
