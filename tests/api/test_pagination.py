"""Lists come in pages: `limit` and a cursor in; `next` and an RFC 8288 Link header out.

Every list is walked by following `Link: <...>; rel="next"` until it stops; the pages together
hold every item once, in order, and each page holds at most `limit`.
"""

from __future__ import annotations

import re

from tests.api.http import Caller, active, draft, ok, open_cycle

NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def walk(caller: Caller, path: str, limit: int) -> list[list[dict]]:
    """Every page of a list, following the Link header from the first page on."""
    pages, url = [], f"{path}{'&' if '?' in path else '?'}limit={limit}"
    while url:
        response = caller.get(url)
        body = ok(response)
        assert len(body["items"]) <= limit
        pages.append(body["items"])
        link = NEXT.search(response.headers.get("link", ""))
        assert (link is None) == (body["next"] is None), response.headers
        url = link.group(1) if link else ""
        if link:
            assert f"cursor={body['next']}" in url
    return pages


def test_objectives_come_two_at_a_time_and_together_make_the_whole_list(api):
    cycle_id = open_cycle(api)
    made = [draft(api, cycle_id, title=f"Objective {n}") for n in range(5)]
    wait = f"min_position={made[-1]['position']}"

    pages = walk(api.auditor, f"/v1/objectives?cycle_id={cycle_id}&{wait}", limit=2)

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [o["id"] for page in pages for o in page] == [o["id"] for o in made]


def test_a_limit_is_honoured_even_without_a_cursor(api):
    cycle_id = open_cycle(api)
    made = [draft(api, cycle_id, title=f"Objective {n}") for n in range(3)]
    first = ok(api.owner.get(f"/v1/objectives?limit=2&min_position={made[-1]['position']}"))
    assert [o["id"] for o in first["items"]] == [made[0]["id"], made[1]["id"]]
    assert first["next"]


def test_history_check_ins_and_the_audit_are_paged_too(api):
    objective = active(api, open_cycle(api))
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    last = {}
    for value in range(1, 6):
        last = ok(api.owner.post(f"/v1/objectives/{oid}/check-ins",
                                 {"key_result_id": kr, "value": value, "confidence": 0.5}))
    for n in range(3):
        proposal = ok(api.owner.post(f"/v1/objectives/{oid}/adjustments", {
            "reason": f"try {n}",
            "changes": [{"op": "retarget_key_result", "key_result_id": kr, "target": 90 + n}]}),
            201)
        last = ok(api.reviewer.post(
            f"/v1/objectives/{oid}/adjustments/{proposal['adjustment_id']}/reject"))
    wait = f"min_position={last['position']}"

    history = walk(api.auditor, f"/v1/objectives/{oid}/history", limit=4)
    versions = [entry["version"] for page in history for entry in page]
    assert versions == list(range(1, last["version"] + 1))
    series = walk(api.auditor, f"/v1/objectives/{oid}/key-results/{kr}/check-ins?{wait}", 2)
    assert [c["value"] for page in series for c in page] == [1, 2, 3, 4, 5]
    audit = walk(api.auditor, f"/v1/audit/adjustments?objective_id={oid}&{wait}", limit=2)
    assert [a["reason"] for page in audit for a in page] == ["try 0", "try 1", "try 2"]


def test_a_cursor_the_server_did_not_give_is_refused_by_name(api):
    for cursor in ("not-a-cursor", "WzFd", "e30"):
        response = api.owner.get(f"/v1/objectives?cursor={cursor}")
        assert response.status_code == 422, cursor
        assert response.json()["errors"][0]["field"] == "cursor"
    assert api.owner.get("/v1/objectives?limit=0").status_code == 422
    assert api.owner.get("/v1/objectives?limit=100000").status_code == 422
