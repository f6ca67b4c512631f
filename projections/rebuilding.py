"""Rebuilding views aside: replay the log into tables beside the live ones, then swap them in.

The live views stay readable, and stay as they were, until the new ones are complete: a replay
that fails (an event no view can apply, a store that went away) drops only what it built aside.
The swap happens under the live follower's lock, after a last catch-up, one view per
transaction (on SQLite each view is a file of its own, so there is no one transaction for all),
the views at the same time, a thread each: a swap is mostly the store building the view's
indexes, and the views' stores are independent.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from eventsourcing.application import Application

from domain.errors import LedgerError
from projections.following import EventFailedError, View, ViewFollower, concurrently

ASIDE_PREFIX = "rebuild_"


class RebuildFailedError(LedgerError):
    """The replay stopped; the live views were not touched."""


class AsideRebuild:
    def __init__(self, app: Application[Any], views: list[View[Any]],
                 batch_size: int) -> None:
        self.app, self.views = app, views
        self.tracking_name = f"{app.name}.rebuild"
        self.aside = [View(view.name, view.recorder.aside(ASIDE_PREFIX, self.tracking_name),
                           type(view.projection)()) for view in views]
        self.follower = ViewFollower(app, self.aside, batch_size, self.tracking_name)

    def position(self) -> int:
        """How far the views built aside have got."""
        return min(self.follower.positions().values())

    def run(self, live_lock: threading.Lock) -> int:
        """Replay the whole log aside and swap the views in; the position they then hold."""
        try:
            self.follower.replay()
            with live_lock, ThreadPoolExecutor(len(self.views), "view-swap") as swapping:
                self.follower.catch_up()
                return min(concurrently(swapping, [
                    partial(view.recorder.swap_in, built.recorder, self.app.name,
                            self.tracking_name)
                    for view, built in zip(self.views, self.aside, strict=True)]))
        except EventFailedError as failed:
            raise RebuildFailedError(
                f"the rebuild stopped at position {failed.position} "
                f"({type(failed.error).__name__}: {failed.error}); the views are as they were"
            ) from failed
        finally:
            for built in self.aside:
                built.recorder.discard(self.tracking_name)
