"""An objective whose stored events were tampered with in the database answers with a problem
that names the fault, for reads and writes alike, never a bare 500 (nor a write that retries
for ever), on SQLite and PostgreSQL."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import SECRET, serving
from tests.api.http import Callers, active, ok, open_cycle
from tests.stores import postgres_database
from tests.tampering import delete_version
from workflows.settings import Settings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """No background parts: the objective's own answers are tested here, not the integrity
    check that would refuse writes too (tests/api/test_fail_safe.py)."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path, database_url="", secret=SECRET, background=False)
    else:
        with postgres_database() as url:
            yield Settings(data_dir=tmp_path, database_url=url, secret=SECRET,
                           background=False)


def check_in(api: Callers, objective: dict, value: int):
    kr = objective["key_results"][0]["id"]
    return api.owner.post(f"/v1/objectives/{objective['id']}/check-ins",
                          {"key_result_id": kr, "value": value, "confidence": 0.5})


def an_objective_with_history(settings: Settings) -> dict:
    with serving(settings) as api:
        objective = active(api, open_cycle(api))
        for value in (10, 20, 30):
            objective = ok(check_in(api, objective, value))
        return objective


def assert_damaged(response, objective_id: str, version: int) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Damaged history"
    assert (body["kind"], body["id"], body["version"]) == ("objective", objective_id, version)
    assert f"stored history is damaged: version {version} is missing" in body["detail"]


def test_a_deleted_middle_event_is_named_by_reads_and_writes(settings):
    objective = an_objective_with_history(settings)
    delete_version(settings.persistence_env(), objective["id"], 3)

    with serving(settings) as api:  # a server that starts after the damage
        path = f"/v1/objectives/{objective['id']}"
        for response in (api.owner.get(path), api.owner.get(f"{path}/history"),
                         api.auditor.get(f"{path}/diff?from=1&to=5"),
                         check_in(api, objective, 40),
                         api.owner.patch(path, {"title": "Renamed"})):
            assert_damaged(response, objective["id"], 3)
        assert ok(api.owner.get(f"{path}?version=2"))["version"] == 2, \
            "the versions before the damage stay readable"


def test_a_write_after_a_deleted_last_event_is_refused_not_retried_for_ever(settings):
    objective = an_objective_with_history(settings)
    last = objective["version"]
    delete_version(settings.persistence_env(), objective["id"], last)

    with serving(settings) as api:
        assert_damaged(check_in(api, objective, 40), objective["id"], last)
