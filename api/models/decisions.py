"""The decision log: every decision and every act that needs accounting for, with its why."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import Moment
from api.models.views import AdjustmentChange

Role = Literal["owner", "reviewer", "admin"]

EXAMPLE_ENTRY: dict[str, Any] = {
    "position": 412, "objective_id": "6f1c0b7e-6f55-4f7b-a6d4-2f4f3f9e1a10",
    "objective_title": "Ship faster with fewer incidents",
    "cycle_id": "0b8e6a52-1d6c-4f0e-9a55-1c2d3e4f5a6b", "action": "adjustment_approved",
    "actor": "dana", "role": "reviewer", "time": "2026-11-14T09:30:00Z",
    "command_id": "5a028e1f-c54a-45c9-9201-0fcc025ecc0f",
    "reason": "agreed in the weekly stand-up",
    "adjustment_id": "2df1568e-5320-4625-9f0d-1715145c1c3d", "proposed_by": "bob",
    "proposal_reason": "the onboarding work moved to another team",
    "changes": [{"op": "retarget_key_result",
                 "key_result_id": "718ec7b8-1ac1-438c-b41a-b7cc7e5707aa",
                 "key_result_title": "Cut lead time", "before": {"target": 10},
                 "after": {"target": 12}}],
}


class DecisionChange(AdjustmentChange):
    key_result_title: str | None = Field(default=None, description="The KR's title then.")


class DecisionScore(BaseModel):
    """A KR's scores at a self-assessment or a finalize."""

    key_result_id: str
    title: str | None
    suggested_score: float | None = None
    self_score: float | None = None
    final_score: float | None = None
    overridden: bool = False
    reason: str = Field(default="", description="Why the reviewer overrode the score.")
    note: str = Field(default="", description="The owner's note on their score.")


class DecisionEntry(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ENTRY]})

    position: int = Field(description="The log position of the event that recorded it.")
    objective_id: str
    objective_title: str = Field(description="The objective's title at that moment.")
    cycle_id: str
    action: str = Field(description="submitted, approved, changes_requested, "
                                    "adjustment_proposed/approved/rejected/withdrawn, "
                                    "closing_started, self_assessed, assessment_returned, "
                                    "finalized, cancelled, carried_over, reassigned, "
                                    "check_in_corrected")
    actor: str
    role: Role = Field(description="The relation the actor acted in.")
    time: Moment
    command_id: str | None = Field(description="The command that recorded it (null for "
                                                "events recorded before commands had ids).")
    reason: str = Field(description="The reason or comment given; empty when none was.")
    adjustment_id: str | None = None
    proposed_by: str | None = None
    proposal_reason: str | None = None
    changes: list[DecisionChange] = Field(default_factory=list, description=(
        "An adjustment's changes, each with before and after."))
    key_results: list[DecisionScore] = Field(default_factory=list, description=(
        "Each KR's scores, at a self-assessment or a finalize (overrides with their reason)."))
    score: float | None = Field(default=None, description="The objective's final score.")
    to_objective_id: str | None = None
    to_cycle_id: str | None = None
    key_result_id: str | None = Field(default=None, description="A corrected check-in's KR.")
    key_result_title: str | None = None
    check_in_id: str | None = Field(default=None, description="The check-in corrected.")
    before: dict[str, Any] | None = Field(default=None, description=(
        "What a reassignment or a correction replaced."))
    after: dict[str, Any] | None = None


class DecisionsPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"decisions": [EXAMPLE_ENTRY], "next_after": 412}]})

    decisions: list[DecisionEntry]
    next_after: int | None = Field(description=(
        "Pass as `after` for the next page (the `Link` header's rel=\"next\" URL does); "
        "null on the last page."))
