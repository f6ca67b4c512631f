"""Objectives: what callers send to draft and edit one, and how one reads back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

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
    position: int | None = Field(default=None, description="The event's place in the log.")
    command_id: str | None = Field(default=None, description=(
        "The command that recorded it: consecutive entries with one command_id are one "
        "command (null for events recorded before commands had ids: each its own)."))
    role: str | None = Field(default=None, description="The role the actor acted in.")
    request_id: str | None = Field(description="The `X-Request-ID` of the API call that wrote "
                                               "the event (none from the command line).")
    data: dict[str, Any]


class HistoryPage(ItemsPage[HistoryEntry]):
    pass


class ChangedBy(BaseModel):
    command_id: str | None
    actor: str
    role: str
    time: str
    position: int
    version: int = Field(description="The objective's version once the command was whole.")
    reason: str = Field(description="The reason, comment or note given.")


class FieldChange(BaseModel):
    field: str
    old: Any = None
    new: Any = None
    commands: list[ChangedBy] = Field(default_factory=list, description=(
        "The commands between the two versions that changed this field, oldest first."))


DIFF_EXAMPLE: dict[str, Any] = {
    "objective_id": "6f1c0b7e-6f55-4f7b-a6d4-2f4f3f9e1a10", "from_version": 4,
    "to_version": 9, "changes": [{
        "field": "key_results.718ec7b8-1ac1-438c-b41a-b7cc7e5707aa.target", "old": 10,
        "new": 12, "commands": [{"command_id": "5a028e1f-c54a-45c9-9201-0fcc025ecc0f",
                                 "actor": "dana", "role": "reviewer",
                                 "time": "2026-11-14T09:30:00.000000Z", "position": 412,
                                 "version": 9, "reason": "agreed in the weekly stand-up"}]}]}


class ObjectiveDiff(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [DIFF_EXAMPLE]})

    objective_id: str
    from_version: int
    to_version: int
    changes: list[FieldChange]
