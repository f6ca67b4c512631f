"""What operators switch on: gzip, CORS, `okr status`, and a real `okr serve`'s logs and metrics."""

from __future__ import annotations

import json
import subprocess
from contextlib import nullcontext

import httpx
import pytest

from api.cli import main
from api.demo import load_demo
from devtools.network import free_port, wait_for
from tests.api.conftest import SECRET, serving
from tests.api.http import ok, open_cycle
from tests.api.test_server import OKR, token, wait_until_healthy
from tests.deployment.processes import Server, started
from tests.stores import postgres_database
from workflows.ledger import OKRLedger
from workflows.settings import Settings

ORIGIN = "https://okr.example.com"
MOST_REQUESTS = 200
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization,content-type,idempotency-key"}


def test_answers_of_a_kibibyte_or_more_are_gzipped_for_callers_that_accept_it(api):
    for number in range(8):
        cycle_id = open_cycle(api, name=f"20{30 + number}-Q1", starts_on=f"20{30 + number}-01-01",
                   ends_on=f"20{30 + number}-03-31")
    big = api.admin.get("/v1/cycles", headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert len(big.json()) == 8
    small = api.admin.get(f"/v1/cycles/{cycle_id}", headers={"Accept-Encoding": "gzip"})
    assert 0 < len(small.content) < 1024
    assert "content-encoding" not in small.headers
    plain = api.admin.get("/v1/cycles", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.json()) == 8


def test_cors_is_off_unless_origins_are_configured(api):
    preflight = api.client.options("/v1/cycles", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in api.admin.get(
        "/v1/cycles", headers={"Origin": ORIGIN}).headers


def test_configured_origins_may_call_the_api_and_read_its_headers(tmp_path):
    settings = Settings(data_dir=tmp_path, secret=SECRET, cors_origins=f"{ORIGIN}, http://x:8080")
    with serving(settings) as api:
        preflight = api.client.options("/v1/cycles", headers=PREFLIGHT)
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()
        answer = api.admin.get("/v1/cycles", headers={"Origin": ORIGIN})
        assert answer.headers["access-control-allow-origin"] == ORIGIN
        assert "X-Request-ID" in answer.headers["access-control-expose-headers"]
        other = api.client.options("/v1/cycles", headers={**PREFLIGHT, "Origin": "https://evil"})
        assert "access-control-allow-origin" not in other.headers


def test_a_malformed_origin_is_refused_naming_the_variable(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("OKR_CORS_ORIGINS", "okr.example.com")
    assert main(["status", "--data-dir", str(tmp_path)]) == 2
    assert "OKR_CORS_ORIGINS: each origin must look like https://host[:port]" in \
        capsys.readouterr().err


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_okr_status_prints_each_view_position_and_lag(kind, tmp_path, capsys):
    with postgres_database() if kind == "postgres" else nullcontext("") as url:
        store = ["--data-dir", str(tmp_path)] + (["--database-url", url] if url else [])
        ledger = OKRLedger(Settings(data_dir=tmp_path, database_url=url).persistence_env())
        load_demo(ledger)
        head = ledger.recorder.max_notification_id()
        ledger.close()
        assert main(["status", "--max-view-lag", "5", *store]) == 1
        printed = capsys.readouterr().out
        assert printed.startswith(f"not ready (the log is at position {head})")
        assert f"view tree        behind      position 0  lag {head}" in printed
        assert main(["projections", "catch-up", *store]) == 0
        capsys.readouterr()
        assert main(["status", "--json", *store]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["status"] == "ready" and report["head"] == head
        assert [(p["name"], p["lag"]) for p in report["parts"] if p["kind"] == "view"] == [
            ("tree", 0), ("audit", 0), ("check_ins", 0), ("decisions", 0)]
        sealer = [p for p in report["parts"] if p["kind"] == "sealer"]
        assert [(p["position"], p["lag"], p["gating"]) for p in sealer] == [(0, head, False)]


def test_okr_serve_logs_json_lines_and_serves_metrics_on_its_private_port(tmp_path):
    port, metrics_port = free_port(), free_port()
    process = subprocess.Popen(
        [OKR, "serve", "--demo", "--port", str(port), "--data-dir", str(tmp_path)],
        env={"OKR_METRICS_PORT": str(metrics_port), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process)
        answer = httpx.get(f"{base}/v1/cycles", headers={**token(tmp_path, "dana", "member"),
                                                         "X-Request-ID": "e2e-1"})
        assert ok(answer)[0]["name"] == "2026-Q4"
        scrape = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
        assert 'okr_http_requests_total{method="GET",route="/v1/cycles",status="200"} 1.0' \
            in scrape
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=15)
    lines = [json.loads(line) for line in errors.splitlines()]
    access = [line for line in lines if line.get("request_id") == "e2e-1"]
    assert [(line["logger"], line["subject"], line["route"], line["status"])
            for line in access] == [("okr.access", "dana", "/v1/cycles", 200)]
    assert any(line["message"].startswith("Application shutdown complete") for line in lines)


def test_with_two_workers_a_scrape_of_either_counts_the_requests_of_both(tmp_path):
    metrics_port = free_port()
    env = {"OKR_DATA_DIR": str(tmp_path), "OKR_METRICS_PORT": str(metrics_port),
           "OKR_LOG_FORMAT": "json"}
    (server,) = started([Server(env, tmp_path / "serve.log", "--workers", "2")])
    try:
        wait_for(lambda: server.log().count("Application startup complete") == 2, 60,
                 "both workers to start")
        sent = 0
        while len(answering_processes(server)) < 2 and sent < MOST_REQUESTS:
            with httpx.Client(base_url=server.base) as fresh_connection:
                assert fresh_connection.get("/v1/cycles").status_code == 401
            sent += 1
        assert len(answering_processes(server)) == 2, f"one worker answered all {sent}"
        for _ in range(4):
            scrape = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
            assert f'okr_http_requests_total{{method="GET",route="/v1/cycles",status="401"}} ' \
                   f'{float(sent)}' in scrape
    finally:
        server.stop()


def answering_processes(server: Server) -> set[int]:
    lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    return {line["process"] for line in lines if line.get("route") == "/v1/cycles"}
