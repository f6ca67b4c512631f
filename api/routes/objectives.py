"""Objectives: drafted by members for themselves (admins for anyone), read by everyone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from api.deps import ExpectedVersion, Ledger, Reader, Views, Writer
from api.etags import tagged_read
from api.idempotency import IDEMPOTENT
from api.models.common import Instant
from api.models.objectives import ObjectiveCreate, ObjectiveEdit, ObjectivePublic, ObjectiveResult
from api.models.views import ObjectiveListed, ObjectivesPage
from api.pagination import Paging
from api.presenters import objective_public, objective_result
from api.timestamps import aware
from domain.values import ObjectiveState

router = APIRouter(prefix="/v1/objectives", tags=["objectives"])
Version = Annotated[int | None, Query(ge=1, le=2**31, description="A past version.")]
AsOf = Annotated[Instant | None, Query(description="A past moment, ISO-8601.")]
AtPosition = Annotated[int | None, Query(ge=0, le=2**62, description=(
    "A log position: the objective once every command up to it was whole."))]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[IDEMPOTENT])
def draft_objective(body: ObjectiveCreate, actor: Writer, ledger: Ledger,
                    response: Response) -> ObjectiveResult:
    """Draft an objective; the owner defaults to the caller."""
    fields = body.fields()
    key_results = [kr.fields() for kr in body.key_results]
    fields.pop("key_results", None)
    result = ledger.draft_objective(actor, key_results=key_results, **fields)
    response.headers["Location"] = f"/v1/objectives/{result.created_id}"
    return objective_result(ledger, result, actor, response)


@router.patch("/{objective_id}", dependencies=[IDEMPOTENT])
def edit_objective(objective_id: str, body: ObjectiveEdit, actor: Writer, ledger: Ledger,
                   expected: ExpectedVersion, response: Response) -> ObjectiveResult:
    """Edit a draft's fields (owner or admin)."""
    fields = body.fields()
    reason = fields.pop("reason", "")
    result = ledger.edit_objective(actor, objective_id, fields, expected_version=expected,
                                   reason=reason)
    return objective_result(ledger, result, actor, response)


@router.get("")
def list_objectives(_: Reader, views: Views, paging: Paging,
                    cycle_id: Annotated[str | None, Query(max_length=100)] = None,
                    owner: Annotated[str | None, Query(max_length=300)] = None,
                    state: ObjectiveState | None = None) -> ObjectivesPage:
    """Objectives as the projections hold them, filtered by cycle, owner and state, in the
    order they were drafted."""
    found = views.objectives_page(cycle_id=cycle_id, owner=owner,
                                  state=state.value if state else None,
                                  after=paging.after(int, str), limit=paging.limit)
    return ObjectivesPage(**paging.respond(found, ObjectiveListed))


@router.get("/{objective_id}")
def get_objective(objective_id: str, actor: Reader, ledger: Ledger, request: Request,
                  response: Response,
                  version: Version = None, as_of: AsOf = None,
                  at_position: AtPosition = None) -> ObjectivePublic:
    """One objective, now or as it was at `version` (an event's version), at the moment
    `as_of` or at log position `at_position` (both resolve to whole commands); one of them."""
    if version is None and as_of is None and at_position is None:
        objective = ledger.objective(objective_id)
    else:
        objective = ledger.objective_at(objective_id, version=version, as_of=aware(as_of),
                                        at_position=at_position)
    tagged_read(request, response, objective)
    return objective_public(ledger, objective, actor)
