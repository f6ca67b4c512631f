"""`ViewQueries`: what the API asks of the views, each answered from the views alone."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.errors import NotFoundError, ValidationError
from projections.arguments import check_datetimes, check_moment
from projections.audit import AuditTables
from projections.check_ins import CheckInTables
from projections.decision_view import DecisionFilter, DecisionTables
from projections.summary import RUNNING, check_stale_days, is_stale, summarise
from projections.tree_cache import CurrentTrees
from projections.tree_diff import DEFAULT_MIN_DELTA, check_min_delta, tree_changes
from projections.tree_shape import assemble
from projections.tree_view import TreeTables
from workflows.ledger import OKRLedger
from workflows.pages import Key, Page
from workflows.timestamps import rfc3339_or_none


@dataclass(frozen=True)
class TreePoint:
    """Where a read of the past stands: a log position and the moment of the cycle's last
    change up to it (None before the cycle's first objective)."""

    position: int
    time: datetime | None

    def public(self) -> dict[str, Any]:
        return {"position": self.position, "time": rfc3339_or_none(self.time)}


class ViewQueries:
    """The queries of `ProjectionService`, over the views it opened."""

    _tree: TreeTables
    _audit: AuditTables
    _check_ins: CheckInTables
    _decisions: DecisionTables
    current_trees: CurrentTrees
    ledger: OKRLedger

    def positions(self) -> dict[str, int]:
        raise NotImplementedError

    def tree(self, cycle_id: str, *, root_id: str | None = None, as_of: datetime | None = None,
             at_position: int | None = None) -> list[dict[str, Any]]:
        """The cycle's alignment trees now, at a log position, or as they stood at `as_of`.

        Trees are shared between readers: treat them as read-only."""
        return self.tree_at_point(cycle_id, root_id=root_id, as_of=as_of,
                                  at_position=at_position)[0]

    def tree_at_point(self, cycle_id: str, *, root_id: str | None = None,
                      as_of: datetime | None = None, at_position: int | None = None
                      ) -> tuple[list[dict[str, Any]], TreePoint | None]:
        """The trees (as `tree`) and, for a read of the past, the point of the log it resolved
        to: a position where every command is whole, and the moment of the cycle's last change
        up to it. A position inside a command resolves to the one before that command."""
        check_moment(as_of, at_position)
        self._require_cycle(cycle_id)
        if at_position is None and as_of is None:
            return self.current_trees.tree(cycle_id, root_id), None
        point = self.tree_point(cycle_id, as_of=as_of, at_position=at_position)
        if at_position is not None:
            return self.current_trees.tree_at(cycle_id, root_id, point.position), point
        return assemble(self._tree.nodes(cycle_id, as_of=as_of), root_id), point

    def tree_point(self, cycle_id: str, *, as_of: datetime | None = None,
                   at_position: int | None = None) -> TreePoint:
        """Where a read of the cycle at `at_position` or `as_of` stands: the position (whole
        commands only) and the moment of the cycle's last change up to it."""
        if at_position is not None:
            position = self.ledger.whole_command_position(self._reached(at_position))
        elif as_of is not None:
            position = self.ledger.command_end_position(self._tree.position_at(cycle_id, as_of))
        else:
            position = self.positions()["tree"]
        return TreePoint(position, self._tree.time_at(cycle_id, position))

    def tree_diff(self, cycle_id: str, *, from_position: int | None = None,
                  to_position: int | None = None, from_time: datetime | None = None,
                  to_time: datetime | None = None,
                  min_delta: float = DEFAULT_MIN_DELTA) -> dict[str, Any]:
        """What changed in the cycle's tree between two points of the log (positions or
        moments; no `to` is now): objectives added, cancelled, closed, re-parented, newly
        supporting, other state changes, and progress or score moved by `min_delta` or more
        (`projections.tree_diff`)."""
        check_min_delta(min_delta)
        check_datetimes(from_time=from_time, to_time=to_time)
        if from_position is None and from_time is None:
            raise ValidationError([("from_position", "give from_position or from_time")])
        for name, time, position in (("from", from_time, from_position),
                                     ("to", to_time, to_position)):
            if time is not None and position is not None:
                raise ValidationError([(f"{name}_time", f"give {name}_time or {name}_position, "
                                                        "not both")])
            if position is not None:
                self._reached(position, f"{name}_position")
        self._require_cycle(cycle_id)
        start = self.tree_point(cycle_id, as_of=from_time, at_position=from_position)
        end = self.tree_point(cycle_id, as_of=to_time, at_position=to_position)
        before = self._tree.nodes(cycle_id, at_position=start.position)
        after = self._tree.nodes(cycle_id, at_position=end.position)
        return {"cycle_id": cycle_id, "from": start.public(), "to": end.public(),
                "min_delta": min_delta, **tree_changes(before, after, min_delta)}

    def objectives(self, *, cycle_id: str | None = None, owner: str | None = None,
                   state: str | None = None) -> list[dict[str, Any]]:
        return self.objectives_page(cycle_id=cycle_id, owner=owner, state=state).items

    def objectives_page(self, *, cycle_id: str | None = None, owner: str | None = None,
                        state: str | None = None, after: Key | None = None,
                        limit: int | None = None) -> Page[dict[str, Any]]:
        """Current objectives in the order they were drafted, a page at a time."""
        return self._tree.current(cycle_id=cycle_id, owner=owner, state=state, after=after,
                                  limit=limit)

    def adjustments(self, *, cycle_id: str | None = None, objective_id: str | None = None,
                    owner: str | None = None, since: datetime | None = None,
                    until: datetime | None = None) -> list[dict[str, Any]]:
        return self.adjustments_page(cycle_id=cycle_id, objective_id=objective_id,
                                     owner=owner, since=since, until=until).items

    def adjustments_page(self, *, cycle_id: str | None = None, objective_id: str | None = None,
                         owner: str | None = None, since: datetime | None = None,
                         until: datetime | None = None, after: int = 0,
                         limit: int | None = None) -> Page[dict[str, Any]]:
        """Adjustments in the order proposed, a page at a time after log position `after`."""
        check_datetimes(since=since, until=until)
        return self._audit.adjustments(cycle_id=cycle_id, objective_id=objective_id,
                                       owner=owner, since=since, until=until, after=after,
                                       limit=limit)

    def decisions(self, where: DecisionFilter | None = None, *, after: int = 0,
                  limit: int | None = None) -> tuple[list[dict[str, Any]], int | None]:
        """The decision log, filtered, after log position `after`: a page of entries and
        where the next page starts (None after the last)."""
        where = where or DecisionFilter()
        check_datetimes(since=where.since, until=where.until)
        return self._decisions.decisions(where, after=after, limit=limit)

    def check_ins(self, objective_id: str, key_result_id: str) -> list[dict[str, Any]]:
        return self.check_ins_page(objective_id, key_result_id).items

    def check_ins_page(self, objective_id: str, key_result_id: str, *, after: int = 0,
                       limit: int | None = None) -> Page[dict[str, Any]]:
        """A KR's check-ins in log order, a page at a time after log position `after`."""
        return self._check_ins.series(objective_id, key_result_id, after=after, limit=limit)

    def last_check_ins(self, cycle_id: str,
                       objective_ids: Collection[str] | None = None) -> dict[str, datetime]:
        """Each objective of the cycle (or of `objective_ids` in it) with a check-in, and when
        its latest one was."""
        return self._check_ins.last_check_ins(cycle_id, objective_ids)

    def cycle_moments(self, cycle_id: str) -> int:
        """How many commands changed the cycle's objectives: the steps of its replay."""
        self._require_cycle(cycle_id)
        return self._tree.moment_count(cycle_id)

    def cycle_moment(self, cycle_id: str, index: int) -> dict[str, Any]:
        """The cycle's `index`th command (from 0, in log order): the position where the tree
        shows it whole, its time, and the objective, version and node of its first event."""
        self._require_cycle(cycle_id)
        found = self._tree.moment(cycle_id, index)
        if found is None:
            raise ValidationError([("step", f"must be from 0 to "
                                            f"{self._tree.moment_count(cycle_id) - 1}")])
        return {**found, "position": self.ledger.command_end_position(found["position"])}

    def command_spans(self, objective_id: str) -> list[tuple[int, int]]:
        """The objective's commands as far as the views have reached, oldest first: each
        one's recorded time in microseconds and how many events (versions) it recorded."""
        return self._tree.command_spans(str(objective_id))

    def summary(self, cycle_id: str, *, stale_days: int,
                now: datetime | None = None) -> dict[str, Any]:
        stale_days = check_stale_days(stale_days)
        self._require_cycle(cycle_id)
        return summarise(cycle_id, self.current_trees.nodes(cycle_id),
                         self._check_ins.last_check_ins(cycle_id), stale_days,
                         now or datetime.now(UTC))

    def stale_ids(self, cycle_id: str, nodes: list[dict[str, Any]], *, stale_days: int,
                  now: datetime | None = None) -> set[str]:
        """Which of `nodes` (current nodes of the cycle) are stale, as the summary counts
        them, asking only for their check-ins: an opened subtree of a 50,000-objective cycle
        shows a few dozen nodes, and the whole summary took ~250 ms."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=check_stale_days(stale_days))
        running = [node for node in nodes if node["state"] in RUNNING]
        last = self._check_ins.last_check_ins(cycle_id, [node["id"] for node in running])
        return {node["id"] for node in running if is_stale(node, last.get(node["id"]), cutoff)}

    def _reached(self, at_position: int, name: str = "at_position") -> int:
        reached = self.positions()["tree"]
        if at_position > reached:
            raise ValidationError([(name, f"the tree has reached position {reached}; "
                                          "ask for that or an earlier one")])
        return at_position

    def _require_cycle(self, cycle_id: str) -> None:
        if not self._tree.has_cycle(str(cycle_id)):
            raise NotFoundError("cycle", cycle_id)
