"""The alignment-tree view: versioned node rows and the cycles they belong to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from projections.dialects import PostgresView, SQLiteView, ViewCursor, ViewTables
from projections.times import FOREVER, from_micros, to_micros
from projections.tree_projection import TreeChanges
from workflows.pages import Key, Page, fetch_size, page_of

NODE_COLUMNS = ("objective_id", "cycle_id", "valid_from", "valid_to", "time_from", "time_to",
                "created", "owner", "state", "data")
SELECT_NODES = "SELECT data FROM {p}tree_nodes WHERE "
ORDER = " ORDER BY created, objective_id"


class TreeTables(ViewTables[TreeChanges]):
    tables = ("tree_nodes", "tree_cycles")
    ddl = (
        "CREATE TABLE IF NOT EXISTS {p}tree_nodes (objective_id TEXT NOT NULL, "
        "cycle_id TEXT NOT NULL, valid_from BIGINT NOT NULL, valid_to BIGINT NOT NULL, "
        "time_from BIGINT NOT NULL, time_to BIGINT NOT NULL, created BIGINT NOT NULL, "
        "owner TEXT NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL, "
        "PRIMARY KEY (objective_id, valid_from))",
        "CREATE INDEX IF NOT EXISTS tree_nodes_by_position ON {p}tree_nodes "
        "(cycle_id, valid_to, valid_from)",
        "CREATE INDEX IF NOT EXISTS tree_nodes_by_time ON {p}tree_nodes "
        "(cycle_id, time_to, time_from)",
        "CREATE INDEX IF NOT EXISTS tree_nodes_by_owner ON {p}tree_nodes (owner, valid_to)",
        # Current nodes by state (Home's "To review" asks for each waiting state across
        # cycles: without it, a scan of every version of every objective, ~200 ms each at
        # 50,000 objectives). Partial, so a rebuild, which writes most versions already
        # closed, hardly touches it; queries name FOREVER literally to match it.
        f"CREATE INDEX IF NOT EXISTS tree_nodes_current_by_state ON {{p}}tree_nodes "
        f"(state, created, objective_id) WHERE valid_to = {FOREVER}",
        "CREATE INDEX IF NOT EXISTS tree_nodes_by_cycle_time ON {p}tree_nodes "
        "(cycle_id, time_from, valid_from)",
        "CREATE TABLE IF NOT EXISTS {p}tree_cycles (cycle_id TEXT PRIMARY KEY, name TEXT, "
        "state TEXT, starts_on TEXT, ends_on TEXT, scoring_policy TEXT)",
    )

    def write_changes(self, cursor: ViewCursor, changes: TreeChanges) -> None:
        self.execute_many(cursor, "UPDATE {p}tree_nodes SET valid_to = ?, time_to = ? "
                                  "WHERE objective_id = ? AND valid_to = ?", changes.closes)
        self.insert_many(cursor, "{p}tree_nodes", NODE_COLUMNS, changes.versions)
        self.execute_many(cursor, "INSERT INTO {p}tree_cycles VALUES (?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (cycle_id) DO UPDATE SET name = excluded.name, "
                                  "state = excluded.state, starts_on = excluded.starts_on, "
                                  "ends_on = excluded.ends_on, "
                                  "scoring_policy = excluded.scoring_policy",
                          changes.cycles.values())

    def has_cycle(self, cycle_id: str) -> bool:
        return bool(self.select("SELECT 1 FROM {p}tree_cycles WHERE cycle_id = ?", [cycle_id]))

    def nodes(self, cycle_id: str, *, at_position: int | None = None,
              as_of: datetime | None = None) -> list[dict[str, Any]]:
        """The cycle's nodes now, at a log position, or as they stood at a moment."""
        if at_position is not None:
            where, params = "valid_to > ? AND valid_from <= ?", [at_position, at_position]
        elif as_of is not None:
            where, params = "time_to > ? AND time_from <= ?", [to_micros(as_of)] * 2
        else:
            where, params = "valid_to = ?", [FOREVER]
        rows = self.select(SELECT_NODES + "cycle_id = ? AND " + where + ORDER,
                           [cycle_id, *params])
        return [orjson.loads(row["data"]) for row in rows]

    def moment_count(self, cycle_id: str) -> int:
        """How many commands changed the cycle's objectives (a command's events share one
        recorded time)."""
        rows = self.select("SELECT COUNT(DISTINCT time_from) AS n FROM {p}tree_nodes "
                           "WHERE cycle_id = ?", [cycle_id])
        return int(rows[0]["n"])

    def moment(self, cycle_id: str, index: int) -> dict[str, Any] | None:
        """The `index`th command (from 0, in log order) that changed the cycle's objectives:
        its last event's position (where the tree shows it whole), its time, and its first
        event's objective, the version that event made and the node it produced; None past
        the last."""
        rows = self.select("SELECT time_from, MIN(valid_from) AS first, MAX(valid_from) AS last "
                           "FROM {p}tree_nodes WHERE cycle_id = ? GROUP BY time_from "
                           "ORDER BY time_from LIMIT 1 OFFSET ?", [cycle_id, index])
        if not rows:
            return None
        command = rows[0]
        first = self.select("SELECT objective_id, data FROM {p}tree_nodes WHERE cycle_id = ? "
                            "AND valid_from = ?", [cycle_id, command["first"]])[0]
        version = self.select("SELECT COUNT(*) AS n FROM {p}tree_nodes WHERE objective_id = ? "
                              "AND valid_from <= ?", [first["objective_id"], command["first"]])
        return {"position": command["last"], "time": from_micros(command["time_from"]),
                "objective_id": first["objective_id"], "version": int(version[0]["n"]),
                "node": orjson.loads(first["data"])}

    def command_spans(self, objective_id: str) -> list[tuple[int, int]]:
        """The objective's commands the view has reached, oldest first: each one's recorded
        time (microseconds) and how many events it recorded. The view keeps a row per event
        and a command's events share one time, so this is one range of the primary key."""
        rows = self.select("SELECT time_from, COUNT(*) AS events FROM {p}tree_nodes "
                           "WHERE objective_id = ? GROUP BY time_from ORDER BY MIN(valid_from)",
                           [objective_id])
        return [(row["time_from"], int(row["events"])) for row in rows]

    def position_at(self, cycle_id: str, as_of: datetime) -> int:
        """The log position of the cycle's last objective event at or before `as_of` (0: none):
        where a read as of that moment stands in the log."""
        rows = self.select("SELECT MAX(valid_from) AS reached FROM {p}tree_nodes "
                           "WHERE cycle_id = ? AND time_from <= ?", [cycle_id, to_micros(as_of)])
        return rows[0]["reached"] if rows and rows[0]["reached"] is not None else 0

    def time_at(self, cycle_id: str, position: int) -> datetime | None:
        """When the cycle's last objective event at or before `position` was recorded."""
        rows = self.select("SELECT MAX(time_from) AS reached FROM {p}tree_nodes "
                           "WHERE cycle_id = ? AND valid_from <= ?", [cycle_id, position])
        found = rows[0]["reached"] if rows else None
        return None if found is None else from_micros(found)

    def current_since(self, cycle_id: str, position: int) -> list[tuple[int, int, dict[str, Any]]]:
        """The cycle's current node versions that became current after `position`."""
        rows = self.select("SELECT valid_from, created, data FROM {p}tree_nodes WHERE "
                           "cycle_id = ? AND valid_to = ? AND valid_from > ?",
                           [cycle_id, FOREVER, position])
        return [(row["valid_from"], row["created"], orjson.loads(row["data"])) for row in rows]

    def max_valid_from(self, cycle_id: str) -> int:
        """The latest version of the cycle; lower than before only after a rebuild."""
        rows = self.select("SELECT MAX(valid_from) AS latest FROM {p}tree_nodes "
                           "WHERE cycle_id = ? AND valid_to = ?", [cycle_id, FOREVER])
        return rows[0]["latest"] if rows and rows[0]["latest"] is not None else -1

    def current(self, *, cycle_id: str | None = None, owner: str | None = None,
                state: str | None = None, after: Key | None = None,
                limit: int | None = None) -> Page[dict[str, Any]]:
        """Current nodes matching the filters in the order they were created, a page at a
        time: `after` is the (created, objective id) the previous page ended with."""
        filters: list[tuple[str, list[int | str]]] = [(f"{name} = ?", [value]) for name, value in
                   (("cycle_id", cycle_id), ("owner", owner), ("state", state))
                   if value is not None]
        if after is not None:
            filters.append(("(created > ? OR (created = ? AND objective_id > ?))",
                            [after[0], after[0], after[1]]))
        where = "".join(f" AND {clause}" for clause, _ in filters)
        size = fetch_size(limit)
        rows = self.select("SELECT created, objective_id, data FROM {p}tree_nodes "
                           f"WHERE valid_to = {FOREVER}" + where + ORDER
                           + ("" if size is None else f" LIMIT {size}"),
                           [value for _, values in filters for value in values])
        return page_of(rows, limit, lambda row: (row["created"], row["objective_id"]),
                       lambda row: orjson.loads(row["data"]))


class SQLiteTreeView(TreeTables, SQLiteView[TreeChanges]):
    pass


class PostgresTreeView(TreeTables, PostgresView[TreeChanges]):
    pass
