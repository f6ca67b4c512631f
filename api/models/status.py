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
    state: Literal["following", "stopped", "idle"] = Field(description=(
        "`following` in the process that runs the views, `idle` in the others (another "
        "process holds the background lease), `stopped` on an event no view could apply."))


class Health(BaseModel):
    status: str


class PartPublic(BaseModel):
    kind: str = Field(description="store, view, relay or sealer")
    name: str = Field(description="the view's name; else the kind again")
    ok: bool
    gating: bool = Field(description="whether this part being wrong makes the server not ready")
    position: int | None = Field(description="the last log position it has reached")
    lag: int | None = Field(description="how many positions it is behind the log")
    state: str = Field(description="ok, behind, failing, stopped, unreachable or unreadable")
    problem: str | None = Field(description="what is wrong, if anything")


class Readiness(BaseModel):
    status: Literal["ready", "degraded", "not ready"] = Field(description=(
        "`degraded`: a part that does not gate readiness (the relay) is wrong; still 200."))
    store: str = Field(description="`reachable`, or why the event store is not.")
    head: int | None = Field(description="the log's last position; null when unreachable")
    views: dict[str, ViewReadiness]
    problems: list[str] = Field(description="What is wrong, one line each; empty when ready.")
    parts: list[PartPublic] = Field(description="Every part: store, views, relay, sealer.")
