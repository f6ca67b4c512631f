"""What the health routes answer."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.readiness import Readiness


class Health(BaseModel):
    status: str


class PartPublic(BaseModel):
    kind: str = Field(description="store, view, relay or sealer")
    name: str = Field(description="the view's name; else the kind again")
    ok: bool
    gating: bool = Field(description="whether this part being wrong makes the server not ready")
    position: int | None = Field(description="the last log position it has reached")
    lag: int | None = Field(description="how many positions it is behind the log")
    state: str = Field(description="ok, behind, failing, unreachable, unreadable")
    problem: str | None = Field(description="what is wrong, if anything")


class ReadinessPublic(BaseModel):
    status: str = Field(description="ready, degraded (a part that does not gate is wrong: "
                                    "still 200) or not_ready (503)")
    head: int | None = Field(description="the log's last position; null when unreachable")
    problems: list[str]
    parts: list[PartPublic]

    @classmethod
    def of(cls, readiness: Readiness) -> ReadinessPublic:
        return cls(status=readiness.overall.value, head=readiness.head,
                   problems=readiness.problems(),
                   parts=[PartPublic(**vars(part)) for part in readiness.parts])
