"""Reviewers' questions about the past: an objective at a version or a moment, its history,
and what changed between two versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.errors import NotFoundError, ValidationError
from domain.objective import Objective

from workflows.ledger_base import LedgerBase, _as_uuid
from workflows.objective_state import objective_state

ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}


class TimeTravel(LedgerBase):
    def objective_at(self, objective_id: Any, *, version: int | None = None,
                     as_of: datetime | None = None) -> Objective:
        """The objective as it was at `version`, or as it stood at the moment `as_of`."""
        if as_of is not None:
            version = self._version_at(objective_id, as_of)
        if version is None:
            return self.objective(objective_id)
        objective = self.objective(objective_id, version=version) if version >= 1 else None
        if objective is None or objective.version != version:
            latest = objective.version if objective else self.objective(objective_id).version
            raise ValidationError([("version", f"must be from 1 to {latest}")])
        return objective

    def history(self, objective_id: Any) -> list[dict[str, Any]]:
        """Every event of the objective, oldest first: type, version, time, actor, payload."""
        self.objective(objective_id)
        return [_history_entry(event) for event in self.events.get(_as_uuid(objective_id, "id"))]

    def diff(self, objective_id: Any, from_version: int, to_version: int) -> list[dict[str, Any]]:
        """Each field that differs between two versions, with its old and new value."""
        before = objective_state(self.objective_at(objective_id, version=from_version))
        after = objective_state(self.objective_at(objective_id, version=to_version))
        return _differences(_flatten(before), _flatten(after))

    def _version_at(self, objective_id: Any, as_of: datetime) -> int:
        version = None
        for event in self.events.get(_as_uuid(objective_id, "objective")):
            if event.timestamp > as_of:
                break
            version = event.originator_version
        if version is None:
            raise NotFoundError(f"objective as of {as_of.isoformat()}", objective_id)
        return version


def _history_entry(event: Any) -> dict[str, Any]:
    return {
        "type": type(event).__name__,
        "version": event.originator_version,
        "time": event.timestamp.isoformat(),
        "actor": getattr(event, "actor", None),
        "data": {k: v for k, v in event.__dict__.items() if k not in ENVELOPE},
    }


def _flatten(state: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in state.items() if k not in ("key_results", "version", "modified_at")}
    for kr in state["key_results"]:
        for name, value in kr.items():
            if name != "id":
                flat[f"key_results.{kr['id']}.{name}"] = value
    return flat


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"field": name, "old": before.get(name), "new": after.get(name)}
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]
