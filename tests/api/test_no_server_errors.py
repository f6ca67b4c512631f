"""Property: whatever JSON a client posts to any command, the answer is never a 5xx."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.http import active, open_cycle

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=20) | st.sampled_from(["", "metric", "stretch", "realign"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12) | st.sampled_from(
                        ["op", "key_result_id", "value", "score", "changes", "scores", "title",
                         "kind", "target", "confidence", "supports", "parent_id"]),
                        inner, max_size=5), max_leaves=12)
PATHS = ["check-ins", "adjustments", "self-assessment", "finalize", "cancel", "carry-over",
         "key-results", "approve", "request-changes"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), body=JSON)
def test_any_json_body_gets_a_4xx_or_success_never_a_5xx(api, path, body):
    if not hasattr(api, "objective_id"):
        api.objective_id = active(api, open_cycle(api))["id"]
    raw = json.dumps(body)  # NaN and Infinity included: clients send them too
    response = api.owner.post(f"/v1/objectives/{api.objective_id}/{path}", content=raw,
                              headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
