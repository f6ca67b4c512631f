"""Every row of the issue's table, in order. To measure a row, write `rowN_<name>.py` with a
`ROW = Row(..., run=run)` and put its `ROW` here in place of the placeholder."""

from __future__ import annotations

from benchmarks import row1_checkins, row2_http, row3_rebuild, row4_time_travel, row5_relay, row6_tree
from benchmarks.spec import Row

WAITING = "not yet measured: needs {part}, built in another branch; add benchmarks/{module}.py"

ROWS: list[Row] = [
    row1_checkins.ROW,
    row2_http.ROW,
    row3_rebuild.ROW,
    row4_time_travel.ROW,
    row5_relay.ROW,
    row6_tree.ROW,
]
