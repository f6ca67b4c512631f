"""The example consumer: progress per owner from the events alone, repeats dropped by id."""

from __future__ import annotations

import json
from pathlib import Path

from api.cli import main
from stream.cloudevents import read_feed
from stream.progress_view import ProgressView
from stream.publisher import ProducerSettings, Publisher
from tests.builders import draft, first_kr, open_cycle
from tests.conftest import ADMIN, REVIEWER
from tests.kafka.lifecycle import every_kind_of_event
from tests.kafka.support import make_store, relay_in_thread
from tests.kafka_broker import wait_for
from workflows.ledger import OKRLedger


def history(ledger: OKRLedger) -> list[dict]:
    """Every kind of event, plus an active objective of a second owner with progress."""
    every_kind_of_event(ledger)
    cycle_id = open_cycle(ledger, name="2027-Q2", starts_on="2027-04-01", ends_on="2027-06-30")
    objective_id = draft(ledger, cycle_id, owner="carol")
    ledger.submit(ADMIN, objective_id)
    ledger.approve(REVIEWER, objective_id)
    ledger.check_in(ADMIN, objective_id, first_kr(ledger, objective_id), value=25,
                    confidence=0.7)
    ledger.reassign_owner(ADMIN, objective_id, "cheng", reason="carol moved to another team")
    return read_feed(ledger.recorder, ledger.mapper, after=0, limit=10_000)[0]


def progress_per_owner_in_the_ledger(ledger: OKRLedger, events: list[dict]) -> dict:
    objectives = [ledger.objective(e["subject"]) for e in events
                  if e["type"] == "okr.objective.drafted"]
    grouped: dict[str, list[float]] = {}
    for objective in objectives:
        if objective.state != "cancelled":
            grouped.setdefault(objective.owner, []).append(objective.progress)
    return {owner: {"objectives": len(v), "progress": round(sum(v) / len(v), 4)}
            for owner, v in grouped.items()}


def test_the_view_gives_each_owner_the_progress_the_ledger_computes(ledger):
    events = history(ledger)
    view = ProgressView()

    assert all(view.apply(event) for event in events)
    assert view.by_owner() == progress_per_owner_in_the_ledger(ledger, events)
    assert {o["progress"] for o in view.by_owner().values()} != {0.0}


def test_the_view_ignores_an_event_it_has_already_applied(ledger):
    events = history(ledger)
    view = ProgressView()
    for event in events:
        view.apply(event)
    before = view.by_owner()

    assert not any(view.apply(event) for event in events)
    assert view.by_owner() == before
    assert view.duplicates == len(events)


def test_the_consumer_builds_the_view_from_the_topic_and_drops_repeats(
        kafka, topic, tmp_path: Path, capsys):
    with make_store("sqlite", tmp_path) as store:
        ledger = store.ledger()
        events = history(ledger)
        with relay_in_thread(store.env, ProducerSettings(kafka, topic)) as relay:
            wait_for(lambda: relay.lag() == 0, 60, "the relay to publish the history")
        repeats = Publisher(ProducerSettings(kafka, topic))
        repeats.publish(events[-5:])
        repeats.reset()

        assert main(["events", "consume", "--group", f"progress-{topic}", "--bootstrap", kafka,
                     "--topic", topic, "--max-poll-interval-ms", "3000",
                     "--exit-when-idle", "0.5"]) == 0

        final = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert final["owners"] == progress_per_owner_in_the_ledger(ledger, events)
        assert final["events"] == len(events)
        assert final["duplicates_dropped"] == 5
        ledger.close()
