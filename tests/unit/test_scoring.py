"""The seed course's scoring: difficulty matters, not completion alone; rounding is decimal
half-up. The second half holds regression tests for results that once contradicted the method."""

import math

import pytest

from domain.key_result import KeyResult
from domain.scoring import is_allowed_score, round_half_up, rounded_score, suggested_score


@pytest.mark.parametrize(
    ("progress", "challenge", "expected"),
    [
        (1.0, "committed", 0.3),  # no real challenge, completed in full: ordinary
        (0.7, "stretch", 0.7),  # challenging, 70% done: excellent
        (1.0, "stretch", 1.0),  # challenging, done in full: far beyond expectations
        (0.0, "stretch", 0.0),  # no progress
        (0.0, "committed", 0.0),
        (0.69, "stretch", 0.3),
        (0.3, "stretch", 0.3),
        (0.29, "stretch", 0.0),
        (1.5, "stretch", 1.0),
        (0.99, "committed", 0.0),
    ],
)
def test_grade_policy_suggests_the_course_grades(progress, challenge, expected):
    assert suggested_score(progress, challenge, "grade") == expected


@pytest.mark.parametrize(("progress", "expected"), [(0.0, 0.0), (0.44, 0.4), (0.46, 0.5),
                                                    (1.7, 1.0)])
def test_linear_policy_is_completion_rounded_to_a_tenth(progress, expected):
    assert suggested_score(progress, "committed", "linear") == expected


def test_grade_policy_allows_only_the_four_grades():
    assert [s for s in (0, 0.3, 0.5, 0.7, 1.0, 1.1) if is_allowed_score(s, "grade")] == [
        0, 0.3, 0.7, 1.0]


def test_linear_policy_allows_tenths_from_zero_to_one():
    assert is_allowed_score(0.6, "linear") and not is_allowed_score(0.65, "linear")
    assert not is_allowed_score(1.1, "linear")


# ----- regressions: results that once contradicted the method -----------------------------


@pytest.mark.parametrize("progress", [1.0, 1.01, 2.6, 3.4, 1e6])
def test_an_over_achieved_committed_kr_is_still_a_routine_result(progress):
    """A committed KR at 260% once suggested 0.7 and at 340% 1.0 (progress x cap, uncapped)."""
    assert suggested_score(progress, "committed", "grade") == 0.3


@pytest.mark.parametrize(("progress", "expected"), [(0.25, 0.3), (0.35, 0.4), (0.85, 0.9),
                                                    (0.05, 0.1), (0.15, 0.2), (0.45, 0.5)])
def test_linear_suggestions_round_half_up(progress, expected):
    """Binary `round` once gave 0.25 -> 0.2, 0.35 -> 0.3, 0.85 -> 0.8."""
    assert suggested_score(progress, "stretch", "linear") == expected


@pytest.mark.parametrize(("value", "places", "expected"), [
    (0.175, 2, 0.18), (0.575, 2, 0.58), (0.425, 2, 0.43), (0.125, 2, 0.13), (2.675, 2, 2.68),
    (0.12344, 4, 0.1234), (0.12345, 4, 0.1235), (-0.575, 2, -0.58), (1e300, 2, 1e300)])
def test_rounding_is_decimal_half_up(value, places, expected):
    assert round_half_up(value, places) == expected


@pytest.mark.parametrize(("pairs", "expected"), [
    ([(0.7, 1), (0.0, 1), (0.0, 1), (0.0, 1)], 0.18),  # 0.175
    ([(1.0, 1), (0.3, 1), (0.7, 1), (0.3, 1)], 0.58),  # 0.575
    ([(1.0, 1), (0.7, 1), (0.0, 1), (0.0, 1)], 0.43),  # 0.425
    ([(0.7, 3), (0.3, 1)], 0.6), ([], 0.0)])
def test_an_objective_score_is_the_weighted_mean_rounded_half_up(pairs, expected):
    """Binary `round` once gave 0.175 -> 0.17, 0.575 -> 0.57, 0.425 -> 0.42."""
    assert rounded_score(pairs) == expected


@pytest.mark.parametrize("target", [5e-324, 1e-310, -5e-324, 1e-300])
def test_progress_is_finite_however_close_target_and_start_are(target):
    """A subnormal target - start once gave an infinite ratio, read back as `progress: null`."""
    kr = KeyResult(id="k", title="t", kind="metric", start=0.0, target=target, current=1e15)
    assert math.isfinite(kr.progress) and kr.progress == 0.0
    assert suggested_score(kr.progress, "stretch", "grade") == 0.0
