"""Cycles: periods (usually quarters) that objectives belong to."""

from __future__ import annotations

from pydantic import BaseModel

from api.models.common import Body, Day, Positioned, Title
from domain.values import ScoringPolicy


class CycleCreate(Body):
    name: Title
    starts_on: Day
    ends_on: Day
    scoring_policy: ScoringPolicy = ScoringPolicy.GRADE


class CyclePublic(BaseModel):
    id: str
    name: str
    starts_on: str
    ends_on: str
    scoring_policy: str
    state: str
    version: int


class CycleResult(CyclePublic, Positioned):
    pass
