"""Every endpoint with every role: who is let in (any answer but 401/403) and who is not."""

from __future__ import annotations

import pytest

from tests.api.http import active, open_cycle

ROLES = ("admin", "member", "auditor", "integrator")
WRITERS = {"admin", "member"}
EVERYONE = set(ROLES)
HISTORY = {"admin", "member", "auditor"}
FEED = {"admin", "auditor", "integrator"}

ADMINS = {"admin"}
CYCLE_COMMANDS = [("POST", "/v1/cycles"), ("POST", "/v1/cycles/{cycle}/start"),
                  ("POST", "/v1/cycles/{cycle}/close")]
OBJECTIVE_COMMANDS = [
    ("POST", "/v1/objectives"),
    ("PATCH", "/v1/objectives/{objective}"), ("POST", "/v1/objectives/{objective}/key-results"),
    ("PATCH", "/v1/objectives/{objective}/key-results/{kr}"),
    ("DELETE", "/v1/objectives/{objective}/key-results/{kr}"),
    *[("POST", f"/v1/objectives/{{objective}}/{action}") for action in (
        "submit", "approve", "request-changes", "start-closing", "cancel", "return-assessment",
        "carry-over", "check-ins", "adjustments", "self-assessment", "finalize")],
    ("POST", "/v1/objectives/{objective}/adjustments/some-id/approve"),
    ("POST", "/v1/objectives/{objective}/adjustments/some-id/reject"),
]
READS = [
    ("/v1/cycles", EVERYONE), ("/v1/cycles/{cycle}", EVERYONE),
    ("/v1/cycles/{cycle}/tree", EVERYONE), ("/v1/cycles/{cycle}/summary", EVERYONE),
    ("/v1/objectives", EVERYONE), ("/v1/objectives/{objective}", EVERYONE),
    ("/v1/objectives/{objective}/key-results/{kr}/check-ins", EVERYONE),
    ("/v1/objectives/{objective}/history", HISTORY),
    ("/v1/objectives/{objective}/diff?from=1&to=2", HISTORY),
    ("/v1/audit/adjustments", HISTORY), ("/v1/events", FEED),
    ("/v1/events/schemas", EVERYONE),
]


@pytest.fixture
def world(api):
    cycle = open_cycle(api)
    objective = active(api, cycle)
    return api, {"cycle": cycle, "objective": objective["id"],
                 "kr": objective["key_results"][0]["id"]}


def refused_for_role(response):
    return response.status_code == 403 and response.json()["detail"].startswith("role '")


@pytest.mark.parametrize("role", ROLES)
def test_commands_are_for_the_writing_roles_cycle_commands_for_admins(world, role):
    api, ids = world
    caller = api.caller("bob", role)
    commands = [(c, ADMINS) for c in CYCLE_COMMANDS] + [(c, WRITERS) for c in OBJECTIVE_COMMANDS]
    for (method, path), allowed in commands:
        response = caller.request(method, path.format(**ids), json={})
        assert refused_for_role(response) == (role not in allowed), (method, path, response.text)
        assert response.status_code not in (401, 500), (method, path, response.text)


@pytest.mark.parametrize("role", ROLES)
def test_reads_are_open_to_the_roles_the_issue_names(world, role):
    api, ids = world
    caller = api.caller("someone", role)
    for path, allowed in READS:
        status = caller.get(path.format(**ids)).status_code
        assert status == (200 if role in allowed else 403), (path, status)
