"""A cycle's alignment trees and summary, read from the projections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Reader, Views
from api.models.common import Instant
from api.models.views import CycleSummary, TreeNode
from api.timestamps import aware

router = APIRouter(prefix="/v1/cycles/{cycle_id}", tags=["cycles"])


@router.get("/tree")
def tree(cycle_id: str, _: Reader, views: Views,
         as_of: Annotated[Instant | None, Query(description="A past moment, ISO-8601.")] = None,
         at_position: Annotated[int | None, Query(ge=0, le=2**62)] = None,
         root_id: Annotated[str | None, Query(max_length=100)] = None) -> list[TreeNode]:
    """The cycle's alignment trees: roots, each nesting what is aligned to it; or as they were."""
    return [TreeNode(**node) for node in views.tree(cycle_id, root_id=root_id,
                                                    as_of=aware(as_of), at_position=at_position)]


@router.get("/summary")
def summary(cycle_id: str, _: Reader, views: Views,
            stale_days: Annotated[int, Query(ge=1, le=3650)] = 14) -> CycleSummary:
    """Counts by state, level and kind, the scores, and objectives with no recent check-in."""
    return CycleSummary(**views.summary(cycle_id, stale_days=stale_days))
