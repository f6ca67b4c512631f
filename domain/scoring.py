"""Scoring as the method teaches it: a score reflects progress *given the KR's difficulty*.

Under the default `grade` policy a KR earns the largest of 0, 0.3, 0.7 and 1.0 that is not
above min(progress, 1) x cap, where the cap is 0.3 for a committed KR and 1.0 for a stretch KR:
so an unchallenging KR completed in full scores 0.3 (and over-achieving it is still a routine
result: 0.3), a stretch KR at 70% scores 0.7 and a stretch KR at 100% scores 1.0, as in the
seed course. `linear` is plain completion rounded to a tenth.

Every rounding the method documents is decimal half-up (0.25 -> 0.3, 0.575 -> 0.58), done on
the number as written in decimal: Python's `round` works on the binary float and rounds those
down (0.575 is stored as 0.57499999...).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from domain.values import Challenge, ScoringPolicy

GRADES = (0.0, 0.3, 0.7, 1.0)
CHALLENGE_CAP = {Challenge.COMMITTED.value: 0.3, Challenge.STRETCH.value: 1.0}
LINEAR_SCORES = tuple(tenth / 10 for tenth in range(11))
SCORE_PLACES = 2
"""An objective's score, and the average of scores, to 2 decimals."""
LINEAR_PLACES = 1
PROGRESS_PLACES = 4
"""Progress, wherever it is shown (objective, tree, listing, check-ins, exports), to 4 decimals."""
_EPSILON = 1e-9
_EXACT_BEYOND = 2.0 ** 52
"""Floats this large hold no fractional digits: there is nothing to round."""


def round_half_up(value: float, places: int) -> float:
    """`value` to `places` decimals, a half rounded away from zero, as written in decimal."""
    if not math.isfinite(value) or abs(value) >= _EXACT_BEYOND:
        return value
    return float(_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def rounded_progress(value: float) -> float:
    """`value` to `PROGRESS_PLACES` decimals, half-up. Remembered per value: a view rebuilt
    from the log rounds every KR's progress and every objective's after each event (two
    decimal round trips, ~5 µs each), and progress takes few distinct values. Zeros and
    non-finite values are returned as they are (as `round_half_up` does), and are not
    remembered: 0.0 and -0.0 would share an entry, as would no two NaNs."""
    if value == 0.0 or not math.isfinite(value):
        return value
    return _rounded_progress(value)


@lru_cache(maxsize=65_536)
def _rounded_progress(value: float) -> float:
    return round_half_up(value, PROGRESS_PLACES)


def suggested_score(progress: float, challenge: str, policy: str) -> float:
    """The score the method suggests for a KR at `progress` (a ratio, may exceed 1)."""
    completed = min(max(progress, 0.0), 1.0)
    if policy == ScoringPolicy.LINEAR.value:
        return round_half_up(completed, LINEAR_PLACES)
    ceiling = completed * CHALLENGE_CAP[challenge]
    return max(grade for grade in GRADES if grade <= ceiling + _EPSILON)


def allowed_scores(policy: str) -> tuple[float, ...]:
    """The values a self-assessment or a reviewer's override may use under `policy`."""
    return LINEAR_SCORES if policy == ScoringPolicy.LINEAR.value else GRADES


def is_allowed_score(score: float, policy: str) -> bool:
    return any(abs(score - allowed) < _EPSILON for allowed in allowed_scores(policy))


def weighted_average(pairs: Iterable[tuple[float, float]]) -> float:
    """Weight-average `(value, weight)` pairs; 0 when there is no weight at all."""
    pairs = pairs if isinstance(pairs, list) else list(pairs)
    total_weight = sum([weight for _, weight in pairs])
    if total_weight <= 0:
        return 0.0
    return sum([value * weight for value, weight in pairs]) / total_weight


def rounded_score(pairs: Iterable[tuple[float, float]]) -> float:
    """The weighted average of `(score, weight)` pairs to 2 decimals, half-up, worked out in
    decimal so that scores like 0.3 and 0.7 add up exactly; 0 when there is no weight."""
    exact = [(_decimal(score), _decimal(weight)) for score, weight in pairs]
    total_weight = sum((weight for _, weight in exact), Decimal(0))
    if total_weight <= 0:
        return 0.0
    mean = sum((score * weight for score, weight in exact), Decimal(0)) / total_weight
    return float(mean.quantize(Decimal(1).scaleb(-SCORE_PLACES), rounding=ROUND_HALF_UP))


def _decimal(value: float) -> Decimal:
    """The number as written (its shortest repr), not the binary float's exact expansion."""
    return Decimal(repr(float(value)))
