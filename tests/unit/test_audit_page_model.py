"""The audit page's filters: parsed from the query, faults named by filter, and asked of the
views as the API asks them; the CSV download is `okr export`'s."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from projections.service import ProjectionService
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER, REVIEWER
from web.audit_view import AuditFilters, adjustment_records, decision_page, decisions_csv
from workflows.ledger import OKRLedger


@pytest.fixture
def views(ledger: OKRLedger) -> Iterator[ProjectionService]:
    objective_id = active(ledger, open_cycle(ledger))
    ledger.propose_adjustment(OWNER, objective_id, "scope", [
        {"op": "retarget_key_result", "key_result_id": first_kr(ledger, objective_id),
         "target": 80}])
    ledger.approve_adjustment(REVIEWER, objective_id,
                              ledger.objective(objective_id).pending_adjustment_id or "", "ok")
    with ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ledger=ledger) as svc:
        svc.catch_up()
        yield svc


def test_filters_at_fault_are_named_and_left_out():
    filters = AuditFilters.parse({"action": "shredded", "since": "last week",
                                  "until": "2026-11-30", "person": " rita "})
    assert set(filters.errors) == {"action", "since"}
    assert (filters.action, filters.since, filters.person) == (None, None, "rita")


def test_an_end_before_the_start_is_refused():
    filters = AuditFilters.parse({"since": "2026-11-30", "until": "2026-11-01"})
    assert list(filters.errors) == ["until"] and filters.until is None


def test_the_last_day_is_included():
    filters = AuditFilters.parse({"since": "2026-11-01", "until": "2026-11-30"})
    where = filters.decisions()
    assert where.since == datetime(2026, 11, 1, tzinfo=UTC)
    assert where.until == datetime(2026, 12, 1, tzinfo=UTC)


def test_filters_go_back_into_links_as_given():
    query = {"cycle": "c1", "action": "approved", "until": "2026-11-30"}
    assert AuditFilters.parse(query).query() == query


def test_decisions_are_filtered_by_person_and_action(views):
    entries, _ = decision_page(views, AuditFilters.parse({"person": REVIEWER.name}))
    assert [e["action"] for e in entries] == ["approved", "adjustment_approved"]
    entries, _ = decision_page(views, AuditFilters.parse({"action": "adjustment_proposed"}))
    assert [(e["actor"], e["role"]) for e in entries] == [(OWNER.name, "owner")]


def test_dates_filter_decisions(views):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert decision_page(views, AuditFilters.parse({"since": tomorrow}))[0] == []


def test_the_adjustment_audit_filters_by_owner(views):
    assert len(adjustment_records(views, AuditFilters.parse({"person": OWNER.name}))) == 1
    assert adjustment_records(views, AuditFilters.parse({"person": REVIEWER.name})) == []


def test_the_download_is_the_exports_csv(views):
    rows = list(csv.DictReader(io.StringIO(decisions_csv(
        views, AuditFilters.parse({"action": "adjustment_approved"})))))
    assert [(row["action"], row["actor"], row["reason"]) for row in rows] == [
        ("adjustment_approved", REVIEWER.name, "ok")]
    assert '"target": 80' in rows[0]["changes"]
