"""Fail safe, not silent: a server that finds its log tampered with refuses writes (503, with
the reason) and says so in /readyz and /v1/audit/integrity, until an admin acknowledges the
fault with `okr audit acknowledge --reason`, which is recorded as an event."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import main
from tests.api.conftest import SECRET, serving
from tests.api.http import active, ok, open_cycle
from tests.projection_helpers import comes_true
from tests.stores import postgres_database
from tests.tampering import execute, stored_id
from workflows.settings import Settings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path, database_url="", secret=SECRET,
                       integrity_check_seconds=0)
    else:
        with postgres_database() as url:
            yield Settings(data_dir=tmp_path, database_url=url, secret=SECRET,
                           integrity_check_seconds=0)


def where(settings: Settings) -> list[str]:
    return ["--data-dir", str(settings.data_dir),
            *(["--database-url", settings.database_url] if settings.database_url else [])]


def check_in(api, objective):
    return api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                          {"key_result_id": objective["key_results"][0]["id"], "value": 10,
                           "confidence": 0.5})


def test_a_tampered_log_refuses_writes_until_an_admin_acknowledges(settings):
    with serving(settings) as api:
        objective = active(api, open_cycle(api))
        assert api.admin.post("/v1/audit/checkpoints").status_code == 200
    env = settings.persistence_env()
    [(position, state)] = execute(env, "SELECT {position}, state FROM {events} WHERE "
                                       "originator_id = %s AND originator_version = 1",
                                  (stored_id(env, objective["id"]),))
    edited = bytes(state).replace(b"Delight customers", b"Delight investors")
    assert edited != bytes(state)
    execute(env, "UPDATE {events} SET state = %s WHERE {position} = %s", (edited, position))

    with serving(settings) as api:  # checks the log as it starts
        assert comes_true(lambda: api.client.get("/readyz").json()["status"] == "degraded")
        ready = api.client.get("/readyz")
        assert ready.status_code == 200, "reads go on"
        assert any(f"edited at position {position}" in problem
                   for problem in ready.json()["problems"])
        refused = check_in(api, objective)
        assert refused.status_code == 503, refused.text
        assert refused.json()["title"] == "Writes refused"
        assert "okr audit acknowledge" in refused.json()["detail"]
        report = ok(api.auditor.get("/v1/audit/integrity"))
        assert report["refusing_writes"] is True
        assert ("edited", position) in [(f["kind"], f["position"])
                                        for f in report["alarms"][0]["faults"]]

        assert main(["audit", "acknowledge", "--reason", "restored event from backup",
                     "--by", "ada", *where(settings)]) == 0
        assert comes_true(lambda: check_in(api, objective).status_code == 200)
        assert ok(api.auditor.get("/v1/audit/integrity"))["refusing_writes"] is False
    [(count,)] = execute(settings.persistence_env(),
                         "SELECT COUNT(*) FROM {events} WHERE topic LIKE %s",
                         ("%FaultsAcknowledged%",))
    assert count == 1, "the acknowledgement is an event in the log"


def sealed(api) -> bool:
    return any(part["kind"] == "sealer" and part["lag"] == 0
               for part in api.client.get("/readyz").json()["parts"])


def test_a_cached_objective_is_read_again_once_the_check_finds_its_events_tampered(settings,
                                                                                   logged):
    checking = settings.model_copy(update={"integrity_check_seconds": 0.2})
    with serving(checking) as api:
        objective = active(api, open_cycle(api))
        path = f"/v1/objectives/{objective['id']}"
        assert ok(api.owner.get(path))["title"] == "Delight customers"  # cached from here on
        assert comes_true(lambda: sealed(api))
        env = settings.persistence_env()
        [(position, state)] = execute(env, "SELECT {position}, state FROM {events} WHERE "
                                           "originator_id = %s AND originator_version = 1",
                                      (stored_id(env, objective["id"]),))
        execute(env, "UPDATE {events} SET state = %s WHERE {position} = %s",
                (bytes(state).replace(b"Delight customers", b"Delight investors"), position))

        assert comes_true(lambda: ok(api.owner.get(path))["title"] == "Delight investors"), \
            "the cache went on serving the history as it was before the tampering"
        refused = api.owner.post(f"{path}/check-ins", {
            "key_result_id": objective["key_results"][0]["id"], "value": 10,
            "confidence": 0.5}, headers={"X-Request-ID": "refused-1"})
        assert refused.status_code == 503
    lines = [json.loads(line) for line in logged.getvalue().splitlines()]
    [line] = [line for line in lines if line["message"].startswith("write refused")]
    assert line["level"] == "WARNING" and line["request_id"] == "refused-1"
    assert f"edited at position {position}" in line["fault"]
