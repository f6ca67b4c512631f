"""Writers racing on one objective: If-Match makes the race explicit, its absence retries."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.api.http import active, ok, open_cycle

WRITERS = 8


def check_in(api, oid, kr, value, headers=None):
    return api.owner.post(f"/v1/objectives/{oid}/check-ins",
                          {"key_result_id": kr, "value": value, "confidence": 0.5},
                          headers=headers)


def checked_in_events(api, oid):
    events = ok(api.admin.get("/v1/events?limit=1000"))["events"]
    return [e for e in events if e["subject"] == oid and e["type"] == "okr.objective.checked_in"]


def test_with_if_match_exactly_one_writer_wins_each_version(stored_api):
    api = stored_api
    objective = active(api, open_cycle(api))
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    for round_number in range(3):
        version = ok(api.owner.get(f"/v1/objectives/{oid}"))["version"]
        stale = {"If-Match": f'"{version}"'}
        with ThreadPoolExecutor(WRITERS) as pool:
            responses = list(pool.map(check_in, [api] * WRITERS, [oid] * WRITERS,
                                      [kr] * WRITERS, range(WRITERS), [stale] * WRITERS))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] + [412] * (WRITERS - 1), round_number
        for refused in (r for r in responses if r.status_code == 412):
            assert refused.json()["current_version"] == version + 1
    assert len(checked_in_events(api, oid)) == 3


def test_without_if_match_every_writer_succeeds_and_is_recorded_once(api):
    objective = active(api, open_cycle(api))
    oid, kr = objective["id"], objective["key_results"][0]["id"]
    with ThreadPoolExecutor(WRITERS) as pool:
        responses = list(pool.map(lambda n: check_in(api, oid, kr, n), range(WRITERS * 2)))

    assert [r.status_code for r in responses] == [200] * WRITERS * 2
    events = checked_in_events(api, oid)
    assert sorted(e["data"]["value"] for e in events) == list(range(WRITERS * 2))
    assert len({e["id"] for e in events}) == WRITERS * 2
    final = ok(api.owner.get(f"/v1/objectives/{oid}"))
    assert final["version"] == objective["version"] + WRITERS * 2
    assert final["key_results"][0]["check_ins"] == WRITERS * 2


def test_if_match_takes_the_etag_quoted_or_bare_and_412_tells_the_current_version(api):
    objective = active(api, open_cycle(api))
    oid = objective["id"]
    etag = api.owner.get(f"/v1/objectives/{oid}").headers["etag"]
    assert etag == f'"{objective["version"]}"'
    kr = objective["key_results"][0]["id"]
    ok(check_in(api, oid, kr, 5, {"If-Match": etag.strip('"')}))

    stale = check_in(api, oid, kr, 6, {"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["current_version"] == objective["version"] + 1
    assert stale.headers["etag"] == f'"{objective["version"] + 1}"'
