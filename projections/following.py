"""`ViewFollower`: following the ledger's log by position into every view, a batch at a time.

Why not the library's ProjectionRunner: in eventsourcing 9.5 the SQLite application recorder
has no `subscribe`, so the runner cannot follow a SQLite store, and a runner writes one event per
transaction. Reading `select_notifications` after each view's own tracked position works on
every store, and a batch of events is written with its last position in one transaction, so a
view restarted anywhere resumes exactly after what it recorded: nothing skipped, nothing twice.
A batch that fails is tried again one event at a time, so the error names the one event no view
could apply (`EventFailedError`). What wakes the follower is `projections.background`'s business.

A replay of a long log (a rebuild, a check against one) goes through `replay`: the same batches,
each view's share of a batch written in a thread of its own (`concurrently`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from eventsourcing.application import Application
from eventsourcing.persistence import Notification, Tracking

from projections.aggregates import AggregatesAfter
from projections.dialects import PositionMovedError, ViewTables
from projections.projection import Changes, EventProjection

Result = TypeVar("Result")


@dataclass
class View(Generic[Changes]):
    name: str
    recorder: ViewTables[Changes]
    projection: EventProjection[Changes]


class EventFailedError(Exception):
    """The views could not apply the event at `position`; every event before it is applied."""

    def __init__(self, position: int, error: BaseException) -> None:
        self.position, self.error = position, error
        super().__init__(f"the event at position {position} could not be applied: "
                         f"{type(error).__name__}: {error}")


class ViewFollower:
    def __init__(self, app: Application[Any], views: list[View[Any]],
                 batch_size: int = 500, tracking_name: str | None = None) -> None:
        """`tracking_name`: the name the views' positions are kept under (the app's own name
        unless the views are built aside)."""
        self.app, self.views, self.batch_size = app, views, batch_size
        self.tracking_name = tracking_name or app.name
        self.aggregates = AggregatesAfter(app.recorder, app.mapper)
        self.routes: dict[type, list[View[Any]]] = {}
        self.writers: Executor | None = None
        self.lock = threading.Lock()
        for view in views:
            view.recorder.track(self.tracking_name)

    def positions(self) -> dict[str, int]:
        return {view.name: view.recorder.position(self.tracking_name) for view in self.views}

    def catch_up(self, stop: int | None = None) -> int:
        """Apply everything stored now (up to position `stop`, if given); the position every
        view has then reached."""
        while self.step(stop):
            pass
        return min(self.positions().values())

    def replay(self, stop: int | None = None) -> int:
        """`catch_up` for a long way to go: where the views' stores do the writing
        themselves (`ViewTables.writes_alongside`: PostgreSQL), each batch's views are
        written at the same time, a thread per view, while this thread waits; the views'
        writes then take about as long as the largest one's rather than the sum. Everything
        else is `catch_up`'s, failures included.

        Not overlapped with projecting the next batch: tried, and slower (benchmark row 3,
        "Third pass"), because a writing thread needs the GIL back after every row (SQLite
        binding it, psycopg formatting and sending COPY data) and waits out the busy
        projecting thread's switch interval (5 ms) each time."""
        if not all(view.recorder.writes_alongside for view in self.views):
            return self.catch_up(stop)
        with ThreadPoolExecutor(len(self.views), "view-writer") as writers:
            self.writers = writers
            try:
                return self.catch_up(stop)
            finally:
                self.writers = None

    def step(self, stop: int | None = None) -> int:
        """Apply the next batch (up to position `stop`) to each view still behind it; how
        many events were read. EventFailedError if one of them cannot be applied (those
        before it are)."""
        with self.lock:
            notifications = self.app.recorder.select_notifications(
                start=min(self.positions().values()) + 1, limit=self.batch_size, stop=stop)
            try:
                self._apply_batch(notifications)
            except Exception as error:
                if len(notifications) == 1:
                    raise EventFailedError(notifications[0].id, error) from error
                for notification in notifications:
                    self._apply_alone(notification)
            return len(notifications)

    def _apply_alone(self, notification: Notification) -> None:
        try:
            self._apply_batch([notification])
        except Exception as error:
            raise EventFailedError(notification.id, error) from error

    def _apply_batch(self, notifications: Sequence[Notification]) -> None:
        for view in self.views:
            view.projection.discard()
        positions = self.positions()
        for notification in notifications:
            self._apply(notification, positions)
        if notifications:
            self._commit(positions, notifications[-1].id)

    def _apply(self, notification: Notification, positions: dict[str, int]) -> None:
        event = self.app.mapper.to_domain_event(notification)
        aggregate = self.aggregates.after(event)
        views = self.routes.get(type(event))
        if views is None:
            views = self.routes[type(event)] = self._route(type(event))
        for view in views:
            if notification.id > positions[view.name]:
                view.projection.handle(event, aggregate, notification.id)

    def _route(self, event_type: type) -> list[View[Any]]:
        """The views that do anything with events of `event_type`, looked up once per class:
        calling the others only to ignore the event was ~7% of a rebuild (benchmark row 3).
        A view left out still moves its position with every batch (`_commit`)."""
        return [view for view in self.views if view.projection.handles(event_type)]

    def _commit(self, positions: dict[str, int], last: int) -> None:
        tracking = Tracking(self.tracking_name, last)
        concurrently(self.writers, [partial(self._commit_view, view, tracking, positions[view.name])
                                    for view in self.views if last > positions[view.name]])

    @staticmethod
    def _commit_view(view: View[Any], tracking: Tracking, after: int) -> None:
        """Another follower may have moved the view on meanwhile: its writes stand, ours are
        dropped, and the next batch starts from where it got to."""
        try:
            view.recorder.commit(view.projection.take(), tracking, after)
        except PositionMovedError:
            pass


def concurrently(executor: Executor | None, calls: Sequence[Callable[[], Result]]
                 ) -> list[Result]:
    """Each call's result, the calls made in `executor`'s threads (in this one, in order,
    without one). Every call has finished before the first error is raised, so nothing is
    still writing when the caller goes on (a failed batch is retried event by event)."""
    if executor is None or len(calls) < 2:
        return [call() for call in calls]
    futures = [executor.submit(call) for call in calls]
    wait(futures)
    return [future.result() for future in futures]
