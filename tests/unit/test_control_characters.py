"""Control characters are refused in every text the ledger stores, by the domain's own checks:
the API, the CLI and any other caller get the same error, naming the field. Tab and line
breaks are text; NUL, escape, the other C0 and C1 controls and lone surrogates are not
(PostgreSQL cannot even store a NUL, and one stopped every view)."""

import pytest

from domain.errors import ValidationError
from tests.builders import active, draft, first_kr, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER, REVIEWER

BAD = ["a\x00b", "bell\x07", "esc\x1b[31m", "del\x7f", "c1\x85", "lone \ud800"]


def refused(call) -> list[str]:
    with pytest.raises(ValidationError) as error:
        call()
    return [field for field, _ in error.value.violations]


@pytest.mark.parametrize("bad", BAD)
def test_objective_and_key_result_texts_refuse_control_characters(ledger, bad):
    cycle_id = open_cycle(ledger)
    assert refused(lambda: draft(ledger, cycle_id, title=bad, description=bad)) == [
        "title", "description"]
    assert refused(lambda: draft(ledger, cycle_id, key_results=[
        metric_kr(title=bad, unit=bad)])) == ["key_results[0].title", "key_results[0].unit"]
    assert refused(lambda: ledger.open_cycle(ADMIN, name=bad, starts_on="2027-01-01",
                                             ends_on="2027-03-31")) == ["name"]
    objective_id = draft(ledger, cycle_id)
    assert refused(lambda: ledger.edit_objective(ADMIN, objective_id, {"owner": bad})) == [
        "owner"]
    assert refused(lambda: ledger.remove_key_result(
        OWNER, objective_id, first_kr(ledger, objective_id), reason=bad)) == ["reason"]


@pytest.mark.parametrize("bad", BAD)
def test_notes_comments_and_reasons_refuse_control_characters(ledger, bad):
    objective_id = active(ledger, open_cycle(ledger))
    kr = first_kr(ledger, objective_id)
    assert refused(lambda: ledger.check_in(OWNER, objective_id, kr, value=5, confidence=0.5,
                                           note=bad)) == ["note"]
    assert refused(lambda: ledger.propose_adjustment(OWNER, objective_id, bad, [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 90}])) == ["reason"]
    assert refused(lambda: ledger.cancel(OWNER, objective_id, bad)) == ["reason"]
    ledger.start_closing(OWNER, objective_id)
    assert refused(lambda: ledger.self_assess(OWNER, objective_id, [
        {"key_result_id": kr, "score": 0.3, "note": bad}])) == ["scores[0].note"]
    ledger.self_assess(OWNER, objective_id, [{"key_result_id": kr, "score": 0.3}])
    assert refused(lambda: ledger.finalize(REVIEWER, objective_id, [
        {"key_result_id": kr, "score": 0.0, "reason": bad}])) == ["scores[0].reason"]
    assert refused(lambda: ledger.return_assessment(REVIEWER, objective_id, bad)) == ["comment"]


def test_tabs_and_line_breaks_are_text(ledger):
    objective_id = active(ledger, open_cycle(ledger), description="line one\r\nline two\tend")
    ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=5,
                    confidence=0.5, note="first\nsecond\ttabbed")
    assert ledger.objective(objective_id).description == "line one\r\nline two\tend"
