"""Every row of the issue's table, in order. To measure a row, write `rowN_<name>.py` with a
`ROW = Row(..., run=run)` and put its `ROW` here in place of the placeholder."""

from __future__ import annotations

from benchmarks import row1_checkins, row3_rebuild, row4_time_travel, row5_relay, row6_tree
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
    row3_rebuild.ROW,
    row4_time_travel.ROW,
    row5_relay.ROW,
    row6_tree.ROW,
]
