"""How the server is doing: readiness for load balancers, the views' status for admins."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class ViewPosition(BaseModel):
    position: int = Field(description="The last log position the view applied.")
    lag: int = Field(description="Events in the log the view has not applied yet.")


class DeadLetter(BaseModel):
    position: int = Field(description="The log position of the event no view could apply.")
    error: str
    attempts: int
    recorded_at: datetime


class ViewsStatus(BaseModel):
    state: Literal["following", "stopped", "idle"] = Field(description=(
        "`stopped`: the views stopped on an event they could not apply (see `dead_letters`)."))
    log_position: int = Field(description="The last position in the log.")
    views: dict[str, ViewPosition]
    last_error: str | None
    dead_letters: list[DeadLetter] = Field(description=(
        "Events the views stopped on and have not got past yet."))


class ViewReadiness(ViewPosition):
    state: Literal["following", "stopped", "idle"]


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    store: str = Field(description="`reachable`, or why the event store is not.")
    views: dict[str, ViewReadiness]
    problems: list[str] = Field(description="What is wrong, one line each; empty when ready.")
