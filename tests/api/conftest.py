from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import configure_logging
from tests.api.http import Callers
from tests.people import register_people
from tests.stores import postgres_database
from workflows.settings import Settings

SECRET = "test-secret-that-is-long-enough-for-hs256"


def serve(settings: Settings) -> Iterator[Callers]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        register_people(client.app.state.ledger)  # type: ignore[attr-defined]
        yield Callers(client, SECRET)


serving = contextmanager(serve)
"""`with serving(settings) as api:` the API, for a test that states its own settings."""


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url="", secret=SECRET)


@pytest.fixture
def api(api_settings: Settings) -> Iterator[Callers]:
    """The API on a fresh SQLite store, with a caller per role."""
    yield from serve(api_settings)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stored_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callers]:
    """The API once on SQLite and once on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield from serve(Settings(data_dir=tmp_path, database_url="", secret=SECRET))
    else:
        with postgres_database() as url:
            yield from serve(Settings(data_dir=tmp_path, database_url=url, secret=SECRET))


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """What the server logs, as `okr serve` configures it with its stderr not a terminal."""
    out = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging(Settings(), out)
    yield out
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
