"""The `okr` command line, run in-process through its `main(argv)`."""

from __future__ import annotations

import json

from api.cli import main
from api.demo import load_demo
from api.tokens import load_secret, read_token
from workflows.ledger import OKRLedger
from workflows.settings import Settings


def test_token_issue_prints_a_token_the_server_on_that_data_dir_accepts(tmp_path, capsys):
    load_secret(Settings(data_dir=tmp_path))  # as `okr serve` there made it
    assert main(["token", "issue", "--subject", "rita", "--role", "auditor",
                 "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.strip()
    actor = read_token(load_secret(Settings(data_dir=tmp_path)), printed)
    assert (actor.name, actor.role) == ("rita", "auditor")


def test_token_issue_refuses_an_empty_subject_with_exit_status_2(tmp_path, capsys):
    load_secret(Settings(data_dir=tmp_path))
    assert main(["--data-dir", str(tmp_path), "token", "issue", "--subject", " ",
                 "--role", "member"]) == 2
    error = capsys.readouterr().err
    assert "okr: subject: is required" in error
    assert "Traceback" not in error


def test_token_issue_refuses_an_unknown_role_listing_the_allowed_ones(tmp_path, capsys):
    assert main(["token", "issue", "--subject", "rita", "--role", "boss",
                 "--data-dir", str(tmp_path)]) == 2
    assert "'admin', 'member', 'auditor', 'integrator'" in capsys.readouterr().err


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


def test_the_data_dir_comes_from_okr_data_dir_unless_a_flag_names_another(
        tmp_path, monkeypatch, capsys):
    from_env, from_flag = tmp_path / "env", tmp_path / "flag"
    for made_by_a_server in (from_env, from_flag):
        load_secret(Settings(data_dir=made_by_a_server))
    monkeypatch.setenv("OKR_DATA_DIR", str(from_env))
    assert main(["token", "issue", "--subject", "rita", "--role", "member"]) == 0
    token = capsys.readouterr().out.strip()
    assert read_token(load_secret(Settings(data_dir=from_env)), token).name == "rita"
    assert main(["--data-dir", str(from_env), "token", "issue", "--subject", "sam",
                 "--role", "member", "--data-dir", str(from_flag)]) == 0
    token = capsys.readouterr().out.strip()
    assert read_token(load_secret(Settings(data_dir=from_flag)), token).name == "sam"


def test_a_bad_setting_in_the_environment_is_named_without_a_traceback(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OKR_TOKEN_TTL_SECONDS", "soon")
    monkeypatch.setenv("OKR_DATABASE_URL", "mysql://db/okr")
    assert main(["token", "issue", "--subject", "rita", "--role", "member",
                 "--data-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "OKR_TOKEN_TTL_SECONDS: Input should be a valid integer" in error
    assert "OKR_DATABASE_URL: must look like postgresql://" in error
    assert "Traceback" not in error


def test_a_bad_flag_is_named_by_its_flag(tmp_path, capsys):
    assert main(["token", "issue", "--subject", "rita", "--role", "member", "--ttl", "0",
                 "--data-dir", str(tmp_path)]) == 2
    assert "okr: --ttl: Input should be greater than 0; got 0" in capsys.readouterr().err


COMMANDS = [["serve"], ["token", "issue"], ["projections", "rebuild"], ["projections", "follow"],
            ["projections", "catch-up"], ["events", "tail"], ["events", "consume"], ["relay"],
            ["export"]]


def help_entries(help_text: str) -> dict[str, str]:
    """Each option on a --help page with its description, its lines joined."""
    entries: dict[str, str] = {}
    name = ""
    for line in help_text.splitlines():
        if line.startswith("  -"):
            name = next(word for word in line.split() if word.startswith("--")).rstrip(",")
        if name and line.startswith("  "):
            entries[name] = " ".join([entries.get(name, ""), *line.split()])
    return entries


def test_every_option_of_every_command_shows_its_default(capsys):
    for command in COMMANDS:
        assert main([*command, "--help"]) == 0
        entries = help_entries(capsys.readouterr().out)
        assert "--help" in entries
        for name, text in entries.items():
            if name not in ("--help", "--follow"):
                assert "default:" in text or "[required]" in text, (command, name, text)


def test_options_that_are_settings_name_their_environment_variable(capsys):
    assert main(["relay", "--help"]) == 0
    entries = help_entries(capsys.readouterr().out)
    assert "[env var: OKR_KAFKA_BOOTSTRAP; default: empty]" in entries["--bootstrap"]
    assert "[env var: OKR_RELAY_BATCH_SIZE; default: 2000]" in entries["--batch-size"]
    assert "[env var: OKR_DATA_DIR; default: ./var]" in entries["--data-dir"]


def test_okr_version_prints_the_installed_package_version(capsys):
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"okr {version('okr-ledger')}\n"
