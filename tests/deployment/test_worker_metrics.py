"""`okr worker` with `OKR_METRICS_PORT`: what Prometheus scrapes from the process that runs the
background parts in the production layout (docs/deploy.md), which answers no HTTP otherwise."""

from __future__ import annotations

from contextlib import nullcontext

import httpx
import pytest

from devtools.network import accepts_connections, free_port, wait_for
from tests.api.test_metrics import scraped
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from tests.deployment.cluster import SECRET
from tests.deployment.processes import STARTUP_SECONDS, OkrProcess
from tests.stores import postgres_database
from workflows.ledger import OKRLedger
from workflows.settings import Settings

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]
VIEWS = ("tree", "audit", "check_ins")


def reached(samples: Samples, head: int) -> bool:
    """Whether the scrape shows the log at `head` and every view and the sealer there."""
    views = {labels: value for (name, labels), value in samples.items()
             if name == "okr_view_position"}
    return (samples.get(("okr_log_position", ())) == head and bool(views)
            and all(value == head for value in views.values())
            and samples.get(("okr_sealer_position", ())) == head)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_worker_serves_its_parts_metrics_and_its_views_reach_the_logs_head(kind, tmp_path):
    port = free_port()
    with postgres_database() if kind == "postgres" else nullcontext("") as url:
        env = {"OKR_DATA_DIR": str(tmp_path), "OKR_DATABASE_URL": url, "OKR_SECRET": SECRET,
               "OKR_METRICS_PORT": str(port)}
        worker = OkrProcess(["worker"], env, tmp_path / "worker.log")
        try:
            wait_for(lambda: worker.alive() and accepts_connections(port), STARTUP_SECONDS,
                     f"the worker's metrics port; log: {tmp_path / 'worker.log'}")
            settings = Settings(data_dir=tmp_path, database_url=url, secret=SECRET)
            ledger = OKRLedger(settings.persistence_env(), rules=settings.rules())
            try:
                objective_id = active(ledger, open_cycle(ledger))
                ledger.check_in(OWNER, objective_id, key_result_id=first_kr(ledger, objective_id),
                                value=40, confidence=0.6)
                head = ledger.recorder.max_notification_id()
            finally:
                ledger.close()
            assert head is not None and head > 0
            samples: Samples = {}

            def caught_up() -> bool:
                assert worker.alive(), worker.log()
                samples.clear()
                samples.update(scraped(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)))
                return reached(samples, head)
            wait_for(caught_up, 30, "the worker's views and sealer to reach the log's head")

            for view in VIEWS:
                assert samples[("okr_view_position", (("view", view),))] == head
                assert samples[("okr_view_lag_events", (("view", view),))] == 0
                assert samples[("okr_part_ok", (("kind", "view"), ("name", view)))] == 1
            assert samples[("okr_sealer_lag_events", ())] == 0
            assert samples[("okr_ready", ())] == 1
            assert samples[("okr_part_ok", (("kind", "store"), ("name", "store")))] == 1
            assert samples[("okr_part_ok", (("kind", "sealer"), ("name", "sealer")))] == 1
            assert not any(name.startswith("okr_relay") for name, _ in samples)  # no Kafka
        finally:
            worker.stop()
