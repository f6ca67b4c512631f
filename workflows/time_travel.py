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
from workflows.command_boundaries import CommandBoundaries
from workflows.event_metadata import ENVELOPE_FIELDS, metadata_of
from workflows.ledger_base import AnyId, as_uuid
from workflows.objective_state import objective_state
from workflows.pages import Page, fetch_size, page_of
from workflows.recorded_commands import RecordedCommand, recorded_commands
from workflows.timeline import timeline
from workflows.timestamps import rfc3339


class TimeTravel(CommandBoundaries):
    def objective_at(self, objective_id: AnyId, *, version: int | None = None,
                     as_of: datetime | None = None,
                     at_position: int | None = None) -> Objective:
        """The objective as it was at `version` (an event's version), as it stood at the moment
        `as_of`, or at log position `at_position`; a moment or a position never lands inside
        a command (every event of one command has its one time; a position inside a command
        resolves to the one before it). Give one of the three."""
        given = [name for name, value in (("version", version), ("as_of", as_of),
                                          ("at_position", at_position)) if value is not None]
        if len(given) > 1:
            raise ValidationError([(name, f"give one of version, as_of and at_position, "
                                          f"not {' and '.join(given)}") for name in given])
        if as_of is not None:
            version = self._version_at(objective_id, as_utc(as_of))
        if at_position is not None:
            version = self._version_at_position(objective_id, at_position)
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
        uuid = as_uuid(objective_id, "id")
        events = list(self._recorded(uuid, after, fetch_size(limit)))
        positions = self.moments.positions_of(uuid) if events else {}
        return page_of(events, limit, lambda event: (event.originator_version,),
                       lambda event: history_entry(event, positions.get(
                           event.originator_version)))

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
        """Each field that differs between two versions, with its old and new value and the
        commands between them that changed it (actor, role, time, position, reason)."""
        before = objective_state(self.objective_at(objective_id, version=from_version))
        after = objective_state(self.objective_at(objective_id, version=to_version))
        changes = _differences(before, after)
        low, high = sorted((from_version, to_version))
        commands = [command for command in self.recorded_commands(objective_id)
                    if command.version > low and command.first_version <= high]
        touched = [(command, _changed_fields(command)) for command in commands]
        for change in changes:
            change["commands"] = [changed_by(command) for command, fields in touched
                                  if _touches(fields, change["field"])]
        return changes

    def version_at(self, objective_id: AnyId, *, version: int | None = None,
                   as_of: datetime | None = None) -> int:
        """The version a diff end names: a version as given, or the one reached at a moment."""
        if as_of is None:
            return version if version is not None else self.objective(objective_id).version
        reached = self._version_at(objective_id, as_utc(as_of))
        return reached if reached is not None else self.objective(objective_id).version

    def _version_at_position(self, objective_id: AnyId, position: int) -> int | None:
        """The last version recorded at or before the whole-command position `position`."""
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            raise ValidationError([("at_position", f"must be a log position, 0 or more; "
                                                   f"got {position!r}")])
        uuid = as_uuid(objective_id, "objective")
        whole = self.whole_command_position(position)
        positions = self.moments.positions_of(uuid)
        reached = [version for version, at in positions.items() if at <= whole]
        if not positions:
            self.objective(uuid)  # not found
        if not reached:
            raise NotFoundError(f"objective at position {position}", objective_id)
        return None if len(reached) == len(positions) else max(reached)

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


def history_entry(event: Aggregate.Event, position: int | None = None) -> dict[str, Any]:
    metadata = metadata_of(event)
    return {
        "type": type(event).__name__,
        "version": event.originator_version,
        "time": rfc3339(event.timestamp),
        "actor": getattr(event, "actor", None),
        "position": position,
        "command_id": metadata.get("command_id"),
        "role": metadata.get("role"),
        "request_id": metadata.get("request_id"),
        "data": {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS},
    }


def changed_by(command: RecordedCommand) -> dict[str, Any]:
    """Who changed a field, when, where in the log and why: one command, as a diff cites it."""
    why = next((text for event in command.events for name in ("reason", "comment", "note")
                if isinstance(text := getattr(event, name, None), str) and text), "")
    return {"command_id": command.command_id, "actor": command.actor, "role": command.role,
            "time": rfc3339(command.time), "position": command.position,
            "version": command.version, "reason": why}


def _changed_fields(command: RecordedCommand) -> set[str]:
    if command.before is None:
        return {"*"}
    return {change["field"] for change in _differences(objective_state(command.before),
                                                       objective_state(command.after))}


def _touches(fields: set[str], field: str) -> bool:
    """Whether a command that changed `fields` changed `field` (a KR added or removed from
    view counts for each of its fields)."""
    return "*" in fields or field in fields or any(
        field.startswith(name + ".") or name.startswith(field + ".") for name in fields)


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
