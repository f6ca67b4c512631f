"""The relay as the production layout runs it, in `okr worker`, scraped on `OKR_METRICS_PORT`:
its position, lag and published count, and `okr_part_ok{kind="relay"}` going to 0 while a proxy
the test cuts keeps the broker away (the worker still `okr_ready` 1: the relay does not gate),
and back to 1 once it has caught up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from devtools.network import accepts_connections, free_port
from stream.cloudevents import read_feed
from tests.api.test_metrics import scraped
from tests.builders import active, open_cycle
from tests.deployment.cluster import SECRET
from tests.deployment.processes import STARTUP_SECONDS, OkrProcess
from tests.kafka.tcp_proxy import TcpProxy
from tests.kafka.test_relay_status import parts_ok
from tests.kafka_broker import create_topic, wait_for
from workflows.ledger import OKRLedger
from workflows.settings import Settings

SECONDS = 15
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


class ScrapedWorker:
    """An `okr worker` running the relay, and what its metrics port says."""

    def __init__(self, tmp_path: Path, bootstrap: str, topic: str) -> None:
        self.port = free_port()
        self.process = OkrProcess(["worker"], {
            "OKR_DATA_DIR": str(tmp_path), "OKR_SECRET": SECRET,
            "OKR_METRICS_PORT": str(self.port), "OKR_KAFKA_BOOTSTRAP": bootstrap,
            "OKR_KAFKA_TOPIC": topic, "OKR_KAFKA_CHECKPOINT_TOPIC": "",
            "OKR_RELAY_POLL_INTERVAL": "0.02", "OKR_KAFKA_DELIVERY_TIMEOUT_MS": "1000"},
            tmp_path / "worker.log")
        wait_for(lambda: self.process.alive() and accepts_connections(self.port),
                 STARTUP_SECONDS, f"the worker's metrics port; log: {tmp_path / 'worker.log'}")

    def samples(self) -> Samples:
        assert self.process.alive(), self.process.log()
        return scraped(httpx.get(f"http://127.0.0.1:{self.port}/metrics", timeout=5))

    def wait_until(self, condition: Callable[[Samples], bool], what: str) -> Samples:
        """The first scrape for which `condition(samples)` holds."""
        found: list[Samples] = []

        def holds() -> bool:
            found[:] = [self.samples()]
            return bool(condition(found[0]))
        wait_for(holds, SECONDS, what)
        return found[0]


def public_events(ledger: OKRLedger) -> int:
    """How many events the relay is to publish (all but the internal ones)."""
    return len(read_feed(ledger.recorder, ledger.mapper, 0, 1_000_000)[0])


def test_a_workers_metrics_show_its_relay_failing_while_the_broker_is_cut_and_recovering(
        proxied_broker: tuple[str, TcpProxy], tmp_path):
    bootstrap, proxy = proxied_broker
    topic = create_topic(bootstrap)
    worker = ScrapedWorker(tmp_path, bootstrap, topic)
    settings = Settings(data_dir=tmp_path, database_url="", secret=SECRET)
    ledger = OKRLedger(settings.persistence_env(), rules=settings.rules())
    try:
        cycle_id = open_cycle(ledger)
        head = ledger.recorder.max_notification_id()
        published = worker.wait_until(
            lambda s: s.get(("okr_relay_position", ())) == head, "the relay to publish the cycle")
        assert published[("okr_relay_lag_events", ())] == 0
        assert published[("okr_relay_published_total", ())] == public_events(ledger)
        assert set(parts_ok(published).values()) == {1}
        assert ("relay", "relay") in parts_ok(published)

        proxy.cut()
        active(ledger, cycle_id)  # events the relay cannot have acknowledged
        failing = worker.wait_until(lambda s: parts_ok(s)[("relay", "relay")] == 0,
                                    "the worker to report its relay failing")
        assert failing[("okr_ready", ())] == 1  # degraded, which is still ready
        assert failing[("okr_relay_lag_events", ())] > 0
        assert {part for part, ok in parts_ok(failing).items() if not ok} == {("relay", "relay")}

        proxy.restore()
        head = ledger.recorder.max_notification_id()
        recovered = worker.wait_until(
            lambda s: parts_ok(s)[("relay", "relay")] == 1
            and s[("okr_relay_position", ())] == head, "the relay to publish again and catch up")
        assert recovered[("okr_relay_lag_events", ())] == 0
        assert recovered[("okr_relay_published_total", ())] >= public_events(ledger)
    finally:
        ledger.close()
        worker.process.stop()
