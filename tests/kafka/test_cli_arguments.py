"""`okr relay` and `okr events consume` refuse bad arguments, saying what is allowed."""

from __future__ import annotations

import pytest

from api.cli import main


@pytest.mark.parametrize("bootstrap", ["nonsense", "host:port", "a:9092,b", ""])
def test_the_relay_refuses_a_bootstrap_that_is_not_host_port(bootstrap, capsys):
    assert main(["relay", "--bootstrap", bootstrap]) == 2

    error = capsys.readouterr().err
    assert "--bootstrap" in error and "must be host:port[,host:port]" in error


def test_the_relay_names_the_variable_when_the_bootstrap_comes_from_the_environment(
        monkeypatch, capsys):
    monkeypatch.setenv("OKR_KAFKA_BOOTSTRAP", "kafka1")
    assert main(["relay"]) == 2
    assert "OKR_KAFKA_BOOTSTRAP: must be host:port[,host:port]" in capsys.readouterr().err


def test_the_relay_refuses_a_database_url_it_cannot_use(capsys):
    code = main(["relay", "--bootstrap", "localhost:9092", "--database-url", "mysql://db/okr"])

    assert code == 2
    assert "postgresql://" in capsys.readouterr().err


def test_the_relay_refuses_a_batch_size_below_one(capsys):
    assert main(["relay", "--bootstrap", "localhost:9092", "--batch-size", "0"]) == 2
    assert "--batch-size: Input should be greater than or equal to 1" in capsys.readouterr().err


def test_the_consumer_needs_a_group(capsys):
    assert main(["events", "consume", "--bootstrap", "localhost:9092"]) == 2
    assert "--group (or OKR_CONSUMER_GROUP): is required" in capsys.readouterr().err
