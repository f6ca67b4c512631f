"""`python -m benchmarks --quick` runs end to end, so the harness never rots.

Tiny sizes and no timing assertions: these machines are noisy, and speed belongs to the
benchmarks themselves. What is checked is that every row of issue 6 is present in a well-formed
results.json, measured on both stores or marked as not yet measured.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.registry import ROWS
from benchmarks.spec import STORES

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--quick", "--checkins", "20", "--objectives", "2", "--block", "5", "--history", "30",
        "--reads", "5", "--events", "2000", "--tree_objectives", "200", "--tree_reads", "10",
        "--relay_events", "1000", "--relay_latency", "20", "--http_objectives", "40",
        "--http_seconds", "1", "--verify_events", "2000", "--page_objectives", "20",
        "--page_check_ins", "10", "--page_reads", "2"]


@pytest.mark.postgres
def test_the_quick_benchmark_writes_every_row_to_results_json(tmp_path):
    # One run per store, both at once: most of a run is waiting (servers starting, wrk's
    # timed rounds), so the two overlap well, and each still runs the harness end to end.
    runs = {store: subprocess.Popen(
        [sys.executable, "-m", "benchmarks", *TINY, "--stores", store,
         "--output", str(tmp_path / f"{store}.json")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for store in STORES}
    try:
        printed = {store: run.communicate(timeout=300) for store, run in runs.items()}
    finally:
        for run in runs.values():
            if run.poll() is None:
                run.kill()
    measured = set()
    for store, run in runs.items():
        assert run.returncode == 0, printed[store][1]
        measured |= checked_results(json.loads((tmp_path / f"{store}.json").read_text()))
        assert "| 1 | check-ins" in printed[store][0]
    assert measured == {(row.number, store) for row in ROWS if row.run for store in row.stores}


def checked_results(doc: dict[str, Any]) -> set[tuple[int, str]]:
    """The (row, store) pairs a well-formed results document measured."""
    assert {"date", "machine", "sizes", "stores", "results"} <= set(doc)
    assert doc["machine"]["cpu_count"] >= 1 and doc["machine"]["python"]
    assert {entry["row"] for entry in doc["results"]} == {1, 2, 3, 4, 5, 6, 7, 8, 9}
    for entry in doc["results"]:
        assert entry["what"] and entry["baseline"] and entry["target"]
        if entry["verdict"] == "not yet measured":
            assert entry["measured"] is None and "not yet measured" in entry["note"]
        else:
            assert entry["verdict"] in ("met", "missed")
            assert entry["measured"]["value"] > 0
            assert (entry["ratio"] is None) == (entry["baseline"] == "none")
            assert entry["ratio"] is None or entry["ratio"] > 0
    http = [e for e in doc["results"] if e["row"] == 2]
    assert all(e["extras"]["errors"] == 0 and e["extras"]["p99_ms"] > 0 for e in http)
    return {(e["row"], e["store"]) for e in doc["results"] if e["measured"]}


def test_every_row_of_the_issue_is_registered_once_in_order():
    assert [row.number for row in ROWS] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
