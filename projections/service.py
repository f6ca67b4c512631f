"""`ProjectionService`: the read models of the ledger, built only from its stored events.

One composition root for the views (alignment tree, adjustment audit, check-in series; the
cycle summary reads the tree and the check-ins), the follower that keeps them up to date, and
the queries the API serves. It listens to the ledger it follows (`OKRLedger.on_saved`), so
every save through that ledger wakes the views without the caller having to.
"""

from __future__ import annotations

from typing import Any

from domain.errors import ValidationError
from projections.background import BackgroundFollowing
from projections.environments import POSTGRES, SQLITE
from projections.following import EventFailedError, ViewFollower
from projections.queries import ViewQueries
from projections.rebuilding import AsideRebuild
from projections.tree_cache import CurrentTrees
from projections.view_check import ViewCheck, view_differences
from projections.views import OpenViews
from workflows.ledger import OKRLedger


class ProjectionService(ViewQueries):
    def __init__(self, env: dict[str, str], *, ledger: OKRLedger | None = None,
                 batch_size: int = 2000, poll_interval: float = 0.2,
                 give_up_after: int = 5) -> None:
        """`ledger` shares an application already open (an in-memory one must be shared).
        `poll_interval`: how often to look at the log where no notification wakes the views
        (SQLite), and how soon to retry a failed batch; `give_up_after`: how many times an
        event may fail before it is dead-lettered and the views stop."""
        if ledger is None and env.get("PERSISTENCE_MODULE") not in (SQLITE, POSTGRES):
            raise ValueError("an in-memory ledger cannot be reopened: pass ledger= as well")
        self.ledger = ledger if ledger is not None else OKRLedger(env)
        self._owns_ledger = ledger is None
        opened = OpenViews(env)
        self.views = {view.name: view for view in opened.all}
        self.batch_size = batch_size
        self.rebuilding: AsideRebuild | None = None
        self.follower = ViewFollower(self.ledger, opened.all, batch_size)
        self.dead_letters = opened.dead_letters
        self.following = BackgroundFollowing(self.follower.catch_up, self.ledger.recorder,
                                             poll_interval, give_up_after, self._dead_letter)
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
        """Replay the whole log into the named view (or all) built aside, then swap it in; the
        live view is untouched if the replay fails (RebuildFailedError)."""
        if name is not None and name not in self.views:
            raise ValidationError([("name", f"must be one of {', '.join(self.views)}; "
                                            f"got {name!r}")])
        chosen = [view for view in self.views.values() if name in (None, view.name)]
        self.rebuilding = AsideRebuild(self.ledger, chosen, self.batch_size)
        try:
            return self.rebuilding.run(self.follower.lock)
        finally:
            self.current_trees.forget()
            self.rebuilding = None

    def check_against_rebuild(self) -> ViewCheck:
        """Every view compared, row by row, with a replay of the log into scratch tables
        (`projections.view_check`); the live views are only read."""
        return view_differences(self.ledger, list(self.views.values()), self.batch_size)

    def status(self) -> dict[str, Any]:
        """What an operator asks: each view's position and lag, whether the views are
        following or stopped on an event, and the dead letters they have not got past."""
        last = self.ledger.recorder.max_notification_id() or 0
        positions = self.positions()
        stopped = self.following.stopped_at
        error = self.following.last_error
        return {"state": "stopped" if stopped else "following" if self.following.running
                else "idle",
                "log_position": last,
                "views": {name: {"position": reached, "lag": last - reached}
                          for name, reached in positions.items()},
                "last_error": None if error is None else str(error),
                "dead_letters": self.dead_letters.after(min(positions.values()))}

    def _dead_letter(self, failed: EventFailedError, attempts: int) -> None:
        self.dead_letters.record(failed.position, str(failed), attempts)

    def close(self) -> None:
        self._stop_listening()
        self.stop()
        for view in self.views.values():
            view.recorder.datastore.close()
        self.dead_letters.datastore.close()
        if self._owns_ledger:
            self.ledger.close()

    def __enter__(self) -> ProjectionService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
