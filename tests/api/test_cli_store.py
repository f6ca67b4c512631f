"""The command line finds the store the same way everywhere (`--data-dir` before or after the
command, `OKR_DATA_DIR`, `./var`), and a command that only reads never makes a store or a
signing key where there was none: a typo gets a clear refusal, not an empty ledger."""

from __future__ import annotations

import pytest

from api.cli import main
from api.tokens import load_secret
from tests.integration.test_projections_following import some_history
from workflows.ledger import OKRLedger
from workflows.settings import Settings

READERS = [["events", "tail"], ["export", "tree", "--cycle", "x"], ["projections", "status"],
           ["projections", "catch-up"], ["projections", "rebuild"],
           ["token", "issue", "--subject", "rita", "--role", "member"]]


@pytest.mark.parametrize("command", READERS)
def test_a_reading_command_on_a_missing_store_is_refused_and_makes_nothing(tmp_path, capsys,
                                                                           command):
    typo = tmp_path / "typo"
    assert main([*command, "--data-dir", str(typo)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("okr: ") and str(typo) in error and "Traceback" not in error
    assert not typo.exists()


def test_token_issue_in_a_store_whose_key_is_missing_is_refused(tmp_path, capsys):
    ledger = OKRLedger(Settings(data_dir=tmp_path).persistence_env())
    ledger.close()
    assert main(["token", "issue", "--subject", "rita", "--role", "member",
                 "--data-dir", str(tmp_path)]) == 2
    assert "signing key" in capsys.readouterr().err
    assert not (tmp_path / "token-secret.key").exists()


def test_the_store_is_found_by_flag_before_or_after_the_command_or_by_variable(
        tmp_path, capsys, monkeypatch):
    settings = Settings(data_dir=tmp_path)
    ledger = OKRLedger(settings.persistence_env())
    some_history(ledger)
    ledger.close()
    load_secret(settings)
    outputs = []
    for argv in (["events", "tail", "--data-dir", str(tmp_path)],
                 ["--data-dir", str(tmp_path), "events", "tail"]):
        assert main(argv) == 0
        outputs.append(capsys.readouterr().out)
    monkeypatch.setenv("OKR_DATA_DIR", str(tmp_path))
    assert main(["events", "tail"]) == 0
    outputs.append(capsys.readouterr().out)
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]
    assert main(["token", "issue", "--subject", "rita", "--role", "member"]) == 0


def test_a_token_lifetime_over_a_year_is_refused_by_name(tmp_path, capsys):
    load_secret(Settings(data_dir=tmp_path))
    for ttl in ("100000000000000", "1e14"):
        assert main(["token", "issue", "--subject", "rita", "--role", "member", "--ttl", ttl,
                     "--data-dir", str(tmp_path)]) == 2
        error = capsys.readouterr().err
        assert "--ttl" in error and "Traceback" not in error
