"""The deployment files (deploy/, docs/deploy.md) name only settings that exist and run only
`okr` commands and options that parse: they cannot drift from the code unnoticed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from api.cli import main
from workflows.settings import Settings, env_name

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "docs" / "deploy.md", *sorted((ROOT / "deploy").rglob("*"))]
KNOWN = {env_name(field) for field in Settings.model_fields}


@pytest.mark.parametrize("path", [p for p in FILES if p.is_file()], ids=lambda p: p.name)
def test_every_setting_the_deployment_names_exists(path):
    named = set(re.findall(r"\bOKR_[A-Z_]+\b", path.read_text()))
    assert named <= KNOWN, named - KNOWN


def okr_command_lines() -> list[list[str]]:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    lines = [service["command"] for service in compose["services"].values()
             if "command" in service and "build" in service]
    for unit in (ROOT / "deploy" / "systemd").glob("*.service"):
        (exec_start,) = re.findall(r"^ExecStart=\S+/okr (.*)$", unit.read_text(), re.M)
        lines.append(shlex.split(exec_start))
    return lines


@pytest.mark.parametrize("args", okr_command_lines(), ids=" ".join)
def test_every_command_the_deployment_runs_parses(args, capsys):
    """Click parses every option before it acts on `--help`, so an unknown one still fails."""
    assert main([*args, "--help"]) == 0, capsys.readouterr()
