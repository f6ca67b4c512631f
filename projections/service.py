"""`ProjectionService`: the read models of the ledger, built only from its stored events.

One composition root for the views (alignment tree, adjustment audit, check-in series; the
cycle summary reads the tree and the check-ins), the follower that keeps them up to date, and
the queries the API serves. It listens to the ledger it follows (`OKRLedger.on_saved`), so
every save through that ledger wakes the views without the caller having to.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.errors import NotFoundError, ValidationError
from projections.arguments import check_datetimes, check_moment
from projections.background import BackgroundFollowing
from projections.decision_view import DecisionFilter
from projections.environments import POSTGRES, SQLITE
from projections.following import ViewFollower
from projections.summary import check_stale_days, summarise
from projections.tree_cache import CurrentTrees
from projections.tree_shape import assemble
from projections.views import OpenViews
from workflows.ledger import OKRLedger


class ProjectionService:
    def __init__(self, env: dict[str, str], *, ledger: OKRLedger | None = None,
                 batch_size: int = 2000, poll_interval: float = 0.2) -> None:
        """`ledger` shares an application already open (an in-memory one must be shared).
        `poll_interval`: how often to look at the log where no notification wakes the views
        (SQLite), and how soon to retry a failed batch."""
        if ledger is None and env.get("PERSISTENCE_MODULE") not in (SQLITE, POSTGRES):
            raise ValueError("an in-memory ledger cannot be reopened: pass ledger= as well")
        self.ledger = ledger if ledger is not None else OKRLedger(env)
        self._owns_ledger = ledger is None
        opened = OpenViews(env)
        self.views = {view.name: view for view in opened.all}
        self.follower = ViewFollower(self.ledger, opened.all, batch_size)
        self.following = BackgroundFollowing(self.follower.catch_up, self.ledger.recorder,
                                             poll_interval)
        self._stop_listening = self.ledger.on_saved(lambda _recordings: self.following.notify())
        self._tree, self._audit, self._check_ins = opened.tree, opened.audit, opened.check_ins
        self._decisions = opened.decisions
        self.current_trees = CurrentTrees(self._tree)

    # ----- following -----------------------------------------------------------------------

    def start(self) -> None:
        self.following.start()

    def stop(self) -> None:
        self.following.stop()

    def catch_up(self) -> int:
        return self.follower.catch_up()

    def position(self) -> int:
        """The position every view has reached."""
        return min(self.follower.positions().values())

    def positions(self) -> dict[str, int]:
        """The position each view has reached, by view name."""
        return self.follower.positions()

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Read-your-writes: whether every view reached `position` within `timeout` seconds."""
        return self.following.wait_until(lambda: self.position() >= position, timeout)

    def view_names(self) -> list[str]:
        return list(self.views)

    def rebuild(self, name: str | None = None) -> int:
        """Drop the named view (or all) and replay the whole log into it."""
        if name is not None and name not in self.views:
            raise ValidationError([("name", f"must be one of {', '.join(self.views)}; "
                                            f"got {name!r}")])
        with self.follower.lock:
            for view in self.views.values():
                if name in (None, view.name):
                    view.recorder.drop(self.ledger.name)
            self.current_trees.forget()
        return self.catch_up()

    def close(self) -> None:
        self._stop_listening()
        self.stop()
        for view in self.views.values():
            view.recorder.datastore.close()
        if self._owns_ledger:
            self.ledger.close()

    def __enter__(self) -> ProjectionService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----- queries -------------------------------------------------------------------------

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
        return self._tree.current(cycle_id=cycle_id, owner=owner, state=state)

    def adjustments(self, *, cycle_id: str | None = None, objective_id: str | None = None,
                    owner: str | None = None, since: datetime | None = None,
                    until: datetime | None = None) -> list[dict[str, Any]]:
        check_datetimes(since=since, until=until)
        return self._audit.adjustments(
            cycle_id=cycle_id, objective_id=objective_id, owner=owner, since=since, until=until)

    def decisions(self, where: DecisionFilter | None = None, *, after: int = 0,
                  limit: int | None = None) -> tuple[list[dict[str, Any]], int | None]:
        """The decision log, filtered, after log position `after`: a page of entries and
        where the next page starts (None after the last)."""
        where = where or DecisionFilter()
        check_datetimes(since=where.since, until=where.until)
        return self._decisions.decisions(where, after=after, limit=limit)

    def check_ins(self, objective_id: str, key_result_id: str) -> list[dict[str, Any]]:
        return self._check_ins.series(objective_id, key_result_id)

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
