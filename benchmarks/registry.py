"""Every row of the issue's table, in order. To measure a row, write `rowN_<name>.py` with a
`ROW = Row(..., run=run)` and put its `ROW` here in place of the placeholder."""

from __future__ import annotations

from benchmarks import row1_checkins, row4_time_travel
from benchmarks.spec import Row, Target

WAITING = "not yet measured: needs {part}, built in another branch; add benchmarks/{module}.py"

ROWS: list[Row] = [
    row1_checkins.ROW,
    Row(2, "check-ins over HTTP from `okr serve`, 32 concurrent connections over 1,000 "
           "objectives, zero errors",
        "the same server's /healthz under the same load",
        (Target("ratio", ">=", 0.35),),
        note=WAITING.format(part="the HTTP API (`okr serve`)", module="row2_http")
        + "; report p50_ms and p99_ms and errors in extras"),
    Row(3, "rebuilding every projection from 1,000,000 events",
        "reading the same notification log raw",
        (Target("ratio", ">=", 0.3),),
        note=WAITING.format(part="the projections", module="row3_projections")),
    row4_time_travel.ROW,
    Row(5, "relay: events from log to broker, and append-to-consumed latency", "none",
        (Target("measured", ">=", 20_000, "events/s"), Target("p99_ms", "<=", 500, "ms")),
        stores=("sqlite",),
        note=WAITING.format(part="the Kafka relay", module="row5_relay")),
    Row(6, "tree of a cycle with 50,000 objectives", "none",
        (Target("p95_ms", "<=", 200, "ms"),),
        note=WAITING.format(part="the alignment-tree projection", module="row6_tree")),
]
