"""An objective's timeline: one entry per command, in words, with who, when, where and why."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.models.views import AdjustmentChange

KR_ID = "718ec7b8-1ac1-438c-b41a-b7cc7e5707aa"
EXAMPLE_ENTRY: dict[str, Any] = {
    "action": "adjustment_approved",
    "summary": "Adjustment approved: target of 'Cut lead time' raised from 10 to 12",
    "actor": "dana", "role": "reviewer", "time": "2026-11-14T09:30:00.000000Z",
    "position": 412, "version": 7, "from_version": 7,
    "command_id": "5a028e1f-c54a-45c9-9201-0fcc025ecc0f",
    "reason": "agreed in the weekly stand-up", "events": ["AdjustmentApproved"],
    "changes": [{"field": f"key_results.{KR_ID}.target", "key_result_id": KR_ID,
                 "key_result_title": "Cut lead time", "before": 10, "after": 12}],
    "adjustment": {"adjustment_id": "2df1568e-5320-4625-9f0d-1715145c1c3d",
                   "status": "approved", "proposed_by": "bob",
                   "proposal_reason": "the onboarding work moved to another team",
                   "proposed_at": "2026-11-12T16:02:11.000000Z", "proposal_position": 398,
                   "changes": [{"op": "retarget_key_result", "key_result_id": KR_ID,
                                "before": {"target": 10}, "after": {"target": 12}}]},
}


class TimelineChange(BaseModel):
    field: str = Field(description="`title`, or `key_results.<id>.<field>`; a new key result "
                                   "is `key_results.<id>` with `before` null.")
    key_result_id: str | None = None
    key_result_title: str | None = Field(default=None, description="The KR's title then.")
    before: Any = None
    after: Any = None


class TimelineDecision(BaseModel):
    """How a proposed adjustment was decided (approved, rejected, or withdrawn by a cancel)."""

    status: str
    actor: str
    role: str
    time: str
    position: int
    reason: str


class TimelineAdjustment(BaseModel):
    adjustment_id: str
    status: str = Field(description="pending, approved, rejected or withdrawn.")
    changes: list[AdjustmentChange]
    proposed_by: str | None = Field(default=None, description="On a decision: who proposed.")
    proposal_reason: str | None = None
    proposed_at: str | None = None
    proposal_position: int | None = None
    decision: TimelineDecision | None = Field(
        default=None, description="On a proposal: how it was decided (null while pending).")


class TimelineEntry(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ENTRY]})

    action: str = Field(description="The command's first event, in snake case "
                                    "(drafted, edited, checked_in, adjustment_approved...).")
    summary: str = Field(description="What happened, in words a person reads.")
    actor: str
    role: str = Field(description="owner, reviewer or admin: the relation the actor acted in.")
    time: str
    position: int = Field(description="The log position of the command's last event here.")
    version: int = Field(description="The objective's version once the command was whole.")
    from_version: int = Field(description="The version of the command's first event.")
    command_id: str | None = Field(description="Shared by every event of the command (null "
                                               "for events recorded before commands had ids).")
    reason: str = Field(description="The reason, comment or note given.")
    events: list[str] = Field(description="The types of the command's events, in order.")
    changes: list[TimelineChange]
    adjustment: TimelineAdjustment | None = None


class Timeline(BaseModel):
    objective_id: str
    entries: list[TimelineEntry]
