"""What `GET /v1/audit/integrity` answers: the log recomputed from the stored events, and every
fault found, each with its kind and log position."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

FaultKind = Literal["edited", "deleted", "inserted", "reordered", "truncated", "forked",
                    "forged", "snapshot"]


class FaultPublic(BaseModel):
    kind: FaultKind
    position: int = Field(description="The log position where the fault is seen.")
    leaf_index: int | None = Field(description="The sealed leaf concerned, where one is.")
    detail: str


class Alarm(BaseModel):
    fingerprint: str
    found_at: str
    faults: list[FaultPublic]


class ViewDifference(BaseModel):
    view: str = Field(description="The read model: tree, audit, check_ins or decisions.")
    table: str
    key: dict[str, Any] = Field(description="The row's primary key.")
    live: dict[str, Any] | None = Field(description="The row the live view holds (null: "
                                                    "none).")
    rebuilt: dict[str, Any] | None = Field(description="The row the replay of the log builds "
                                                       "(null: none).")


class ViewCheck(BaseModel):
    ok: bool = Field(description="True when every view equals its rebuild.")
    positions: dict[str, int] = Field(description="The log position each view was compared at.")
    count: int = Field(description="Rows that differ (at most 100 per view are listed).")
    differences: list[ViewDifference]


class IntegrityReport(BaseModel):
    ok: bool = Field(description="True when no fault was found (nor, with `views=true`, a "
                                 "view that differs from its rebuild).")
    events: int = Field(description="Stored events read.")
    sealed: int = Field(description="Sealed leaves read.")
    unsealed: int = Field(description="Events stored after the sealed range: not yet sealed.")
    checkpoints: int
    verified_size: int = Field(description="The largest signed tree size whose root the "
                                           "sealed leaves reproduce.")
    faults: list[FaultPublic]
    refusing_writes: bool = Field(description="Whether the server refuses writes: a check "
                                              "found faults no admin has acknowledged.")
    alarms: list[Alarm] = Field(description="Those faults, as each check found them.")
    views: ViewCheck | None = Field(None, description="With `views=true`: the read models "
                                                      "compared with their rebuild.")
