"""The `okr` command line, run in-process through its `main(argv)`."""

from __future__ import annotations

import json
import sys
import types

from api.cli import main
from api.demo import load_demo
from api.settings import Settings
from api.tokens import load_secret, read_token
from workflows.ledger import OKRLedger


def test_token_issue_prints_a_token_the_server_on_that_data_dir_accepts(tmp_path, capsys):
    assert main(["token", "issue", "--subject", "rita", "--role", "auditor",
                 "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.strip()
    actor = read_token(load_secret(Settings(data_dir=tmp_path)), printed)
    assert (actor.name, actor.role) == ("rita", "auditor")


def test_token_issue_refuses_an_empty_subject_with_exit_status_2(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "token", "issue", "--subject", " ",
                 "--role", "member"]) == 2
    assert "subject" in capsys.readouterr().err


def test_events_tail_prints_cloudevents_after_a_position(tmp_path, capsys):
    ledger = OKRLedger(Settings(data_dir=tmp_path).persistence_env())
    load_demo(ledger)
    ledger.close()
    assert main(["events", "tail", "--data-dir", str(tmp_path)]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert events[0]["type"] == "okr.cycle.opened"
    assert main(["events", "tail", "--after", str(events[-2]["position"]),
                 "--data-dir", str(tmp_path)]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == events[-1:]


def test_kafka_subcommands_say_clearly_when_the_kafka_part_is_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "stream.relay", None)
    monkeypatch.setitem(sys.modules, "stream.consumer", None)
    for argv in (["relay"], ["events", "consume", "--group", "g"]):
        assert main(argv) == 2
        assert "not installed" in capsys.readouterr().err


def test_kafka_subcommands_hand_their_arguments_to_the_kafka_entry_points(monkeypatch):
    calls = []
    for name in ("relay", "consumer"):
        module = types.ModuleType(f"stream.{name}")
        module.main = lambda argv, name=name: calls.append((name, argv)) or 0
        monkeypatch.setitem(sys.modules, f"stream.{name}", module)
    assert main(["relay", "--topic", "okr", "--help"]) == 0
    assert main(["--data-dir", "d", "relay", "--bootstrap", "k:9092"]) == 0
    assert main(["events", "consume", "--group", "audit", "--exit-when-idle", "1"]) == 0
    assert calls == [("relay", ["--topic", "okr", "--help"]),
                     ("relay", ["--data-dir", "d", "--bootstrap", "k:9092"]),
                     ("consumer", ["--group", "audit", "--exit-when-idle", "1"])]
