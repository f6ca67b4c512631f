"""Progress per owner, built from the CloudEvents on the topic alone: the example consumer's view.

It shows integrators the pattern: drop repeats by the CloudEvent id (delivery is at least once),
rely on per-aggregate order (the key is the aggregate id), and fold each event's `data` into a
small state. Key-result progress uses the domain's own arithmetic so the view provably agrees
with the ledger; an external consumer would code the same few rules against the schemas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.key_result import KeyResult, apply_fields, new_key_result
from domain.scoring import weighted_average
from domain.values import KeyResultKind, ObjectiveState


@dataclass
class ObjectiveProgress:
    owner: str
    state: str
    key_results: dict[str, KeyResult] = field(default_factory=dict)

    @property
    def progress(self) -> float:
        active = [kr for kr in self.key_results.values() if not kr.removed]
        return weighted_average((min(kr.progress, 1.0), kr.weight) for kr in active)


class ProgressView:
    def __init__(self) -> None:
        self.objectives: dict[str, ObjectiveProgress] = {}
        self.seen_ids: set[str] = set()
        self.duplicates = 0

    def apply(self, event: dict[str, Any]) -> bool:
        """Fold one CloudEvent in; False (and no change) if its id was seen before."""
        if event["id"] in self.seen_ids:
            self.duplicates += 1
            return False
        self.seen_ids.add(event["id"])
        handler = _HANDLERS.get(event["type"])
        objective = self.objectives.get(event["subject"])
        if event["type"] == "okr.objective.drafted":
            objective = self.objectives[event["subject"]] = ObjectiveProgress(
                event["data"]["owner"], event["data"]["state"])
        if objective is not None and event["type"].startswith("okr.objective."):
            objective.state = event["data"]["state"]
            if handler:
                handler(objective, event["data"])
        return True

    def by_owner(self) -> dict[str, dict[str, float]]:
        """{owner: {objectives, progress}} over objectives that are not cancelled."""
        grouped: dict[str, list[float]] = {}
        for objective in self.objectives.values():
            if objective.state != ObjectiveState.CANCELLED.value:
                grouped.setdefault(objective.owner, []).append(objective.progress)
        return {owner: {"objectives": len(values), "progress": round(sum(values) / len(values), 4)}
                for owner, values in sorted(grouped.items())}


def _edited(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    objective.owner = data["changes"].get("owner", objective.owner)


def _reassigned(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    objective.owner = data["after"].get("owner", objective.owner)


def _key_result_added(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    objective.key_results[data["key_result_id"]] = new_key_result(data["key_result_id"],
                                                                  data["fields"])


def _key_result_edited(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    apply_fields(objective.key_results[data["key_result_id"]], data["changes"])


def _key_result_removed(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    objective.key_results[data["key_result_id"]].removed = True


def _checked_in(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    kr = objective.key_results[data["key_result_id"]]
    kr.check_ins += 1
    kr.check_ins_met += 1 if data["met"] else 0
    kr.done = kr.done if data["done"] is None else data["done"]
    if data["value"] is not None and kr.kind == KeyResultKind.METRIC.value:
        kr.current = data["value"]


def _check_in_corrected(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    """A corrected check-in counts as corrected; only the latest sets the current value."""
    kr = objective.key_results[data["key_result_id"]]
    kr.check_ins_met += int(bool(data["met"])) - int(bool(data["was"].get("met")))
    if data["latest"]:
        kr.done = kr.done if data["done"] is None else data["done"]
        if data["value"] is not None and kr.kind == KeyResultKind.METRIC.value:
            kr.current = data["value"]


def _adjustment_approved(objective: ObjectiveProgress, data: dict[str, Any]) -> None:
    for change in data["changes"]:
        if change["op"] == "add_key_result":
            _key_result_added(objective, {"key_result_id": change["key_result_id"],
                                          "fields": change["after"]})
        elif "key_result_id" in change:
            kr = objective.key_results[change["key_result_id"]]
            for name, value in change["after"].items():
                setattr(kr, name, value)


_HANDLERS: dict[str, Callable[[ObjectiveProgress, dict[str, Any]], None]] = {
    "okr.objective.edited": _edited,
    "okr.objective.reassigned": _reassigned,
    "okr.objective.key_result_added": _key_result_added,
    "okr.objective.key_result_edited": _key_result_edited,
    "okr.objective.key_result_removed": _key_result_removed,
    "okr.objective.checked_in": _checked_in,
    "okr.objective.check_in_corrected": _check_in_corrected,
    "okr.objective.adjustment_approved": _adjustment_approved,
}
