"""The API runs with the settings it is given: the method's limits reach the ledger."""

from __future__ import annotations

from tests.api.conftest import serve
from tests.api.http import draft, metric_kr, open_cycle


def test_the_method_limits_in_the_settings_are_the_ones_a_submit_is_checked_against(
        api_settings):
    for api in serve(api_settings.model_copy(update={"max_krs": 1})):
        objective = draft(api, open_cycle(api), key_results=[metric_kr(), metric_kr()])
        refused = api.owner.post(f"/v1/objectives/{objective['id']}/submit")
        assert refused.status_code == 422
        assert "allowed: 1 to 1" in refused.text
