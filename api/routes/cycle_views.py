"""A cycle's alignment trees and summary, read from the projections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Reader, Views
from api.models.common import Instant
from api.models.tree_diff import TreeDiff
from api.models.views import CycleSummary, TreeNode
from api.timestamps import aware
from projections.tree_diff import DEFAULT_MIN_DELTA
from workflows.timestamps import rfc3339

AS_OF_POSITION, AS_OF_TIME = "OKR-As-Of-Position", "OKR-As-Of-Time"

router = APIRouter(prefix="/v1/cycles/{cycle_id}", tags=["cycles"])


Moment = Annotated[Instant | None, Query(description="A past moment, RFC 3339.")]
Position = Annotated[int | None, Query(ge=0, le=2**62, description="A log position.")]
POINT_HEADERS = {
    AS_OF_POSITION: {"description": "A read of the past: the log position it resolved to "
                                    "(a position inside a command resolves to the one before "
                                    "that command).", "schema": {"type": "integer"}},
    AS_OF_TIME: {"description": "A read of the past: when the cycle last changed up to that "
                                "position (RFC 3339; absent before its first objective).",
                 "schema": {"type": "string"}},
}


@router.get("/tree", responses={200: {"headers": POINT_HEADERS}})
def tree(cycle_id: str, _: Reader, views: Views, response: Response, as_of: Moment = None,
         at_position: Position = None,
         root_id: Annotated[str | None, Query(max_length=100)] = None) -> list[TreeNode]:
    """The cycle's alignment trees: roots, each nesting what is aligned to it; or as they were
    (whole commands only), saying where in the log that was."""
    trees, point = views.tree_at_point(cycle_id, root_id=root_id, as_of=aware(as_of),
                                       at_position=at_position)
    if point is not None:
        response.headers[AS_OF_POSITION] = str(point.position)
        if point.time is not None:
            response.headers[AS_OF_TIME] = rfc3339(point.time)
    return [TreeNode(**node) for node in trees]


@router.get("/tree/diff")
def tree_diff(cycle_id: str, _: Reader, views: Views, from_position: Position = None,
              to_position: Position = None, from_time: Moment = None, to_time: Moment = None,
              min_delta: Annotated[float, Query(ge=0, le=1)] = DEFAULT_MIN_DELTA) -> TreeDiff:
    """What changed in the cycle's tree between two positions or moments (no `to`: now):
    objectives added, cancelled, closed, re-parented, newly supporting, other state changes,
    and progress or score moved by `min_delta` or more, each with before and after."""
    return TreeDiff.model_validate(views.tree_diff(
        cycle_id, from_position=from_position, to_position=to_position,
        from_time=aware(from_time), to_time=aware(to_time), min_delta=min_delta))


@router.get("/summary")
def summary(cycle_id: str, _: Reader, views: Views,
            stale_days: Annotated[int, Query(ge=1, le=3650)] = 14) -> CycleSummary:
    """Counts by state, level and kind, the scores, and objectives with no recent check-in."""
    return CycleSummary(**views.summary(cycle_id, stale_days=stale_days))
