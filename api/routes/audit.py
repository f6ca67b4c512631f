"""The audit of mid-cycle adjustments: who proposed what, why, before and after, and who decided."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import HistoryReader, Views
from api.models.views import AdjustmentRecord, AdjustmentsPage
from api.pagination import Paging
from api.timestamps import aware

router = APIRouter(prefix="/v1/audit", tags=["audit"])
Filter = Annotated[str | None, Query(max_length=300)]
Moment = Annotated[datetime | None, Query(description="ISO-8601; a zone-less time is UTC.")]


@router.get("/adjustments")
def adjustments(_: HistoryReader, views: Views, paging: Paging, cycle_id: Filter = None,
                objective_id: Filter = None, owner: Filter = None, since: Moment = None,
                until: Moment = None) -> AdjustmentsPage:
    """Every adjustment matching the filters, in the order they were proposed."""
    found = views.adjustments_page(cycle_id=cycle_id, objective_id=objective_id, owner=owner,
                                   since=aware(since), until=aware(until), after=paging.after_position(),
                                   limit=paging.limit)
    return AdjustmentsPage(**paging.respond(found, AdjustmentRecord))
