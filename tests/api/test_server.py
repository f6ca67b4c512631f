"""The real thing: `okr serve` in its own process, driven over HTTP on a free port."""

from __future__ import annotations

import json
import select
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devtools.network import free_port

OKR = str(Path(sys.executable).parent / "okr")
STARTUP_SECONDS = 30


def wait_until_healthy(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"okr serve did not answer /healthz within {STARTUP_SECONDS} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen(
        [OKR, "serve", "--demo", "--port", str(port), "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process)
        yield base, tmp_path, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def token(data_dir: Path, subject: str, role: str) -> dict[str, str]:
    issued = subprocess.run([OKR, "token", "issue", "--subject", subject, "--role", role,
                             "--data-dir", str(data_dir)], capture_output=True, text=True,
                            check=True)
    return {"Authorization": f"Bearer {issued.stdout.strip()}"}


def test_okr_serve_loads_the_demo_and_serves_commands_and_a_live_stream(server):
    base, data_dir, process = server
    admin = token(data_dir, "ada", "admin")
    with httpx.Client(base_url=base, headers=admin, timeout=10) as client:
        cycles = client.get("/v1/cycles").json()
        assert [c["name"] for c in cycles] == ["2026-Q4"]
        last = client.get("/v1/events?limit=1000").json()["next_after"]
        assert last > 0
        assert client.get("/docs").status_code == 200
        tree = client.get(f"/v1/cycles/{cycles[0]['id']}/tree?min_position={last}").json()
        assert [root["title"] for root in tree] == ["Become the platform of choice"]
        assert tree[0]["children"][0]["level"] == "department"

        with client.stream("GET", f"/v1/events/stream?after={last}") as stream:
            lines = stream.iter_lines()
            assert next(lines) == ": connected"
            created = client.post("/v1/cycles", json={
                "name": "2027-Q1", "starts_on": "2027-01-01", "ends_on": "2027-03-31"})
            assert created.status_code == 201
            event = _next_event(lines)
        assert event["type"] == "okr.cycle.opened"
        assert event["subject"] == created.json()["id"]
        assert last < event["position"] <= created.json()["position"]
        assert client.get("/healthz").status_code == 200

        resumed = {"Last-Event-ID": str(event["position"] - 1)}
        with client.stream("GET", "/v1/events/stream", headers=resumed) as stream:
            assert _next_event(stream.iter_lines())["id"] == event["id"]

    assert _first_tailed_event(data_dir, after=event["position"] - 1)["id"] == event["id"]
    process.terminate()
    process.wait(timeout=15)
    output = process.stdout.read()
    assert "Admin token" in output
    assert "Application shutdown complete" in output


def _next_event(lines: Iterator[str]) -> dict:
    for line in lines:
        if line.startswith("data: "):
            return json.loads(line.removeprefix("data: "))
    raise AssertionError("the stream ended without an event")


def _first_tailed_event(data_dir: Path, after: int) -> dict:
    """`okr events tail --follow` prints what is there and keeps going until stopped."""
    tail = subprocess.Popen([OKR, "events", "tail", "--follow", "--after", str(after),
                             "--data-dir", str(data_dir)], stdout=subprocess.PIPE, text=True)
    assert tail.stdout is not None
    try:
        ready, _, _ = select.select([tail.stdout], [], [], STARTUP_SECONDS)
        assert ready, f"okr events tail printed nothing within {STARTUP_SECONDS} s"
        return json.loads(tail.stdout.readline())
    finally:
        tail.terminate()
        tail.wait(timeout=15)


def _serve_once(data_dir: Path, *extra: str) -> str:
    """Start `okr serve` on `data_dir`, wait until it answers, stop it; what it printed."""
    port = free_port()
    process = subprocess.Popen([OKR, "serve", "--port", str(port), "--data-dir", str(data_dir),
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert process.stdout is not None
    return process.stdout.read()


def test_the_demo_token_is_printed_only_when_the_demo_went_into_an_empty_store(tmp_path):
    assert "Admin token" in _serve_once(tmp_path, "--demo")
    again = _serve_once(tmp_path, "--demo")
    assert "Admin token" not in again and "eyJ" not in again
    assert "not empty" in again


def test_a_new_data_dir_and_its_files_are_private_to_their_owner(tmp_path):
    data_dir = tmp_path / "fresh"
    _serve_once(data_dir)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    files = list(data_dir.iterdir())
    assert {f.name for f in files} >= {"okr.sqlite3", "okr.tree.sqlite3", "token-secret.key"}
    assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {
        f.name: 0o600 for f in files}


def test_an_existing_data_dir_others_may_read_is_reported_at_start(tmp_path):
    data_dir = tmp_path / "shared"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    printed = _serve_once(data_dir)
    assert "readable by others" in printed and "chmod 700" in printed
