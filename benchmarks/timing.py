"""Small timing helpers shared by the rows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial


def timed(work: Callable[[], object]) -> float:
    """Seconds `work()` took on the monotonic high-resolution clock."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def interleaved(total: int, block: int,
                sides: Sequence[Callable[[range], object]]) -> list[float]:
    """Seconds each side spent doing `total` items, taking turns `block` items at a time.

    The first side of each turn rotates, and turns are short, so the machine's drift (other
    processes, CPU clocks, disk flushes) falls on every side alike instead of on whichever ran
    last or during a busy moment.
    """
    spent = [0.0 for _ in sides]
    for turn, start in enumerate(range(0, total, block)):
        numbers = range(start, min(start + block, total))
        for offset in range(len(sides)):
            index = (turn + offset) % len(sides)
            spent[index] += timed(partial(sides[index], numbers))
    return spent


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with `fraction` of values at or below."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(-(-fraction * len(ordered) // 1)) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    return statistics.median(values)
