"""Bodies of the review, adjustment and closing commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from api.models.common import Body, Id, Positioned, Score, Stated, Text, Title, Why
from api.models.key_results import KeyResultFields, KeyResultUpdate
from api.models.objectives import ObjectiveUpdate
from domain.adjustment_ops import OPS, AdjustmentOp, Subject


class Comment(Body):
    comment: Why = ""


class Reason(Body):
    reason: Why = ""


class RequiredComment(Body):
    comment: Stated


class CancelBody(Body):
    reason: Stated


class HandOverBody(Body):
    """The person who reviews from now on (never the owner), and why."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"reviewer": "dana", "reason": "rita moves to another team"}]})

    reviewer: Title
    reason: Stated


class ReassignBody(Body):
    """The person who owns the objective from now on (never its reviewer), and why."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"owner": "dana", "reason": "bob moved to the platform team"}]})

    owner: Title
    reason: Stated


class CarryOverBody(Body):
    cycle_id: Id
    reason: Why = ""


# Where each adjustment op's fields are typed: the same models that create and edit them.
FIELD_MODELS: dict[Subject, type[Body]] = {Subject.OBJECTIVE: ObjectiveUpdate,
                                           Subject.KEY_RESULT: KeyResultUpdate,
                                           Subject.NEW_KEY_RESULT: KeyResultFields}


def change_model(op: AdjustmentOp) -> type[Body]:
    """The body of one adjustment op, from the domain's registry (`domain.adjustment_ops`):
    its `op` tag, its fields typed as where they are created or edited, and the id of the
    key result it changes where it changes one."""
    typed = FIELD_MODELS[op.subject].model_fields
    fields: dict[str, Any] = {"op": (Literal[op.name], ...)}
    if op.subject is Subject.KEY_RESULT:
        fields["key_result_id"] = (Id, ...)
    fields.update({name: (typed[name].annotation, typed[name]) for name in op.fields})
    return create_model(op.name.title().replace("_", ""), __base__=Body, **fields)


if TYPE_CHECKING:  # a union built at run time is no type to a checker: every op is a Body
    Change = Body
else:
    Change = Annotated[Union[tuple(change_model(op) for op in OPS.values())],  # noqa: UP007
                       Field(discriminator="op")]


class AdjustmentCreate(Body):
    reason: Stated
    changes: list[Change] = Field(max_length=50)


class AdjustmentPublic(BaseModel):
    adjustment_id: str
    objective_id: str
    objective_version: int = Field(description="The objective's version this was read at.")
    status: str
    reason: str
    proposed_by: str
    changes: list[dict[str, Any]]
    decided_by: str | None
    comment: str


class AdjustmentCreated(AdjustmentPublic, Positioned):
    pass


class ScoreEntry(Body):
    key_result_id: Id
    score: Score
    note: Text = ""


class SelfAssessment(Body):
    scores: list[ScoreEntry] = Field(max_length=50)
    reason: Why = ""


class Override(Body):
    key_result_id: Id
    score: Score
    reason: Text = ""


class Finalize(Body):
    overrides: list[Override] = Field(default_factory=list, max_length=50)
    comment: Why = ""

