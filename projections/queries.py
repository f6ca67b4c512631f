"""`ViewQueries`: what the API asks of the views, each answered from the views alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.errors import NotFoundError, ValidationError
from projections.arguments import check_datetimes, check_moment
from projections.audit import AuditTables
from projections.check_ins import CheckInTables
from projections.decision_view import DecisionFilter, DecisionTables
from projections.summary import check_stale_days, summarise
from projections.tree_cache import CurrentTrees
from projections.tree_shape import assemble
from projections.tree_view import TreeTables
from workflows.pages import Key, Page


class ViewQueries:
    """The queries of `ProjectionService`, over the views it opened."""

    _tree: TreeTables
    _audit: AuditTables
    _check_ins: CheckInTables
    _decisions: DecisionTables
    current_trees: CurrentTrees

    def positions(self) -> dict[str, int]:
        raise NotImplementedError

    def tree(self, cycle_id: str, *, root_id: str | None = None, as_of: datetime | None = None,
             at_position: int | None = None) -> list[dict[str, Any]]:
        """The cycle's alignment trees now, at a log position, or as they stood at `as_of`.

        Trees are shared between readers: treat them as read-only."""
        check_moment(as_of, at_position)
        self._require_cycle(cycle_id)
        if at_position is not None:
            return self.current_trees.tree_at(cycle_id, root_id, self._reached(at_position))
        if as_of is not None:
            return assemble(self._tree.nodes(cycle_id, as_of=as_of), root_id)
        return self.current_trees.tree(cycle_id, root_id)

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

    def last_check_ins(self, cycle_id: str) -> dict[str, datetime]:
        """Each objective of the cycle with a check-in, and when its latest one was."""
        return self._check_ins.last_check_ins(cycle_id)

    def cycle_moments(self, cycle_id: str) -> int:
        """How many objective events the cycle's tree has seen: the steps of its replay."""
        self._require_cycle(cycle_id)
        return self._tree.moment_count(cycle_id)

    def cycle_moment(self, cycle_id: str, index: int) -> dict[str, Any]:
        """The cycle's `index`th objective event (from 0, in log order): its position, time,
        objective, the objective's version after it and the node it produced."""
        self._require_cycle(cycle_id)
        found = self._tree.moment(cycle_id, index)
        if found is None:
            raise ValidationError([("step", f"must be from 0 to "
                                            f"{self._tree.moment_count(cycle_id) - 1}")])
        return found

    def summary(self, cycle_id: str, *, stale_days: int,
                now: datetime | None = None) -> dict[str, Any]:
        stale_days = check_stale_days(stale_days)
        self._require_cycle(cycle_id)
        return summarise(cycle_id, self.current_trees.nodes(cycle_id),
                         self._check_ins.last_check_ins(cycle_id), stale_days,
                         now or datetime.now(UTC))

    def _reached(self, at_position: int) -> int:
        reached = self.positions()["tree"]
        if at_position > reached:
            raise ValidationError([("at_position", f"the tree has reached position {reached}; "
                                                   "ask for that or an earlier one")])
        return at_position

    def _require_cycle(self, cycle_id: str) -> None:
        if not self._tree.has_cycle(str(cycle_id)):
            raise NotFoundError("cycle", cycle_id)
