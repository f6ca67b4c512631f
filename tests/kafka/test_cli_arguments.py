"""`okr relay` and `okr events consume` refuse bad arguments, saying what is allowed."""

from __future__ import annotations

import pytest

from stream import consumer, relay


@pytest.mark.parametrize("bootstrap", ["nonsense", "host:port", "a:9092,b", ""])
def test_the_relay_refuses_a_bootstrap_that_is_not_host_port(bootstrap, capsys):
    with pytest.raises(SystemExit) as exit_:
        relay.main(["--bootstrap", bootstrap])

    assert exit_.value.code == 2
    assert "must be host:port[,host:port]" in capsys.readouterr().err


def test_the_relay_refuses_a_database_url_it_cannot_use(capsys):
    code = relay.main(["--bootstrap", "localhost:9092", "--database-url", "mysql://db/okr"])

    assert code == 2
    assert "postgresql://" in capsys.readouterr().err


def test_the_relay_refuses_a_batch_size_below_one(capsys):
    with pytest.raises(SystemExit):
        relay.main(["--bootstrap", "localhost:9092", "--batch-size", "0"])
    assert "--batch-size must be >= 1" in capsys.readouterr().err


def test_the_consumer_needs_a_group(capsys):
    with pytest.raises(SystemExit):
        consumer.main(["--bootstrap", "localhost:9092"])
    assert "--group" in capsys.readouterr().err
