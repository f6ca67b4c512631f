"""Opening a store that other processes may be opening at the same moment."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from eventsourcing.persistence import PersistenceError

STARTUP_ATTEMPTS = 10
log = logging.getLogger("okr.startup")
T = TypeVar("T")


def opened(open_it: Callable[[], T], what: str) -> T:
    """`open_it()`, retried while the store is not ready.

    Processes started together on an empty PostgreSQL database (`okr serve --workers N`, a
    worker and a relay) race to create the same tables, and the server refuses all but one
    ("tuple concurrently updated"); a retry finds them made.
    """
    for attempt in range(1, STARTUP_ATTEMPTS):
        try:
            return open_it()
        except PersistenceError as error:
            log.warning("store not ready for the %s (%s); retrying (%d/%d)", what, error,
                        attempt, STARTUP_ATTEMPTS)
            time.sleep(0.1 * attempt)
    return open_it()
