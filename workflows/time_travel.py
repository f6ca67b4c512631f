"""Reviewers' questions about the past: an objective at a version or a moment, its history,
and what changed between two versions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import NotFoundError, ValidationError
from domain.objective import Objective
from workflows.event_metadata import ENVELOPE_FIELDS, metadata_of
from workflows.ledger_base import AnyId, LedgerBase, as_uuid
from workflows.objective_state import objective_state
from workflows.pages import Page, fetch_size, page_of
from workflows.recorded_commands import RecordedCommand, recorded_commands
from workflows.timeline import timeline
from workflows.timestamps import rfc3339


class TimeTravel(LedgerBase):
    def objective_at(self, objective_id: AnyId, *, version: int | None = None,
                     as_of: datetime | None = None) -> Objective:
        """The objective as it was at `version`, or as it stood at the moment `as_of`."""
        if as_of is not None:
            version = self._version_at(objective_id, as_utc(as_of))
        if version is None:
            return self.objective(objective_id)
        objective = self.objective(objective_id, version=version) if version >= 1 else None
        if objective is None or objective.version != version:
            latest = objective.version if objective else self.objective(objective_id).version
            raise ValidationError([("version", f"must be from 1 to {latest}")])
        return objective

    def history(self, objective_id: AnyId) -> list[dict[str, Any]]:
        """Every event of the objective, oldest first: type, version, time, actor, payload."""
        return self.history_page(objective_id).items

    def history_page(self, objective_id: AnyId, *, after: int = 0,
                     limit: int | None = None) -> Page[dict[str, Any]]:
        """The objective's events after version `after`, oldest first, a page at a time."""
        self.objective(objective_id)
        events = list(self._recorded(as_uuid(objective_id, "id"), after, fetch_size(limit)))
        return page_of(events, limit, lambda event: (event.originator_version,), history_entry)

    def recorded_commands(self, objective_id: AnyId) -> list[RecordedCommand]:
        """The objective's commands, oldest first, each with its events, their log positions
        and the objective before and after it (`workflows.recorded_commands`)."""
        uuid = as_uuid(objective_id, "objective")
        self.objective(uuid)
        return recorded_commands(list(self._recorded(uuid)), self.moments.positions_of(uuid))

    def timeline(self, objective_id: AnyId) -> list[dict[str, Any]]:
        """One entry per command, oldest first, in words a person reads, with who, in which
        role, when, where in the log, why and every field changed (`workflows.timeline`)."""
        return timeline(self.recorded_commands(objective_id))

    def diff(self, objective_id: AnyId, from_version: int,
             to_version: int) -> list[dict[str, Any]]:
        """Each field that differs between two versions, with its old and new value."""
        before = objective_state(self.objective_at(objective_id, version=from_version))
        after = objective_state(self.objective_at(objective_id, version=to_version))
        return _differences(before, after)

    def _version_at(self, objective_id: AnyId, as_of: datetime) -> int | None:
        """The version the objective had reached at `as_of`: the one before the first version
        recorded after it (None: no version was, so the current one)."""
        first_after = self._first_version_after(as_uuid(objective_id, "objective"), as_of)
        if first_after == 1:
            raise NotFoundError(f"objective as of {as_of.isoformat()}", objective_id)
        return None if first_after is None else first_after - 1

    def _first_version_after(self, objective_id: UUID, moment: datetime) -> int | None:
        found = self.moments.first_version_after(objective_id, moment)
        if found.indexed:
            return found.first_version_after
        return next((event.originator_version for event in self._recorded(objective_id)
                     if event.timestamp > moment), None)  # not indexed: see workflows.moments

    def _recorded(self, aggregate_id: UUID, after: int | None = None,
                  limit: int | None = None) -> Iterator[Aggregate.Event]:
        """The aggregate's stored events after version `after`, oldest first (every one is an
        `Aggregate.Event`)."""
        return (event for event in self.events.get(aggregate_id, gt=after, limit=limit)
                if isinstance(event, Aggregate.Event))


def as_utc(moment: datetime) -> datetime:
    """Event times are UTC; a moment given without a zone is read as UTC too."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def history_entry(event: Aggregate.Event) -> dict[str, Any]:
    return {
        "type": type(event).__name__,
        "version": event.originator_version,
        "time": rfc3339(event.timestamp),
        "actor": getattr(event, "actor", None),
        "request_id": metadata_of(event).get("request_id"),
        "data": {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS},
    }


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Changed objective fields, then per key result: added, removed from view, or changed."""
    skip = {"key_results", "version", "modified_at"}
    changes = _field_changes("", before, after, skip)
    old_krs = {kr["id"]: kr for kr in before["key_results"]}
    new_krs = {kr["id"]: kr for kr in after["key_results"]}
    for kr_id in list(old_krs) + [k for k in new_krs if k not in old_krs]:
        old, new = old_krs.get(kr_id), new_krs.get(kr_id)
        if old is None or new is None:
            changes.append({"field": f"key_results.{kr_id}", "old": old, "new": new})
        else:
            changes += _field_changes(f"key_results.{kr_id}.", old, new, {"id"})
    return changes


def _field_changes(prefix: str, before: dict[str, Any], after: dict[str, Any],
                   skip: set[str]) -> list[dict[str, Any]]:
    names = [name for name in after if name not in skip]
    return [{"field": prefix + name, "old": before.get(name), "new": after.get(name)}
            for name in names if before.get(name) != after.get(name)]
