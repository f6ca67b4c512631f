"""Progress of long work through the log: a rich bar on a terminal, plain lines otherwise.

Progress goes to stderr, so what a command prints on stdout (an export, a position) stays clean.
The work itself (a view rebuild, a catch-up, the relay) reports nothing: it runs in a thread
while this module compares its position with the log's last position a few times a second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as StillRunning
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Report = Callable[[int, int], None]
"""Told `(position reached, last position)` as work goes on."""
REFRESH_SECONDS = 0.2


@contextmanager
def progress(label: str, out: TextIO | None = None) -> Iterator[Report]:
    """A reporter drawing a bar when `out` (stderr) is a terminal, else writing plain lines."""
    stream = out or sys.stderr
    if not stream.isatty():
        yield PlainLines(label, stream)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(file=stream)) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


class PlainLines:
    """One line a second at most, and always the line that reaches the end: fit for a log."""

    def __init__(self, label: str, out: TextIO, every: float = 1.0) -> None:
        self.label, self.out, self.every = label, out, every
        self.written_at = float("-inf")
        self.last: tuple[int, int] | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total and self.last != (done, total)
        if finished or (now - self.written_at >= self.every and self.last != (done, total)):
            print(f"{self.label}: position {done} of {total}", file=self.out, flush=True)
            self.written_at, self.last = now, (done, total)


def run_with_progress(label: str, work: Callable[[], int], position: Callable[[], int],
                      total: int) -> int:
    """Run `work` (which returns the position it reached), reporting `position()` meanwhile."""
    with ThreadPoolExecutor(max_workers=1) as pool, progress(label) as report:
        future = pool.submit(work)
        while True:
            try:
                reached = future.result(timeout=REFRESH_SECONDS)
            except StillRunning:
                report(min(position(), total), total)
                continue
            report(reached, max(reached, total))
            return reached
