"""Bodies of the review, adjustment and closing commands."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from api.models.common import Body, Id, Number, Positioned, Text, Title, Weight
from api.models.key_results import KeyResultCreate
from domain.values import Challenge


class Comment(Body):
    comment: Text = ""


class RequiredComment(Body):
    comment: Text


class CancelBody(Body):
    reason: Text


class CarryOverBody(Body):
    cycle_id: Id


class RetargetKeyResult(Body):
    op: Literal["retarget_key_result"]
    key_result_id: Id
    start: Number | None = None
    target: Number | None = None
    unit: Title | None = None


class AddKeyResult(KeyResultCreate):
    op: Literal["add_key_result"]


class RemoveKeyResult(Body):
    op: Literal["remove_key_result"]
    key_result_id: Id


class EditObjective(Body):
    op: Literal["edit_objective"]
    title: Title | None = None
    description: Text | None = None


class EditKeyResult(Body):
    op: Literal["edit_key_result"]
    key_result_id: Id
    title: Title | None = None
    description: Text | None = None
    challenge: Challenge | None = None
    weight: Weight | None = None


class Realign(Body):
    op: Literal["realign"]
    parent_id: Id | None = None
    supports: list[Id] | None = Field(default=None, max_length=100)


Change = Annotated[RetargetKeyResult | AddKeyResult | RemoveKeyResult | EditObjective
                   | EditKeyResult | Realign, Field(discriminator="op")]


class AdjustmentCreate(Body):
    reason: Text
    changes: list[Change] = Field(max_length=50)


class AdjustmentCreated(Positioned):
    adjustment_id: str
    objective_id: str
    objective_version: int
    status: str
    reason: str
    proposed_by: str
    changes: list[dict[str, Any]]


class ScoreEntry(Body):
    key_result_id: Id
    score: Number
    note: Text = ""


class SelfAssessment(Body):
    scores: list[ScoreEntry] = Field(max_length=50)


class Override(Body):
    key_result_id: Id
    score: Number
    reason: Text = ""


class Finalize(Body):
    overrides: list[Override] = Field(default_factory=list, max_length=50)

