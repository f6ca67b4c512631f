"""Callers with tokens for each role, and short ways to bring an objective along its life."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.tokens import issue_token


class Caller:
    def __init__(self, client: TestClient, secret: str, name: str, role: str) -> None:
        self.client, self.name = client, name
        self.headers = {"Authorization": f"Bearer {issue_token(secret, name, role)}"}

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                **kwargs: Any) -> httpx.Response:
        return self.client.request(method, path, headers={**self.headers, **(headers or {})},
                                   **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


class Callers:
    """One caller per person in the tests' little organisation."""

    def __init__(self, client: TestClient, secret: str) -> None:
        self.client, self.secret = client, secret
        self.admin = Caller(client, secret, "ada", "admin")
        self.owner = Caller(client, secret, "bob", "member")
        self.reviewer = Caller(client, secret, "rita", "member")
        self.stranger = Caller(client, secret, "sam", "member")
        self.auditor = Caller(client, secret, "audrey", "auditor")
        self.integrator = Caller(client, secret, "ivan", "integrator")

    def caller(self, name: str, role: str) -> Caller:
        return Caller(self.client, self.secret, name, role)


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()


def metric_kr(**overrides: Any) -> dict[str, Any]:
    return {"title": "Weekly active users", "kind": "metric", "start": 0, "target": 100,
            "unit": "users", **overrides}


def open_cycle(api: Callers, name: str = "2026-Q4", starts_on: str = "2026-10-01",
               ends_on: str = "2026-12-31") -> str:
    cycle = ok(api.admin.post("/v1/cycles", {"name": name, "starts_on": starts_on,
                                             "ends_on": ends_on}), 201)
    ok(api.admin.post(f"/v1/cycles/{cycle['id']}/start"))
    return cycle["id"]


def draft(api: Callers, cycle_id: str, key_results: list[dict] | None = None,
          **fields: Any) -> dict[str, Any]:
    body = {"cycle_id": cycle_id, "title": "Delight customers", "reviewer": "rita",
            "level": "team", "key_results": [metric_kr()] if key_results is None else key_results,
            **fields}
    return ok(api.owner.post("/v1/objectives", body), 201)


def active(api: Callers, cycle_id: str, **kwargs: Any) -> dict[str, Any]:
    objective = draft(api, cycle_id, **kwargs)
    ok(api.owner.post(f"/v1/objectives/{objective['id']}/submit"))
    return ok(api.reviewer.post(f"/v1/objectives/{objective['id']}/approve"))
