"""The seed course's scoring: difficulty matters, not completion alone."""

import pytest

from domain.scoring import is_allowed_score, suggested_score


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
