"""Key results: the quantified measures of an objective."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.models.common import (
    Body,
    Confidence,
    Day,
    Id,
    Label,
    Moment,
    Number,
    Positioned,
    Stated,
    Text,
    Title,
    Weight,
    Why,
)
from api.pagination import ItemsPage
from domain.values import Challenge, Direction, KeyResultKind


class KeyResultUpdate(Body):
    title: Title | None = None
    description: Text | None = None
    start: Number | None = None
    target: Number | None = None
    unit: Label | None = None
    direction: Direction | None = None
    due_on: Day | None = None
    challenge: Challenge | None = None
    weight: Weight | None = None


class KeyResultFields(KeyResultUpdate):
    """Every field a new KR may have, whatever its kind (an adjustment's `add_key_result`)."""

    title: Title
    kind: KeyResultKind


# A new KR is one of three kinds, told apart by `kind` (a discriminated union), so a client
# generated from the API document sees which fields each kind requires. Each kind still takes
# every KR field (a milestone's start is kept, not refused), as the ledger always has.
class MetricKeyResult(KeyResultUpdate):
    """A number moved from `start` to `target` (either way): progress is how far it got."""

    title: Title
    kind: Literal["metric"]
    start: Number
    target: Number


class ThresholdKeyResult(KeyResultUpdate):
    """A level to stay above (or `direction: below`) at every check-in: progress is the share
    of check-ins that met it."""

    title: Title
    kind: Literal["threshold"]
    target: Number = Field(description="The threshold.")


class MilestoneKeyResult(KeyResultUpdate):
    """Done or not done, by `due_on` if given."""

    title: Title
    kind: Literal["milestone"]


KeyResultCreate = Annotated[MetricKeyResult | ThresholdKeyResult | MilestoneKeyResult,
                            Field(discriminator="kind")]


class KeyResultEdit(KeyResultUpdate):
    """A draft KR's fields to change, and why."""

    reason: Why = ""


class MetricKeyResultAdd(MetricKeyResult):
    """A metric KR to add to a draft, and why."""

    reason: Why = ""


class ThresholdKeyResultAdd(ThresholdKeyResult):
    """A threshold KR to add to a draft, and why."""

    reason: Why = ""


class MilestoneKeyResultAdd(MilestoneKeyResult):
    """A milestone KR to add to a draft, and why."""

    reason: Why = ""


KeyResultAdd = Annotated[MetricKeyResultAdd | ThresholdKeyResultAdd | MilestoneKeyResultAdd,
                         Field(discriminator="kind")]


class CheckInCreate(Body):
    key_result_id: Id
    value: Number | None = None
    done: bool | None = None
    confidence: Confidence
    note: Text = ""


class KeyResultPublic(BaseModel):
    id: str
    title: str
    description: str
    kind: str
    start: float | None
    target: float | None
    current: float | None
    unit: str
    direction: str | None
    done: bool
    due_on: str | None
    challenge: str
    weight: float
    confidence: float | None
    check_ins: int
    progress: float
    retargeted: bool = Field(description="Whether an approved adjustment changed the KR's "
                                         "start, target or unit.")
    original_progress: float | None = Field(description=(
        "Progress against the KR as first approved; null unless it was retargeted."))
    suggested_score: float
    self_score: float | None
    self_note: str
    final_score: float | None
    override_reason: str
    removed: bool
    original: dict[str, Any]


class KeyResultCreated(KeyResultPublic, Positioned):
    objective_id: str
    objective_version: int


class CheckInCorrect(Body):
    """What the check-in should have said (a value, or done for a milestone), and why."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"value": 45, "reason": "typed 450 for 45"}]})

    value: Number | None = None
    done: bool | None = None
    confidence: Confidence | None = Field(default=None, description="Unchanged when left out.")
    note: Text | None = Field(default=None, description="Unchanged when left out.")
    reason: Stated = Field(description="Required: why the check-in was wrong.")


class CheckInReported(BaseModel):
    value: float | None
    done: bool | None
    progress: float | None
    confidence: float | None
    note: str


class CheckInCorrection(CheckInReported):
    actor: str
    time: Moment
    reason: str
    position: int


class CheckInPublic(BaseModel):
    time: Moment = Field(description="When the check-in was recorded (a correction keeps it).")
    value: float | None = Field(description="As reported, or as last corrected.")
    done: bool | None
    progress: float | None
    confidence: float | None
    actor: str | None
    note: str
    position: int
    check_in_id: str | None = Field(default=None, description="The id to correct it by (null "
                                                              "for check-ins projected before "
                                                              "ids were: rebuild the view).")
    corrected: bool = False
    original: CheckInReported | None = Field(default=None,
                                             description="What was first reported, if corrected.")
    corrections: list[CheckInCorrection] = Field(default_factory=list)


class CheckInsPage(ItemsPage[CheckInPublic]):
    pass
