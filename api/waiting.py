"""Reads that wait for the views (`min_position`), without a thread each, in bounded numbers.

A reader asks for a position the log holds (a later one is refused at once: it may never come)
and waits on a future, for at most `OKR_WAIT_TIMEOUT`. One poller per server looks at the
views' position for every waiting reader at once, woken by the views' own progress in this
process and otherwise every few milliseconds (another process may be the one following the
log). No more than `OKR_MAX_WAITING_READS` readers wait at a time; one more is turned away
(503) rather than queued. A follower stopped on a dead letter answers every waiter at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from anyio import to_thread

from domain.errors import LedgerError, ValidationError
from projections.service import ProjectionService

POLL_SECONDS = 0.02


class TooManyWaitingError(LedgerError):
    def __init__(self, most: int) -> None:
        super().__init__(f"{most} reads are already waiting for the views; retry shortly")


class PositionWaiters:
    def __init__(self, views: ProjectionService, most: int) -> None:
        self.views, self.most = views, most
        self._waiting: dict[asyncio.Future[bool], int] = {}
        self._woken = asyncio.Event()
        self._poller: asyncio.Task[None] | None = None
        self._loop = asyncio.get_running_loop()
        self.stop_hearing: Callable[[], None] = views.following.on_progress(self._wake)

    async def reached(self, position: int, timeout: float) -> bool:
        """Whether the views include `position` within `timeout` seconds."""
        last = await to_thread.run_sync(self.views.ledger.recorder.max_notification_id)
        if position > (last or 0):
            raise ValidationError([("min_position", f"is beyond the end of the log (position "
                                                    f"{last or 0}); ask for a position a "
                                                    "command answered with")])
        if len(self._waiting) >= self.most:
            raise TooManyWaitingError(self.most)
        waiter: asyncio.Future[bool] = self._loop.create_future()
        self._waiting[waiter] = position
        self._ensure_polling()
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except TimeoutError:
            return False
        finally:
            self._waiting.pop(waiter, None)

    def _wake(self) -> None:
        """Told by the follower's thread after each of its rounds."""
        self._loop.call_soon_threadsafe(self._woken.set)

    def _ensure_polling(self) -> None:
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        while self._waiting:
            self._woken.clear()
            if not self.views.following.listening:
                self.views.following.notify()  # look at the log now, not at the next poll
            reached = await to_thread.run_sync(self.views.position)
            stopped = self.views.following.stopped_at is not None
            for waiter, position in list(self._waiting.items()):
                if not waiter.done() and (reached >= position or stopped):
                    waiter.set_result(reached >= position)
            try:
                await asyncio.wait_for(self._woken.wait(), POLL_SECONDS)
            except TimeoutError:
                pass
