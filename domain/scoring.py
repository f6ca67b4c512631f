"""Scoring as the method teaches it: a score reflects progress *given the KR's difficulty*.

Under the default `grade` policy a KR earns the largest of 0, 0.3, 0.7 and 1.0 that is not
above progress x cap, where the cap is 0.3 for a committed KR and 1.0 for a stretch KR: so an
unchallenging KR completed in full scores 0.3, a stretch KR at 70% scores 0.7 and a stretch KR
at 100% scores 1.0, as in the seed course. `linear` is plain completion rounded to a tenth.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.values import Challenge, ScoringPolicy

GRADES = (0.0, 0.3, 0.7, 1.0)
CHALLENGE_CAP = {Challenge.COMMITTED.value: 0.3, Challenge.STRETCH.value: 1.0}
LINEAR_SCORES = tuple(round(tenth / 10, 1) for tenth in range(11))
_EPSILON = 1e-9


def suggested_score(progress: float, challenge: str, policy: str) -> float:
    """The score the method suggests for a KR at `progress` (a ratio, may exceed 1)."""
    if policy == ScoringPolicy.LINEAR.value:
        return round(min(max(progress, 0.0), 1.0), 1)
    ceiling = max(progress, 0.0) * CHALLENGE_CAP[challenge]
    return max(grade for grade in GRADES if grade <= ceiling + _EPSILON)


def allowed_scores(policy: str) -> tuple[float, ...]:
    """The values a self-assessment or a reviewer's override may use under `policy`."""
    return LINEAR_SCORES if policy == ScoringPolicy.LINEAR.value else GRADES


def is_allowed_score(score: float, policy: str) -> bool:
    return any(abs(score - allowed) < _EPSILON for allowed in allowed_scores(policy))


def weighted_average(pairs: Iterable[tuple[float, float]]) -> float:
    """Weight-average `(value, weight)` pairs; 0 when there is no weight at all."""
    pairs = list(pairs)
    total_weight = sum(weight for _, weight in pairs)
    if total_weight <= 0:
        return 0.0
    return sum(value * weight for value, weight in pairs) / total_weight
