"""Runs the chosen rows on the chosen stores, turning each into entries of the results."""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Iterable
from typing import Any

from benchmarks.report import entry
from benchmarks.sizes import Sizes
from benchmarks.spec import Row
from benchmarks.stores import Store


def run_rows(rows: Iterable[Row], stores: list[str], sizes: Sizes) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for row in rows:
        if row.run is None:
            entries.append(entry(row, None, None))
            continue
        for kind in (kind for kind in row.stores if kind in stores):
            entries.append(run_one(row, Store(kind), sizes))
    return entries


def run_one(row: Row, store: Store, sizes: Sizes) -> dict[str, Any]:
    """One row on one store; a failure is recorded as an `error` entry rather than hidden."""
    print(f"row {row.number} on {store.kind} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        outcome = row.run(store, sizes)  # type: ignore[misc]
    except Exception as error:  # noqa: BLE001 - reported in the table and the exit status
        traceback.print_exc()
        return entry(row, store.kind, None, error=f"error: {error!r}",
                     seconds=time.perf_counter() - started)
    return entry(row, store.kind, outcome, seconds=time.perf_counter() - started)


def profile(row: Row, store: Store, sizes: Sizes) -> str:
    """The row's run under pyinstrument (the `bench` extra), as an indented call tree."""
    from pyinstrument import Profiler

    if row.run is None:
        raise SystemExit(f"row {row.number}: {row.note}")
    profiler = Profiler(interval=0.0005)
    with profiler:
        row.run(store, sizes)
    return profiler.output_text(unicode=True, color=False, show_all=False)
