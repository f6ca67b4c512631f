"""Read models served from the projections: alignment trees, listings, audit, summaries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from api.pagination import ItemsPage


class TreeKeyResult(BaseModel):
    id: str
    title: str
    kind: str
    progress: float
    confidence: float | None
    self_score: float | None
    final_score: float | None
    removed: bool


class ObjectiveListed(BaseModel):
    id: str
    cycle_id: str | None = None
    title: str
    owner: str
    reviewer: str
    level: str
    kind: str
    state: str
    progress: float
    score: float | None
    parent_id: str | None
    supports: list[str]
    key_results: list[TreeKeyResult]


class TreeNode(ObjectiveListed):
    aligned_progress: float = Field(
        description="Own progress averaged with the aligned progress of each live child.")
    children: list[TreeNode] = Field(description="The objectives aligned to this one.")


class AdjustmentChange(BaseModel):
    op: str
    key_result_id: str | None = None
    before: dict[str, Any]
    after: dict[str, Any]


class AdjustmentRecord(BaseModel):
    adjustment_id: str
    objective_id: str
    cycle_id: str
    owner: str
    proposed_by: str
    proposed_at: datetime
    reason: str
    changes: list[AdjustmentChange]
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None
    comment: str | None


class Scores(BaseModel):
    count: int
    average: float | None
    distribution: dict[str, int]


class StaleObjective(BaseModel):
    id: str
    title: str
    owner: str
    last_check_in_at: datetime | None


class CycleSummary(BaseModel):
    cycle_id: str
    objectives: int
    by_state: dict[str, int]
    by_level: dict[str, int]
    by_kind: dict[str, int]
    scores: Scores
    stale: list[StaleObjective]


class ObjectivesPage(ItemsPage[ObjectiveListed]):
    pass


class AdjustmentsPage(ItemsPage[AdjustmentRecord]):
    pass
