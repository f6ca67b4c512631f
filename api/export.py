"""A cycle's alignment tree, the adjustment audit or the decision log as JSON or CSV, for
`okr export`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from workflows.timestamps import rfc3339


class Exported(StrEnum):
    TREE = "tree"
    AUDIT = "audit"
    DECISIONS = "decisions"
    LOG = "log"


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


TREE_COLUMNS = ("depth", "id", "parent_id", "title", "owner", "reviewer", "level", "kind",
                "state", "progress", "aligned_progress", "score", "supports", "key_results")
AUDIT_COLUMNS = ("adjustment_id", "objective_id", "owner", "proposed_by", "proposed_at",
                 "reason", "decision", "decided_by", "decided_at", "comment", "op",
                 "key_result_id", "before", "after")


DECISION_COLUMNS = ("position", "time", "objective_id", "objective_title", "cycle_id", "action",
                    "actor", "role", "reason", "command_id", "adjustment_id", "proposed_by",
                    "proposal_reason", "changes", "key_results", "score", "to_objective_id",
                    "to_cycle_id", "before", "after")
NESTED = ("changes", "key_results", "before", "after")
"""Decision fields that hold lists or objects: a JSON text in their CSV cell."""


def tree_rows(roots: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per objective, parents before children, with its depth in the tree."""
    stack = [(0, root) for root in reversed(roots)]
    while stack:
        depth, node = stack.pop()
        yield {**{name: node.get(name) for name in TREE_COLUMNS}, "depth": depth,
               "supports": ";".join(node["supports"]),
               "key_results": len([kr for kr in node["key_results"] if not kr["removed"]])}
        stack.extend((depth + 1, child) for child in reversed(node["children"]))


def audit_rows(records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per proposed change, repeating its adjustment's reason and decision."""
    for record in records:
        for change in record["changes"]:
            yield {**{name: record.get(name) for name in AUDIT_COLUMNS},
                   "op": change["op"], "key_result_id": change.get("key_result_id"),
                   "before": json.dumps(change["before"]), "after": json.dumps(change["after"])}


def decision_rows(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per decision; its changes, scores and before/after as JSON text."""
    for entry in entries:
        row = {name: entry.get(name) for name in DECISION_COLUMNS}
        yield {**row, **{name: json.dumps(entry[name]) for name in NESTED if entry.get(name)}}


CSV_SHAPES = {Exported.TREE: (TREE_COLUMNS, tree_rows), Exported.AUDIT: (AUDIT_COLUMNS, audit_rows),
              Exported.DECISIONS: (DECISION_COLUMNS, decision_rows)}


def render(what: Exported, data: list[dict[str, Any]], form: Format) -> str:
    """JSON or CSV; times written as everywhere else (RFC 3339, UTC, `Z`)."""
    if form is Format.JSON:
        return json.dumps(data, indent=2, default=_text)
    columns, to_rows = CSV_SHAPES[what]
    rows = ({name: _cell(value) for name, value in row.items()} for row in to_rows(data))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _text(value: object) -> str:
    return rfc3339(value) if isinstance(value, datetime) else str(value)


def _cell(value: object) -> object:
    return rfc3339(value) if isinstance(value, datetime) else value
