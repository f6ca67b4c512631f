"""The vocabulary of the method as enums: what each field may hold."""

from __future__ import annotations

from enum import Enum, StrEnum


class Level(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    TEAM = "team"
    INDIVIDUAL = "individual"


class ObjectiveKind(StrEnum):
    BUSINESS = "business"
    NON_BUSINESS = "non_business"


class KeyResultKind(StrEnum):
    METRIC = "metric"
    THRESHOLD = "threshold"
    MILESTONE = "milestone"


class Challenge(StrEnum):
    COMMITTED = "committed"
    STRETCH = "stretch"


class Direction(StrEnum):
    """For a threshold KR: the value must stay above (>=) or below (<=) the threshold."""

    ABOVE = "above"
    BELOW = "below"


class ObjectiveState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    ACTIVE = "active"
    ADJUSTING = "adjusting"
    SCORING = "scoring"
    SCORE_REVIEW = "score_review"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class CycleState(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    CLOSED = "closed"


class ScoringPolicy(StrEnum):
    GRADE = "grade"
    LINEAR = "linear"


class AdjustmentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    """Still pending when its objective was cancelled."""


def parse_enum(enum: type[Enum], value: object, field: str) -> list[tuple[str, str]]:
    """Return a violation if `value` is not one of `enum`'s values, else nothing."""
    allowed = [member.value for member in enum]
    if value in allowed:
        return []
    return [(field, f"must be one of {', '.join(allowed)}; got {value!r}")]
