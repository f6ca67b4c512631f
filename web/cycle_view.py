"""What the cycle page shows: the tree (whole, or its top two levels for a big cycle), the
summary, and the replay's steps described in words."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from projections.service import ProjectionService
from web.command_words import VERBS
from web.rendering import day
from workflows.ledger import OKRLedger

WHOLE_TREE_LIMIT = 300
"""Up to this many objectives the tree is shown whole; above, two levels, the rest on open."""
STALE_DAYS = 14


def count_nodes(trees: list[dict[str, Any]], limit: int) -> int:
    """How many nodes the trees hold, counting no further than `limit` + 1."""
    seen, stack = 0, list(trees)
    while stack and seen <= limit:
        seen += 1
        stack.extend(stack.pop()["children"])
    return seen


def titles(trees: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    stack = list(trees)
    while stack:
        node = stack.pop()
        found[node["id"]] = node["title"]
        stack.extend(node["children"])
    return found


def summary(views: ProjectionService, cycle_id: str) -> dict[str, Any]:
    nodes = views.current_trees.nodes(cycle_id)
    found = views.summary(cycle_id, stale_days=STALE_DAYS)
    live = [node for node in nodes if node["state"] != "cancelled"]
    average = sum(node["progress"] for node in live) / len(live) if live else None
    return {**found, "by_state": Counter(found["by_state"]).most_common(),
            "average_progress": average, "stale_ids": {item["id"] for item in found["stale"]}}


def opened_stale_ids(views: ProjectionService, cycle_id: str,
                     children: list[dict[str, Any]]) -> set[str]:
    """The stale ones among an opened node's children and grandchildren (what `nodes.html`
    shows of them), without summarising the whole cycle."""
    shown = [*children, *(grandchild for child in children for grandchild in child["children"])]
    return views.stale_ids(cycle_id, shown, stale_days=STALE_DAYS)


def describe(ledger: OKRLedger, moment: dict[str, Any]) -> str:
    """'14 Mar 2026, bob approved "Cut lead time"': the command a replay step shows."""
    entry = ledger.history_page(moment["objective_id"], after=moment["version"] - 1,
                                limit=1).items
    actor, kind = (entry[0]["actor"], entry[0]["type"]) if entry else ("someone", "changed")
    verb = VERBS.get(kind, kind.lower())
    return f"{day(moment['time'])}, {actor} {verb} ‘{moment['node']['title']}’"


def now() -> datetime:
    return datetime.now(UTC)
