"""`view_differences`: `okr audit verify --views` and `GET /v1/audit/integrity?views=true`.

The read models are derived from the log, outside the sealed leaves: a row changed in a view's
table (a check-in's value in the series, an objective's state in the tree) would be served as
if the log said so, while every event stays intact. So each view is replayed from the log into
scratch tables beside its live ones (`TablesAside.aside`, with a prefix of this run's own, so
two checks or a rebuild never share tables), up to the position the live view has reached,
and compared with the live tables row by row, by primary key. The scratch tables are dropped
afterwards, whatever happened.

A server may be following the log meanwhile: the live view's position and rows are read in one
transaction (`ViewTables.consistent_read`), and the scratch replay is brought to exactly that
position before the two are compared, so a view that moved on is never taken for a changed one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from eventsourcing.application import Application

from projections.aside import Row
from projections.dialects import ViewTables
from projections.following import View, ViewFollower

SHOWN_PER_VIEW = 100
"""Differences listed per view (all are counted)."""
_KEY_CLAUSE = re.compile(r"PRIMARY KEY \(([^)]+)\)")
_KEY_COLUMN = re.compile(r"[(,]\s*(\w+) [\w ]+? PRIMARY KEY")


@dataclass(frozen=True)
class ViewDifference:
    """A row of `view`'s `table`, by its primary `key`, as the live view holds it and as the
    replay of the log builds it (None: no such row there)."""

    view: str
    table: str
    key: dict[str, Any]
    live: dict[str, Any] | None
    rebuilt: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {"view": self.view, "table": self.table, "key": self.key, "live": self.live,
                "rebuilt": self.rebuilt}

    def describe(self) -> str:
        key = ", ".join(f"{name}={value!r}" for name, value in self.key.items())
        if self.rebuilt is None:
            change = "is in the live view but not in the rebuilt one"
        elif self.live is None:
            change = "is missing from the live view"
        else:
            change = "; ".join(f"{name}: live {self.live[name]!r} vs rebuilt "
                               f"{self.rebuilt[name]!r}" for name in self.rebuilt
                               if self.live.get(name) != self.rebuilt[name])
        return f"{self.view} view, {self.table} ({key}): {change}"


@dataclass
class ViewCheck:
    """Each view checked: the position compared at, the differences found (at most
    `SHOWN_PER_VIEW` kept per view) and how many there were."""

    positions: dict[str, int]
    differences: list[ViewDifference]
    counted: int

    @property
    def ok(self) -> bool:
        return self.counted == 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "positions": self.positions, "count": self.counted,
                "differences": [difference.as_dict() for difference in self.differences]}


def view_differences(app: Application[Any], views: Sequence[View[Any]],
                     batch_size: int = 2000) -> ViewCheck:
    """Every view of `views` against the replay of `app`'s log (see the module's docstring)."""
    check = ViewCheck({}, [], 0)
    run = uuid4().hex[:12]
    for view in views:
        position, found = _compared(app, view, run, batch_size)
        check.positions[view.name] = position
        check.counted += len(found)
        check.differences += found[:SHOWN_PER_VIEW]
    return check


def _compared(app: Application[Any], view: View[Any], run: str,
              batch_size: int) -> tuple[int, list[ViewDifference]]:
    tracking_name = f"{app.name}.verify.{run}"
    scratch = view.recorder.aside(f"verify_{run}_", tracking_name)
    try:
        follower = ViewFollower(app, [View(view.name, scratch, type(view.projection)())],
                                batch_size, tracking_name)
        follower.replay(stop=view.recorder.position(app.name))
        position, live = _snapshot(view.recorder, app.name)
        follower.catch_up(stop=position)
        _, rebuilt = _snapshot(scratch, tracking_name)
        return position, [difference for table in view.recorder.tables
                          for difference in _table_differences(
                              view.name, table, primary_key(view.recorder, table),
                              live[table], rebuilt[table])]
    finally:
        scratch.discard(tracking_name)


def _snapshot(recorder: ViewTables[Any], tracking_name: str
              ) -> tuple[int, dict[str, list[dict[str, Any]]]]:
    """The view's position and every row of its tables, read together."""
    with recorder.consistent_read() as cursor:
        cursor.execute(recorder.sql(f"SELECT notification_id FROM {recorder.tracking_table()} "
                                    "WHERE application_name = ?"), [tracking_name])
        found = cursor.fetchone()
        rows: dict[str, list[dict[str, Any]]] = {}
        for table in recorder.tables:
            cursor.execute(recorder.sql(f"SELECT * FROM {{p}}{table}"))
            rows[table] = [_plain(row) for row in cursor.fetchall()]
    return (int(found["notification_id"]) if found else 0), rows


def _table_differences(view: str, table: str, key: Sequence[str],
                       live: list[dict[str, Any]], rebuilt: list[dict[str, Any]]
                       ) -> list[ViewDifference]:
    live_rows, rebuilt_rows = _by_key(live, key), _by_key(rebuilt, key)
    return [ViewDifference(view, table, dict(zip(key, values, strict=True)),
                           live_rows.get(values), rebuilt_rows.get(values))
            for values in sorted(set(live_rows) | set(rebuilt_rows), key=_sortable)
            if live_rows.get(values) != rebuilt_rows.get(values)]


def primary_key(recorder: ViewTables[Any], table: str) -> tuple[str, ...]:
    """The primary key columns of `table`, read from the view's own DDL."""
    for statement in recorder.ddl:
        if not statement.startswith(f"CREATE TABLE IF NOT EXISTS {{p}}{table} "):
            continue
        clause = _KEY_CLAUSE.search(statement) or _KEY_COLUMN.search(statement)
        if clause:
            return tuple(column.strip() for column in clause.group(1).split(","))
    raise ValueError(f"the {table} table declares no primary key")


def _by_key(rows: list[dict[str, Any]], key: Sequence[str]) -> dict[tuple[Any, ...],
                                                                    dict[str, Any]]:
    return {tuple(row[column] for column in key): row for row in rows}


def _plain(row: Row | Mapping[str, Any]) -> dict[str, Any]:
    """A row as a plain dict (the SQLite driver's rows are not dicts)."""
    return {name: row[name] for name in row.keys()}


def _sortable(values: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(str(value) for value in values)
