"""One format for numbers and times wherever they appear: every timestamp RFC 3339 in UTC with
`Z` (JSON, CSV and CloudEvents alike), progress rounded to 4 decimals half-up in the objective,
the tree, the listing, the check-ins and the exports."""

from __future__ import annotations

import csv
import io
import re

from api.cli import main
from tests.api.http import active, ok, open_cycle

RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
THIRD = 0.3333


def test_every_time_is_rfc3339_utc_with_z_and_progress_is_rounded_alike(api, api_settings,
                                                                         capsys):
    cycle_id = open_cycle(api)
    objective = active(api, cycle_id, key_results=[
        {"title": "Three things", "kind": "metric", "start": 0, "target": 3}])
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    checked = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                                {"key_result_id": kr, "value": 1, "confidence": 0.5}))
    proposal = ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
        "reason": "more", "changes": [{"op": "retarget_key_result", "key_result_id": kr,
                                       "target": 6}]}), 201)
    wait = f"min_position={proposal['position']}"

    times = [checked["created_at"], checked["modified_at"]]
    times += [e["time"] for e in ok(api.auditor.get(f"/v1/objectives/{oid}/history"))["items"]]
    times += [e["time"] for e in ok(api.integrator.get("/v1/events"))["events"]]
    series = ok(api.auditor.get(f"/v1/objectives/{oid}/key-results/{kr}/check-ins?{wait}"))
    times += [c["time"] for c in series["items"]]
    audit = ok(api.auditor.get(f"/v1/audit/adjustments?objective_id={oid}&{wait}"))["items"]
    times += [a["proposed_at"] for a in audit]
    person = ok(api.admin.get("/v1/people/bob"))
    times += [person["created_at"], person["modified_at"]]
    assert times and all(RFC3339_UTC.fullmatch(t) for t in times), times

    tree = ok(api.auditor.get(f"/v1/cycles/{cycle_id}/tree?{wait}"))[0]
    listed = ok(api.auditor.get(f"/v1/objectives?{wait}"))["items"][0]
    assert checked["progress"] == checked["key_results"][0]["progress"] == THIRD
    assert tree["progress"] == tree["aligned_progress"] == tree["key_results"][0]["progress"]
    assert tree["progress"] == listed["progress"] == series["items"][0]["progress"] == THIRD

    data_dir = ["--data-dir", str(api_settings.data_dir)]
    assert main(["export", "tree", "--cycle", cycle_id, "--format", "csv", *data_dir]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert float(row["progress"]) == float(row["aligned_progress"]) == THIRD
    assert main(["export", "audit", "--cycle", cycle_id, "--format", "csv", *data_dir]) == 0
    (change,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert RFC3339_UTC.fullmatch(change["proposed_at"]), change
