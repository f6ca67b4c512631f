"""Objectives: what callers send to draft and edit one, and how one reads back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.models.common import Body, Id, Positioned, Text, Title, Why
from api.models.key_results import KeyResultCreate, KeyResultPublic
from api.pagination import ItemsPage
from domain.values import Level, ObjectiveKind


class ObjectiveUpdate(Body):
    title: Title | None = None
    description: Text | None = None
    owner: Title | None = None
    reviewer: Title | None = None
    level: Level | None = None
    kind: ObjectiveKind | None = None
    parent_id: Id | None = None
    supports: list[Id] | None = Field(default=None, max_length=100)


class ObjectiveEdit(ObjectiveUpdate):
    """A draft's fields to change, and why."""

    reason: Why = ""


class ObjectiveCreate(ObjectiveUpdate):
    cycle_id: Id
    title: Title
    reviewer: Title | None = Field(default=None, description=(
        "Defaults to the owner's manager in the people directory."))
    level: Level
    owner: Title | None = Field(default=None, description="Defaults to the caller.")
    key_results: list[KeyResultCreate] = Field(default_factory=list, max_length=50)
    reason: Why = ""


class ObjectivePublic(BaseModel):
    id: str
    cycle_id: str
    title: str
    description: str
    owner: str
    reviewer: str
    level: str
    kind: str
    parent_id: str | None
    supports: list[str]
    state: str
    version: int
    progress: float
    score: float | None
    scoring_policy: str
    carried_over_from: str | None
    carried_over_to: list[str]
    pending_adjustment_id: str | None
    original: dict[str, Any]
    created_at: str
    modified_at: str
    allowed_actions: list[str] = Field(description="What the caller may do next.")
    key_results: list[KeyResultPublic]


class ObjectiveResult(ObjectivePublic, Positioned):
    pass


class HistoryEntry(BaseModel):
    type: str
    version: int
    time: str
    actor: str | None
    request_id: str | None = Field(description="The `X-Request-ID` of the API call that wrote "
                                               "the event (none from the command line).")
    data: dict[str, Any]


class HistoryPage(ItemsPage[HistoryEntry]):
    pass


class FieldChange(BaseModel):
    field: str
    old: Any = None
    new: Any = None


class ObjectiveDiff(BaseModel):
    objective_id: str
    from_version: int
    to_version: int
    changes: list[FieldChange]
