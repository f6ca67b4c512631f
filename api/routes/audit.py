"""The audit: mid-cycle adjustments (who proposed what, why, before and after, who decided),
and the decision log (every decision and act that needs accounting for, with its why)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import HistoryReader, Views
from api.models.common import Instant
from api.models.decisions import DecisionEntry, DecisionsPage
from api.models.views import AdjustmentRecord, AdjustmentsPage
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Paging, link_next
from api.timestamps import aware
from projections.decision_view import DecisionFilter
from projections.decisions import DECISION_ACTIONS

router = APIRouter(prefix="/v1/audit", tags=["audit"])
Filter = Annotated[str | None, Query(max_length=300)]
Moment = Annotated[Instant | None, Query(description="ISO-8601; a zone-less time is UTC.")]


@router.get("/adjustments")
def adjustments(_: HistoryReader, views: Views, paging: Paging, cycle_id: Filter = None,
                objective_id: Filter = None, owner: Filter = None, since: Moment = None,
                until: Moment = None) -> AdjustmentsPage:
    """Every adjustment matching the filters, in the order they were proposed."""
    found = views.adjustments_page(cycle_id=cycle_id, objective_id=objective_id, owner=owner,
                                   since=aware(since), until=aware(until), after=paging.after_position(),
                                   limit=paging.limit)
    return AdjustmentsPage(**paging.respond(found, AdjustmentRecord))


@router.get("/decisions")
def decisions(request: Request, response: Response, _: HistoryReader, views: Views,
              cycle_id: Filter = None, objective_id: Filter = None, actor: Filter = None,
              action: Annotated[str | None, Query(json_schema_extra={
                  "enum": list(DECISION_ACTIONS)})] = None,
              since: Moment = None, until: Moment = None,
              after: Annotated[int, Query(ge=0, le=2**62, description=(
                  "Read after this log position: the previous page's `next_after`."))] = 0,
              limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
              ) -> DecisionsPage:
    """Every decision and every act that needs accounting for, across objectives, in log
    order: who (in which role), when, why, and what changed."""
    where = DecisionFilter(cycle_id=cycle_id, objective_id=objective_id, actor=actor,
                           action=action, since=aware(since), until=aware(until))
    entries, next_after = views.decisions(where, after=after, limit=limit)
    if next_after is not None:
        link_next(request, response, after=next_after)
    return DecisionsPage(decisions=[DecisionEntry(**entry) for entry in entries],
                         next_after=next_after)
