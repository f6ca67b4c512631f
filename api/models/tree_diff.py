"""What changed in a cycle's alignment tree between two points of the log."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

OID = "6f1c0b7e-6f55-4f7b-a6d4-2f4f3f9e1a10"
EXAMPLE: dict[str, Any] = {
    "cycle_id": "0b8e6a52-1d6c-4f0e-9a55-1c2d3e4f5a6b",
    "from": {"position": 120, "time": "2026-10-05T08:00:00.000000Z"},
    "to": {"position": 412, "time": "2026-11-14T09:30:00.000000Z"}, "min_delta": 0.05,
    "added": [], "cancelled": [{"objective_id": OID, "title": "Side quest",
                                "before": "active", "after": "cancelled"}],
    "closed": [], "reparented": [], "newly_supporting": [], "state_changes": [],
    "owner_changes": [],
    "progress_changes": [{"objective_id": OID, "title": "Cut lead time", "before": 0.2,
                          "after": 0.45}],
    "score_changes": [],
}


class TreePointPublic(BaseModel):
    position: int = Field(description="The log position the read resolved to (whole commands).")
    time: str | None = Field(description="When the cycle last changed up to that position.")


class TreeChange(BaseModel):
    objective_id: str
    title: str = Field(description="The objective's title at the later point.")
    before: Any = None
    after: Any = None
    newly_supported: list[str] | None = Field(
        default=None, description="In `newly_supporting`: the objectives it began to support.")


class TreeDiff(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]}, populate_by_name=True)

    cycle_id: str
    from_point: TreePointPublic = Field(alias="from")
    to_point: TreePointPublic = Field(alias="to")
    min_delta: float
    added: list[TreeChange] = Field(description="`after`: the new objective's state, level, "
                                                "owner, parent, supports, progress and score.")
    cancelled: list[TreeChange]
    closed: list[TreeChange]
    reparented: list[TreeChange] = Field(description="`before`/`after`: the parent_id.")
    newly_supporting: list[TreeChange] = Field(description="`before`/`after`: supports.")
    state_changes: list[TreeChange] = Field(
        description="Every other state change (not to cancelled or closed).")
    owner_changes: list[TreeChange] = Field(description="`before`/`after`: the owner.")
    progress_changes: list[TreeChange] = Field(
        description="Progress that moved by min_delta or more.")
    score_changes: list[TreeChange] = Field(description="Scores given or moved by min_delta "
                                                        "or more.")
