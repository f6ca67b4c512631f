"""Where each view is stored: beside the events, in the store the ledger is configured with.

On PostgreSQL the views are tables in the ledger's database. On SQLite each view gets a file of
its own next to the events file (`okr.sqlite3` -> `okr.tree.sqlite3`), so a view's writes never
wait on the ledger's write lock and each view keeps the library's own tracking table. An
in-memory ledger (unit tests) gets in-memory SQLite views.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar
from uuid import uuid4

from eventsourcing.persistence import InfrastructureFactory, TrackingRecorder
from eventsourcing.utils import Environment

SQLITE = "eventsourcing.sqlite"
POSTGRES = "eventsourcing.postgres"
VIEW_POOL_SIZE = "2"
T = TypeVar("T", bound=TrackingRecorder)


def view_module(env: dict[str, str]) -> str:
    """The persistence module the views use for a ledger stored with `env`."""
    return POSTGRES if env.get("PERSISTENCE_MODULE") == POSTGRES else SQLITE


def view_env(env: dict[str, str], view: str) -> dict[str, str]:
    module = env.get("PERSISTENCE_MODULE", "eventsourcing.popo")
    if module == POSTGRES:
        return {**env, "POSTGRES_POOL_SIZE": VIEW_POOL_SIZE}
    events_file = env.get("SQLITE_DBNAME", "") if module == SQLITE else ""
    return {**env, "PERSISTENCE_MODULE": SQLITE, "SQLITE_DBNAME": _view_file(events_file, view)}


def _view_file(events_file: str, view: str) -> str:
    if not events_file or ":memory:" in events_file or "mode=memory" in events_file:
        return f"file:okr-view-{view}-{uuid4().hex}?mode=memory&cache=shared"
    path = Path(events_file)
    return str(path.with_name(f"{path.stem}.{view}{path.suffix or '.sqlite3'}"))


def construct_view(view: str, env: dict[str, str], sqlite: type[T], postgres: type[T]) -> T:
    """The view's recorder for the store `env` names, made by the library's factory (as its
    ProjectionRunner does)."""
    recorder_class = postgres if view_module(env) == POSTGRES else sqlite
    named = Environment(name=f"projection_{view}", env=view_env(env, view))
    recorder = InfrastructureFactory.construct(named).tracking_recorder(recorder_class)
    if not isinstance(recorder, recorder_class):
        raise TypeError(f"the library made a {type(recorder).__name__} for the {view} view")
    return recorder
