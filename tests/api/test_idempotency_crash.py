"""`kill -9` under keyed writers: after a restart every key either replays what was committed
or runs fresh; none is stuck, none ran twice. On SQLite and PostgreSQL.

Eight threads post check-ins, each with a new Idempotency-Key and the key as its note; the
server is killed with SIGKILL mid-load and started again on the same store. Every key sent,
answered or not, is then retried with the same body until it is not told to wait: it must
succeed, replaying the acknowledged answer where there was one, and each key's note must be
in the log exactly once.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api.tokens import issue_token
from devtools.network import wait_for
from tests.deployment.processes import Server
from tests.stores import postgres_database

SECRET = "kill-9-test-secret-long-enough-for-hs256"
WRITERS = 8
ACKNOWLEDGED_BEFORE_KILL = 80
RESERVATION_SECONDS = 1.0


@contextmanager
def store(kind: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {"OKR_SECRET": SECRET, "OKR_DATA_DIR": str(tmp_path),
           "OKR_IDEMPOTENCY_RESERVATION_SECONDS": str(RESERVATION_SECONDS)}
    if kind == "sqlite":
        yield env
    else:
        with postgres_database() as url:
            yield {**env, "OKR_DATABASE_URL": url}


class Writers:
    """Keyed check-ins from several threads until told to stop or the server goes away."""

    def __init__(self, base: str, targets: list[tuple[str, str]]) -> None:
        self.base, self.targets = base, targets
        self.headers = {"Authorization": f"Bearer {issue_token(SECRET, 'ada', 'admin')}"}
        self.sent: dict[str, tuple[str, dict]] = {}
        self.acknowledged: dict[str, int] = {}
        self.lock, self.stopping = threading.Lock(), threading.Event()

    def run(self, number: int) -> None:
        with httpx.Client(base_url=self.base, headers=self.headers, timeout=30) as client:
            while not self.stopping.is_set():
                objective_id, kr = self.targets[number % len(self.targets)]
                key = str(uuid.uuid4())
                path = f"/v1/objectives/{objective_id}/check-ins"
                body = {"key_result_id": kr, "value": number, "confidence": 0.5, "note": key}
                with self.lock:
                    self.sent[key] = (path, body)
                try:
                    response = client.post(path, json=body, headers={"Idempotency-Key": key})
                except httpx.TransportError:
                    return
                if response.status_code == 200:
                    with self.lock:
                        self.acknowledged[key] = response.json()["position"]


def set_up(base: str) -> list[tuple[str, str]]:
    """A running cycle with four approved objectives: (objective id, KR id) each."""
    admin = {"Authorization": f"Bearer {issue_token(SECRET, 'ada', 'admin')}"}
    with httpx.Client(base_url=base, headers=admin, timeout=30) as client:
        cycle = client.post("/v1/cycles", json={"name": "Q", "starts_on": "2026-10-01",
                                                "ends_on": "2026-12-31"}).json()
        client.post(f"/v1/cycles/{cycle['id']}/start").raise_for_status()
        for person in ("rita", *(f"owner{number}" for number in range(4))):
            client.post("/v1/people", json={"subject": person, "display_name": person}
                        ).raise_for_status()
        targets = []
        for number in range(4):
            made = client.post("/v1/objectives", json={
                "cycle_id": cycle["id"], "title": f"O{number}", "owner": f"owner{number}",
                "reviewer": "rita", "level": "team", "key_results": [
                    {"title": "KR", "kind": "metric", "start": 0, "target": 100}]}).json()
            client.post(f"/v1/objectives/{made['id']}/submit").raise_for_status()
            client.post(f"/v1/objectives/{made['id']}/approve").raise_for_status()
            targets.append((made["id"], made["key_results"][0]["id"]))
    return targets


def retried(client: httpx.Client, key: str, path: str, body: dict) -> httpx.Response:
    """The key retried until it is no longer in progress (its reservation lasts a second)."""
    deadline = time.monotonic() + 30
    while True:
        response = client.post(path, json=body, headers={"Idempotency-Key": key})
        if response.status_code != 409 or time.monotonic() > deadline:
            return response
        time.sleep(float(response.headers.get("retry-after", "1")) / 4)


def notes_in_the_log(client: httpx.Client) -> list[str]:
    notes, after = [], 0
    while True:
        page = client.get(f"/v1/events?after={after}&limit=1000").json()
        notes += [e["data"]["note"] for e in page["events"]
                  if e["type"] == "okr.objective.checked_in"]
        if page["next_after"] == after:
            return notes
        after = page["next_after"]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_no_key_is_stuck_or_run_twice_after_kill_9(kind: str, tmp_path: Path) -> None:
    with store(kind, tmp_path) as env:
        first = Server(env, tmp_path / "first.log")
        try:
            first.wait_until_healthy()
            writers = Writers(first.base, set_up(first.base))
            threads = [threading.Thread(target=writers.run, args=(n,)) for n in range(WRITERS)]
            for thread in threads:
                thread.start()
            wait_for(lambda: len(writers.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL, 120,
                     "keyed writes to be acknowledged")
            first.kill()
        finally:
            writers.stopping.set()
            first.stop()
        for thread in threads:
            thread.join(timeout=60)

        second = Server(env, tmp_path / "second.log")
        try:
            second.wait_until_healthy()
            with httpx.Client(base_url=second.base, headers=writers.headers,
                              timeout=30) as client:
                for key, (path, body) in writers.sent.items():
                    response = retried(client, key, path, body)
                    assert response.status_code == 200, (key, response.text)
                    if key in writers.acknowledged:
                        assert response.headers.get("idempotent-replayed") == "true", key
                        assert response.json()["position"] == writers.acknowledged[key]
                notes = notes_in_the_log(client)
        finally:
            second.stop()

    assert len(writers.sent) >= len(writers.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL
    assert sorted(notes) == sorted(writers.sent), "each key's check-in exactly once"
