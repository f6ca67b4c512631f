"""A KR's chart data from what the views hold: its check-in series, and the approved
adjustments that retargeted it (the adjustment audit), so the chart reads no events itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from web.charts import ChartData, CheckInPoint, Retarget

RETARGET = "retarget_key_result"
APPROVED = "approved"


def chart_data(kr: Mapping[str, Any], series: Iterable[Mapping[str, Any]],
               adjustments: Iterable[Mapping[str, Any]], *, begins: datetime | None = None,
               ends: datetime | None = None) -> ChartData:
    """The chart of `kr` (a key result as `objective_state` gives it) from its check-ins (as
    `check_ins_page` gives them) and its objective's adjustment records (the audit's)."""
    first = kr["original"].get("target", kr["target"])
    return ChartData(title=kr["title"], kind=kr["kind"], target=first,
                     points=[_point(kr, check_in) for check_in in series],
                     retargets=retargets(kr["id"], first, adjustments), unit=kr["unit"] or "",
                     direction=kr["direction"], begins=begins, ends=ends)


def _point(kr: Mapping[str, Any], check_in: Mapping[str, Any]) -> CheckInPoint:
    original = check_in.get("original")
    return CheckInPoint(time=check_in["time"], value=_value(kr, check_in),
                        confidence=check_in["confidence"], actor=check_in["actor"],
                        note=check_in["note"],
                        corrected_from=_value(kr, original) if original else None)


def _value(kr: Mapping[str, Any], reported: Mapping[str, Any]) -> float:
    """A check-in's value on the chart: a milestone's done as 1, not yet as 0."""
    if kr["kind"] == "milestone":
        return 1.0 if reported["done"] else 0.0
    return float(reported["value"]) if reported["value"] is not None else 0.0


def retargets(key_result_id: str, first: float | None,
              adjustments: Iterable[Mapping[str, Any]]) -> list[Retarget]:
    """Each approved adjustment that moved the KR's target, in the order approved; one that
    moved only its start or unit is marked too, at the same level."""
    level = first
    found = []
    decided = sorted((a for a in adjustments if a["decision"] == APPROVED),
                     key=lambda a: a["decided_at"])
    for adjustment in decided:
        for change in _retargets_of(key_result_id, adjustment["changes"]):
            before = change["before"].get("target", level)
            after = change["after"].get("target", before)
            if before is None or after is None:
                continue
            found.append(Retarget(time=adjustment["decided_at"], before=before, after=after,
                                  decided_by=adjustment["decided_by"] or "",
                                  reason=adjustment["reason"]))
            level = after
    return found


def _retargets_of(key_result_id: str,
                  changes: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [c for c in changes
            if c.get("op") == RETARGET and c.get("key_result_id") == key_result_id]
