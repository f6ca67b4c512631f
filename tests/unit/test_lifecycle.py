"""A whole set -> review -> close loop through the application service."""

import pytest

from domain.errors import ValidationError
from tests.builders import active, first_kr, metric_kr, open_cycle
from tests.conftest import OWNER, REVIEWER


def close_with(ledger, objective_id, kr_scores, overrides=None):
    ledger.start_closing(OWNER, objective_id)
    ledger.self_assess(OWNER, objective_id, kr_scores)
    return ledger.finalize(REVIEWER, objective_id, overrides)


@pytest.mark.parametrize(
    ("challenge", "reached", "expected"),
    [("committed", 100, 0.3), ("stretch", 70, 0.7), ("stretch", 100, 1.0), ("stretch", 0, 0.0)],
)
def test_the_seed_scoring_cases_through_the_whole_loop(ledger, challenge, reached, expected):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id, key_results=[metric_kr(challenge=challenge)])
    kr = first_kr(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, kr, value=reached, confidence=0.8)
    suggested = ledger.objective(objective_id).key_results[kr].suggested_score("grade")
    assert suggested == expected

    result = close_with(ledger, objective_id, [{"key_result_id": kr, "score": suggested}])

    assert result.subject.state == "closed"
    assert result.subject.score == expected
    assert result.subject.key_results[kr].final_score == expected


@pytest.mark.parametrize(("challenge", "reached", "expected"),
                         [("committed", 260, 0.3), ("committed", 340, 0.3), ("stretch", 340, 1.0)])
def test_over_achieving_is_capped_at_the_kr_s_grade_through_the_whole_loop(
        ledger, challenge, reached, expected):
    """Regression: a committed KR at 260% once suggested 0.7, at 340% 1.0."""
    objective_id = active(ledger, open_cycle(ledger), key_results=[metric_kr(challenge=challenge)])
    kr = first_kr(ledger, objective_id)
    ledger.check_in(OWNER, objective_id, kr, value=reached, confidence=0.8)
    assert ledger.objective(objective_id).key_results[kr].suggested_score("grade") == expected


@pytest.mark.parametrize(("scores", "expected"), [
    ((0.7, 0.0, 0.0, 0.0), 0.18), ((1.0, 0.3, 0.7, 0.3), 0.58), ((1.0, 0.7, 0.0, 0.0), 0.43)])
def test_an_objective_s_score_rounds_half_up(ledger, scores, expected):
    """Regression: 0.175, 0.575 and 0.425 once rounded down to 0.17, 0.57 and 0.42."""
    objective_id = active(ledger, open_cycle(ledger), key_results=[
        metric_kr(title=f"kr{i}", challenge="stretch") for i in range(len(scores))])
    krs = list(ledger.objective(objective_id).key_results)
    result = close_with(ledger, objective_id, [{"key_result_id": kr, "score": score}
                                               for kr, score in zip(krs, scores, strict=True)])
    assert result.subject.score == expected


def test_objective_score_is_the_weighted_average_of_final_scores(ledger):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id, key_results=[
        metric_kr(title="a", weight=3, challenge="stretch"), metric_kr(title="b", weight=1)])
    kr_a, kr_b = ledger.objective(objective_id).key_results
    result = close_with(ledger, objective_id, [{"key_result_id": kr_a, "score": 0.7},
                                               {"key_result_id": kr_b, "score": 0.3}])
    assert result.subject.score == round((0.7 * 3 + 0.3) / 4, 2)


def test_reviewer_overrides_a_score_only_with_a_reason(ledger):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id)
    kr = first_kr(ledger, objective_id)
    ledger.start_closing(OWNER, objective_id)
    ledger.self_assess(OWNER, objective_id, [{"key_result_id": kr, "score": 0.3}])

    with pytest.raises(ValidationError, match="reason"):
        ledger.finalize(REVIEWER, objective_id, [{"key_result_id": kr, "score": 0.7}])
    result = ledger.finalize(REVIEWER, objective_id,
                             [{"key_result_id": kr, "score": 0.7, "reason": "harder than it looked"}])

    assert result.subject.key_results[kr].final_score == 0.7
    assert result.subject.key_results[kr].self_score == 0.3
    assert result.subject.key_results[kr].override_reason == "harder than it looked"


def test_self_assessment_must_use_scores_the_policy_allows_for_every_kr(ledger):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id, key_results=[metric_kr(title="a"), metric_kr(title="b")])
    kr_a, _ = ledger.objective(objective_id).key_results
    ledger.start_closing(OWNER, objective_id)

    with pytest.raises(ValidationError) as error:
        ledger.self_assess(OWNER, objective_id, [{"key_result_id": kr_a, "score": 0.5}])

    fields = [field for field, _ in error.value.violations]
    assert fields == ["scores[0].score", "scores"]
    assert ledger.objective(objective_id).state == "scoring"


def test_returning_an_assessment_sends_it_back_to_the_owner_with_a_comment(ledger):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id)
    kr = first_kr(ledger, objective_id)
    ledger.start_closing(OWNER, objective_id)
    ledger.self_assess(OWNER, objective_id, [{"key_result_id": kr, "score": 1.0}])

    with pytest.raises(ValidationError):
        ledger.return_assessment(REVIEWER, objective_id, "")
    result = ledger.return_assessment(REVIEWER, objective_id, "1.0 needs evidence")

    assert result.subject.state == "scoring"
