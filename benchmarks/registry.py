"""Every row of the issue's table, in order: each `rowN_<name>.py` defines its `ROW`. A row not
measured yet would be a `Row(...)` without `run`, with a note saying what it waits for."""

from __future__ import annotations

from benchmarks import (
    row1_checkins,
    row2_http,
    row3_rebuild,
    row4_time_travel,
    row5_relay,
    row6_tree,
    row7_sealing,
    row8_verify,
)
from benchmarks.spec import Row

ROWS: list[Row] = [
    row1_checkins.ROW,
    row2_http.ROW,
    row3_rebuild.ROW,
    row4_time_travel.ROW,
    row5_relay.ROW,
    row6_tree.ROW,
    row7_sealing.ROW,
    row8_verify.ROW,
]
