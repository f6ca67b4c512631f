"""Liveness and readiness: what probes ask, and what `/readyz` says is wrong."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from devtools.network import wait_for
from tests.api.conftest import SECRET, serving
from tests.api.http import active, ok, open_cycle
from tests.stores import SERVER, postgres_database
from workflows.settings import Settings


def test_livez_and_healthz_answer_without_a_token(api):
    for path in ("/livez", "/healthz"):
        assert ok(api.client.get(path)) == {"status": "ok"}


def test_a_fresh_server_is_ready_and_names_every_part(stored_api):
    api = stored_api
    cycle_id = open_cycle(api)
    checked = active(api, cycle_id)
    wait_for(lambda: views_caught_up(api), 10, "the views to catch up")
    ready = ok(api.client.get("/readyz"))
    assert ready["status"] == "ready" and ready["problems"] == []
    assert ready["head"] >= checked["position"]
    parts = {(part["kind"], part["name"]): part for part in ready["parts"]}
    assert set(parts) == {("store", "store"), ("view", "tree"), ("view", "audit"),
                          ("view", "check_ins"), ("view", "decisions"), ("sealer", "sealer"),
                          ("integrity", "integrity")}
    assert all(part["ok"] and part["lag"] == 0 for kind, part in parts.items()
               if kind[0] == "view")


def test_views_further_behind_than_allowed_are_not_ready(tmp_path):
    """Served with no process following the log (`--no-background` and no `okr worker`)."""
    settings = Settings(data_dir=tmp_path, secret=SECRET, ready_max_view_lag=2, background=False)
    with serving(settings) as api:
        open_cycle(api)
        open_cycle(api, name="2027-Q1", starts_on="2027-01-01", ends_on="2027-03-31")
        answer = api.client.get("/readyz")
        assert answer.status_code == 503
        body = answer.json()
        assert body["status"] == "not ready"
        assert any(problem.startswith("tree: ") and "behind the log (at most 2 allowed)"
                   in problem for problem in body["problems"])
        api.client.app.state.projections.catch_up()
        assert api.client.get("/readyz").status_code == 200


def test_views_failing_a_batch_degrade_the_server_until_they_fall_too_far_behind(tmp_path):
    """A failure the views retry (their store erring, here a table gone) degrades; stopping on
    an event (a dead letter) is not ready at once: tests/api/test_readiness.py."""
    settings = Settings(data_dir=tmp_path, secret=SECRET, ready_max_view_lag=3)
    with serving(settings) as api:
        objective = active(api, open_cycle(api))
        wait_for(lambda: views_caught_up(api), 10, "the views to catch up")
        with sqlite3.connect(tmp_path / "okr.check_ins.sqlite3") as views:
            views.execute("DROP TABLE check_in_series")
        path = f"/v1/objectives/{objective['id']}/check-ins"
        kr = objective["key_results"][0]["id"]
        ok(api.owner.post(path, {"key_result_id": kr, "value": 5, "confidence": 0.5}))
        wait_for(lambda: api.client.get("/readyz").json()["status"] == "degraded", 10,
                 "the failure to show")
        degraded = api.client.get("/readyz")
        assert degraded.status_code == 200
        failing = [part for part in degraded.json()["parts"] if part["state"] == "failing"]
        assert {part["name"] for part in failing} == {"tree", "audit", "check_ins", "decisions"}
        assert "no such table: check_in_series" in failing[0]["problem"]
        for value in (6, 7, 8):
            ok(api.owner.post(path, {"key_result_id": kr, "value": value, "confidence": 0.5}))
        behind = api.client.get("/readyz")
        assert behind.status_code == 503 and behind.json()["status"] == "not ready"
        assert ok(api.client.get("/livez")) == {"status": "ok"}


@pytest.mark.postgres
def test_a_store_that_does_not_answer_is_reported_unreachable_in_time(tmp_path):
    with postgres_database() as url:
        settings = Settings(data_dir=tmp_path, database_url=url, secret=SECRET,
                            ready_timeout_seconds=0.5)
        with serving(settings) as api:
            assert api.client.get("/readyz").status_code == 200
            with database_gone(url):
                answer = api.client.get("/readyz")
                assert answer.status_code == 503
                body = answer.json()
                assert body["head"] is None
                assert body["problems"] == ["store: the store did not answer within 0.5 s"]


def views_caught_up(api) -> bool:
    parts = api.client.get("/readyz").json()["parts"]
    return all(part["lag"] == 0 for part in parts if part["kind"] == "view")


@contextmanager
def database_gone(url: str) -> Iterator[None]:
    """The server's database dropped under it (its connections cut), then made again, empty,
    so the server can stop without waiting out its pool's retries."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(host=SERVER.host, port=SERVER.port, user=SERVER.user,
                         dbname=SERVER.admin_db, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        try:
            yield
        finally:
            admin.execute(f'CREATE DATABASE "{name}"')
