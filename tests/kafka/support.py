"""What the Kafka tests share: stores the relay can open by CLI flags, a relay in a child
process (so it can be killed with SIGKILL) or in a thread, and a steady writer of events."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cloudevents.core.bindings import kafka as kafka_binding

from domain.rules import MethodologyRules
from stream.backoff import RelayOptions
from stream.log_relay import LogRelay
from stream.publisher import ProducerSettings
from stream.shards import Shard
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from tests.people import with_people
from tests.stores import postgres_database
from workflows.ledger import OKRLedger
from workflows.settings import persistence_env

REPO = Path(__file__).resolve().parents[2]
OKR = str(Path(sys.executable).parent / "okr")


@dataclass
class Store:
    env: dict[str, str]
    cli_args: list[str]

    def ledger(self) -> OKRLedger:
        return OKRLedger(self.env, rules=MethodologyRules(max_objectives_per_owner=50))


@contextmanager
def make_store(kind: str, tmp_path: Path) -> Iterator[Store]:
    if kind == "sqlite":
        yield Store(with_people(persistence_env(data_dir=tmp_path, database_url="")),
                    ["--data-dir", str(tmp_path), "--database-url", ""])
        return
    with postgres_database() as url:
        yield Store(with_people(persistence_env(database_url=url)), ["--database-url", url])


class RelayProcess:
    """`okr relay` as a child process, its log in a file."""

    def __init__(self, store: Store, bootstrap: str, topic: str, log_path: Path,
                 batch_size: int = 50) -> None:
        self.log_path = log_path
        command = [OKR, "relay", *store.cli_args,
                   "--bootstrap", bootstrap, "--topic", topic, "--batch-size", str(batch_size),
                   "--poll-interval", "0.02"]
        with open(log_path, "wb") as out:
            self.process = subprocess.Popen(command, cwd=REPO, stdout=out,
                                            stderr=subprocess.STDOUT,
                                            env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def log(self) -> str:
        return self.log_path.read_text()

    def is_publisher(self) -> bool:
        return "acquired the publisher lock" in self.log()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def relay_in_thread(env: dict[str, str], producer: ProducerSettings,
                    options: RelayOptions | None = None,
                    shard: Shard | None = None) -> Iterator[LogRelay]:
    relay = LogRelay(env, producer, options or RelayOptions(poll_interval=0.02), shard)
    thread = threading.Thread(target=relay.run, daemon=True)
    thread.start()
    try:
        yield relay
    finally:
        relay.stop()
        thread.join(timeout=30)
        relay.close()


class EventWriter:
    """Check-ins on a few objectives, round robin: many events, several aggregates."""

    def __init__(self, ledger: OKRLedger, objectives: int = 3) -> None:
        self.ledger = ledger
        cycle_id = open_cycle(ledger)
        self.targets = []
        for number in range(objectives):
            objective_id = active(ledger, cycle_id, title=f"Objective {number}")
            self.targets.append((objective_id, first_kr(ledger, objective_id)))
        self.written = 0

    def write(self, count: int) -> None:
        for _ in range(count):
            objective_id, kr = self.targets[self.written % len(self.targets)]
            self.ledger.check_in(OWNER, objective_id, kr, value=self.written % 100,
                                 confidence=0.5)
            self.written += 1


def cloudevents(records: list) -> list[dict]:
    """Each record as the CloudEvents SDK's Kafka binding reads it (its mode detected from the
    headers, as any consumer's SDK would), checked against the JSON document it carries."""
    documents = []
    for record in records:
        parsed = kafka_binding.from_kafka_event(kafka_binding.KafkaMessage(
            headers=dict(record.headers), key=record.key, value=record.value))
        document = json.loads(record.value)
        assert (parsed.get_id(), parsed.get_type(), parsed.get_source(), parsed.get_subject(),
                parsed.get_dataschema(), parsed.get_data()) == (
            document["id"], document["type"], document["source"], document["subject"],
            document["dataschema"], document["data"]), "the SDK read another event"
        assert parsed.get_extension("position") == document["position"]
        documents.append(document)
    return documents


def ids(records: list) -> set[str]:
    return {event["id"] for event in cloudevents(records)}
