"""The relay's status where operators look — `/metrics`, `/readyz`, `okr status` — for a server
that runs the relay against a real broker (Tansu), and, through a proxy the test cuts, what
they say while the broker cannot be reached: the relay failing, the server degraded (still
ready: the relay does not gate), and ready again once the relay has caught up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from stream.cloudevents import read_feed
from stream.published_count import RELAY_PUBLISHED
from tests.api.conftest import SECRET, serving
from tests.api.http import Callers, active, ok, open_cycle
from tests.api.test_metrics import scraped
from tests.kafka.support import ids
from tests.kafka.tcp_proxy import TcpProxy
from tests.kafka_broker import TopicReader, create_topic, wait_for
from tests.stores import postgres_database
from workflows.settings import Settings

SECONDS = 15


@contextmanager
def database_url(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        yield ""
        return
    with postgres_database() as url:
        yield url


def relay_settings(tmp_path: Path, url: str, bootstrap: str, topic: str) -> Settings:
    """A server that runs the relay (its background parts), failing a batch after a second
    when the broker does not answer; no checkpoint topic, so only the events' relay runs."""
    return Settings(data_dir=tmp_path, database_url=url, secret=SECRET, kafka_bootstrap=bootstrap,
                    kafka_topic=topic, kafka_checkpoint_topic="", relay_poll_interval=0.02,
                    kafka_delivery_timeout_ms=1000)


def relay_part(api: Callers, readiness: dict[str, Any] | None = None) -> dict[str, Any]:
    """The relay's part of `readiness` (by default, of a `/readyz` asked now)."""
    (part,) = [part for part in (readiness or api.client.get("/readyz").json())["parts"]
               if part["kind"] == "relay"]
    return part


def published_so_far() -> float:
    """`okr_relay_published_total` of this test process so far (other tests' relays count
    too: one counter per process)."""
    return sum(sample.value for family in RELAY_PUBLISHED.collect()
               for sample in family.samples if sample.name == "okr_relay_published_total")


def public_event_ids(api: Callers) -> set[str]:
    """The ids of every event the relay is to publish (all but the internal ones)."""
    ledger = api.client.app.state.ledger  # type: ignore[attr-defined]
    return {event["id"] for event in read_feed(ledger.recorder, ledger.mapper, 0, 1_000_000)[0]}


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_metrics_readyz_and_okr_status_show_the_relays_true_position_lag_and_count(
        kind, kafka, topic, reader: TopicReader, tmp_path, capsys, monkeypatch):
    before = published_so_far()
    with database_url(kind) as url, \
            serving(relay_settings(tmp_path, url, kafka, topic)) as api:
        objective = active(api, open_cycle(api))
        ok(api.owner.post(f"/v1/objectives/{objective['id']}/check-ins", {
            "key_result_id": objective["key_results"][0]["id"], "value": 5, "confidence": 0.5}))
        expected = public_event_ids(api)
        records = reader.read_until(lambda got: ids(got) >= expected, SECONDS,
                                    "every event on the topic")
        wait_for(lambda: relay_part(api)["lag"] == 0, SECONDS, "the relay's lag to reach 0")

        answer = api.client.get("/readyz")
        assert answer.status_code == 200 and answer.json()["status"] == "ready", answer.text
        head = answer.json()["head"]
        assert head >= objective["position"]
        assert relay_part(api, answer.json()) == {
            "kind": "relay", "name": "relay", "ok": True, "gating": False, "position": head,
            "lag": 0, "state": "ok", "problem": None}
        samples = scraped(api.admin.get("/metrics"))
        assert samples[("okr_log_position", ())] == head
        assert samples[("okr_relay_position", ())] == head
        assert samples[("okr_relay_lag_events", ())] == 0
        assert ids(records) == expected and len(records) == len(expected)
        assert samples[("okr_relay_published_total", ())] - before == len(expected)

        monkeypatch.setenv("OKR_KAFKA_BOOTSTRAP", kafka)
        monkeypatch.setenv("OKR_KAFKA_TOPIC", topic)
        store = ["--data-dir", str(tmp_path), "--database-url", url]
        assert main(["status", "--json", *store]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["status"] == "ready" and report["head"] == head
        assert [part for part in report["parts"] if part["kind"] == "relay"] == [
            {"kind": "relay", "name": "relay", "ok": True, "gating": False, "position": head,
             "lag": 0, "state": "ok", "problem": None}]
        assert main(["status", *store]) == 0
        assert f"  relay            ok          position {head}  lag 0" in \
            capsys.readouterr().out.splitlines()


def test_a_relay_that_cannot_reach_the_broker_degrades_the_server_until_it_catches_up(
        proxied_broker: tuple[str, TcpProxy], tmp_path):
    bootstrap, proxy = proxied_broker
    topic = create_topic(bootstrap)
    with serving(relay_settings(tmp_path, "", bootstrap, topic)) as api:
        cycle_id = open_cycle(api)
        wait_for(lambda: relay_part(api)["lag"] == 0, SECONDS, "the relay to publish the cycle")
        assert api.client.get("/readyz").json()["status"] == "ready"

        proxy.cut()
        objective = active(api, cycle_id)  # events the relay cannot have acknowledged
        wait_for(lambda: not relay_part(api)["ok"], SECONDS, "the relay to report its failure")
        answer = api.client.get("/readyz")
        assert answer.status_code == 200, answer.text  # degraded is still ready
        body = answer.json()
        assert body["status"] == "degraded"
        relay = relay_part(api, body)
        assert relay["state"] == "failing" and relay["gating"] is False
        assert relay["lag"] > 0 and relay["position"] < objective["position"]
        assert relay["problem"].startswith("publishing to Kafka failed and is retried")
        assert body["problems"] == [f"relay: {relay['problem']}"]
        assert all(part["ok"] for part in body["parts"] if part["kind"] != "relay")
        samples = scraped(api.admin.get("/metrics"))
        assert samples[("okr_ready", ())] == 1  # degraded: only okr_part_ok says what fails
        assert samples[("okr_relay_lag_events", ())] > 0
        assert parts_ok(samples) == {**{(part["kind"], part["name"]): 1 for part in body["parts"]},
                                     ("relay", "relay"): 0}

        proxy.restore()
        wait_for(lambda: relay_part(api)["ok"] and relay_part(api)["lag"] == 0, SECONDS,
                 "the relay to publish again and catch up")
        recovered = api.client.get("/readyz").json()
        assert recovered["status"] == "ready" and recovered["problems"] == []
        assert parts_ok(scraped(api.admin.get("/metrics")))[("relay", "relay")] == 1


def parts_ok(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float]
             ) -> dict[tuple[str, str], float]:
    """`okr_part_ok` of every part in a scrape, by (kind, name)."""
    return {(dict(labels)["kind"], dict(labels)["name"]): value
            for (name, labels), value in samples.items() if name == "okr_part_ok"}
