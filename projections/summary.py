"""A cycle at a glance: objectives by state, level and kind, final scores, stale objectives.

Scores are bucketed by the method's grades (0.0, 0.3, 0.7, 1.0): each final objective score
counts under the highest grade it reaches. An objective is stale when it is running (active or
adjusting, the states that take check-ins) and has had no check-in in the last `stale_days`
days before `now`, including one that has never been checked in.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from domain.errors import ValidationError
from domain.scoring import GRADES, rounded_score
from domain.values import ObjectiveState

RUNNING = {ObjectiveState.ACTIVE.value, ObjectiveState.ADJUSTING.value}
EPSILON = 1e-9


def check_stale_days(stale_days: object) -> int:
    if isinstance(stale_days, bool) or not isinstance(stale_days, int) or stale_days < 1:
        raise ValidationError([("stale_days", f"must be a whole number of days, 1 or more; "
                                              f"got {stale_days!r}")])
    return stale_days


def summarise(cycle_id: str, nodes: list[dict[str, Any]], last_check_ins: dict[str, datetime],
              stale_days: int, now: datetime) -> dict[str, Any]:
    cutoff = now - timedelta(days=stale_days)
    stale = [{"id": node["id"], "title": node["title"], "owner": node["owner"],
              "last_check_in_at": last_check_ins.get(node["id"])}
             for node in nodes if is_stale(node, last_check_ins.get(node["id"]), cutoff)]
    return {
        "cycle_id": cycle_id,
        "objectives": len(nodes),
        "by_state": dict(Counter(node["state"] for node in nodes)),
        "by_level": dict(Counter(node["level"] for node in nodes)),
        "by_kind": dict(Counter(node["kind"] for node in nodes)),
        "scores": score_summary([node["score"] for node in nodes if node["score"] is not None]),
        "stale": stale,
    }


def is_stale(node: dict[str, Any], last_check_in: datetime | None, cutoff: datetime) -> bool:
    """Running, and no check-in since `cutoff` (or none at all)."""
    return node["state"] in RUNNING and (last_check_in is None or last_check_in < cutoff)


def score_summary(scores: list[float]) -> dict[str, Any]:
    distribution = {f"{grade:.1f}": 0 for grade in GRADES}
    for score in scores:
        grade = max(g for g in GRADES if g <= score + EPSILON)
        distribution[f"{grade:.1f}"] += 1
    average = rounded_score((score, 1.0) for score in scores) if scores else None
    return {"count": len(scores), "average": average, "distribution": distribution}
