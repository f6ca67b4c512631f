from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.rules import MethodologyRules
from tests.people import register_people, with_people
from tests.stores import postgres_database
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.settings import Settings, env_name, persistence_env

ADMIN = Actor("ada", "admin")
OWNER = Actor("bob", "member")
REVIEWER = Actor("rita", "member")
STRANGER = Actor("sam", "member")
AUDITOR = Actor("audrey", "auditor")


@pytest.fixture(autouse=True)
def no_settings_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test states the settings it runs with: none leak in from the shell's OKR_*."""
    for field in Settings.model_fields:
        monkeypatch.delenv(env_name(field), raising=False)


@pytest.fixture
def ledger() -> Iterator[OKRLedger]:
    """In-memory ledger for unit tests: the library's own POPO store, no mocks."""
    app = OKRLedger({"PERSISTENCE_MODULE": "eventsourcing.popo"}, rules=MethodologyRules())
    register_people(app)
    yield app
    app.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The persistence environment of a fresh real store, once per kind, its people
    registered."""
    if request.param == "sqlite":
        yield with_people(persistence_env(data_dir=tmp_path, database_url=""))
    else:
        with postgres_database() as url:
            yield with_people(persistence_env(database_url=url))


@pytest.fixture
def stored_ledger(store_env: dict[str, str]) -> Iterator[OKRLedger]:
    app = OKRLedger(store_env, rules=MethodologyRules())
    yield app
    app.close()
