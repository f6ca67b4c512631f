"""The objective and audit templates rendered with the contexts the pages build, over a real
(in-memory) ledger and views: each person sees the forms the workflow allows them, faults sit
by their field, the version shown is the one forms send back, and charts are inline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from projections.decisions import DECISION_ACTIONS
from projections.service import ProjectionService
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER, REVIEWER, STRANGER
from web.audit_view import AuditFilters, adjustment_records, decision_page
from web.objective_context import page_context, timeline_context, version_context
from web.page_filters import FILTERS
from workflows.actors import Actor
from workflows.ledger import OKRLedger

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
BASE = "<main>{% block main %}{% endblock %}</main>"
"""The layout the web foundation provides, reduced to what these templates fill."""


@pytest.fixture(scope="module")
def env() -> Environment:
    found = Environment(loader=ChoiceLoader([FileSystemLoader(TEMPLATES),
                                             DictLoader({"base.html": BASE})]),
                        autoescape=select_autoescape())
    found.filters.update(FILTERS, percent=lambda v: "-" if v is None else f"{round(v * 100)}%",
                         state_name=lambda state: state.replace("_", " "))
    return found


@pytest.fixture
def adjusting(ledger: OKRLedger) -> tuple[str, str]:
    """Three check-ins, an approved retarget (100 to 80), then another retarget pending."""
    objective_id = active(ledger, open_cycle(ledger))
    kr = first_kr(ledger, objective_id)
    for value in (10, 20):
        ledger.check_in(OWNER, objective_id, kr, value=value, confidence=0.6)
    approved = ledger.propose_adjustment(OWNER, objective_id, "scope cut", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 80}]).created_id
    ledger.approve_adjustment(REVIEWER, objective_id, approved, "fair")
    ledger.check_in(OWNER, objective_id, kr, value=30, confidence=0.7)
    ledger.propose_adjustment(OWNER, objective_id, "lower again", [
        {"op": "retarget_key_result", "key_result_id": kr, "target": 60}])
    return objective_id, kr


@pytest.fixture
def views(ledger: OKRLedger, adjusting: tuple[str, str]) -> Iterator[ProjectionService]:
    with ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ledger=ledger) as svc:
        svc.catch_up()
        yield svc


def page(env: Environment, ledger: OKRLedger, views: ProjectionService, actor: Actor,
         objective_id: str, query: dict[str, str] | None = None, **extra: Any) -> str:
    context = page_context(ledger, views, actor, objective_id, query or {}, **extra)
    return env.get_template("objective.html").render(
        **context, done="", csrf_field=lambda: Markup('<input type="hidden" name="csrf_token">'))


def buttons(html: str) -> list[str]:
    return re.findall(r"<button[^>]*>([^<]+)</button>", html)


def test_the_reviewer_sees_the_pending_adjustment_to_decide(env, ledger, views, adjusting):
    html = page(env, ledger, views, REVIEWER, adjusting[0])
    assert {"Approve adjustment", "Reject adjustment"} <= set(buttons(html))
    assert "Check in" not in buttons(html)
    assert "target 100 \u2192 80" not in html and "target 80 \u2192 60" in html


def test_the_owner_sees_the_check_in_form_and_not_the_reviewers(env, ledger, views, adjusting):
    html = page(env, ledger, views, OWNER, adjusting[0])
    assert "Check in" in buttons(html)
    assert not {"Approve adjustment", "Reject adjustment", "Approve"} & set(buttons(html))


def test_a_member_with_no_part_in_it_sees_no_form_at_all(env, ledger, views, adjusting):
    html = page(env, ledger, views, STRANGER, adjusting[0])
    assert '<form method="post"' not in html and buttons(html) == ["Show", "Compare"]
    assert "You may not change this objective now" in html


def test_every_form_sends_back_the_version_it_was_shown_with(env, ledger, views, adjusting):
    html = page(env, ledger, views, REVIEWER, adjusting[0])
    version = ledger.objective(adjusting[0]).version
    forms = html.count('<form method="post"')
    assert forms >= 2
    assert html.count(f'<input type="hidden" name="version" value="{version}">') == forms
    assert html.count('name="csrf_token"') == forms


def test_a_fault_sits_by_its_field_and_in_the_summary(env, ledger, views, adjusting):
    html = page(env, ledger, views, OWNER, adjusting[0],
                errors={"value": "must be a number; got 'lots'"},
                values={"value": "lots", "confidence": "0.4"}, failed_action="check_in")
    field = re.search(r'<input id="field-value"[^>]*>', html)
    assert field is not None
    assert 'aria-invalid="true"' in field.group() and 'value="lots"' in field.group()
    assert 'aria-describedby="error-value"' in field.group()
    assert re.search(r'<p class="field-error" id="error-value">.*got &#39;lots&#39;</p>', html)
    assert '<a href="#field-value">Value: must be a number' in html


def test_each_kr_has_its_chart_with_a_point_per_check_in(env, ledger, views, adjusting):
    html = page(env, ledger, views, REVIEWER, adjusting[0])
    assert html.count('class="check-in"') == 3 and html.count('class="retarget"') == 1
    assert 'aria-labelledby="chart-1-title chart-1-desc"' in html


def test_the_version_slider_shows_the_older_target_and_marks_the_retarget(ledger, env,
                                                                          views, adjusting):
    objective_id, _ = adjusting
    fragment = env.get_template("objective/_version.html")
    before = fragment.render(**version_context(ledger, objective_id, {"step": "5"}))
    after = fragment.render(**version_context(ledger, objective_id, {"step": "7"}))
    target = re.compile(r'data-field="target">([^<]*?)\s*(<span class="changed-tag">changed)?<')
    before_target, after_target = target.search(before), target.search(after)
    assert before_target and before_target.groups() == ("100 users", None)
    assert after_target and after_target.group(1) == "80 users" and after_target.group(2)
    assert "approved an adjustment" in after or "Adjustment approved" in after


def test_the_slider_starts_at_the_last_command(env, ledger, views, adjusting):
    html = page(env, ledger, views, OWNER, adjusting[0])
    slider = re.search(r'<input type="range"[^>]*>', html)
    assert slider is not None and 'value="9"' in slider.group() and 'max="9"' in slider.group()
    assert '<label for="version-slider">' in html


def test_the_timeline_has_an_entry_per_command_with_role_and_why(env, ledger, views,
                                                                 adjusting):
    html = env.get_template("objective/_timeline_entries.html").render(
        **timeline_context(ledger, adjusting[0], {}))
    assert html.count('<li class="timeline-entry">') == 9
    assert "(reviewer)" in html and "<q class=\"why\">fair</q>" in html


def test_the_audit_lists_decisions_and_adjustments(env, ledger, views):
    filters = AuditFilters.parse({"person": REVIEWER.name})
    decisions, _ = decision_page(views, filters)
    html = env.get_template("audit.html").render(
        filters=filters, actions=DECISION_ACTIONS, decisions=decisions,
        adjustments=adjustment_records(views, AuditFilters.parse({})), cycles=[], titles={},
        next_link="", query="person=rita", after=0)
    assert html.count('data-action="') == 2
    assert 'href="/audit/decisions.csv?person=rita"' in html
    assert "target 100 \u2192 80" in html and "lower again" in html
