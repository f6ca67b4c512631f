"""On SQLite and PostgreSQL: views of random histories match the aggregates and a rebuild."""

from hypothesis import HealthCheck, given, settings

from projections.service import ProjectionService
from tests.projection_histories import COMMANDS, check_history


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=COMMANDS)
def test_views_of_random_histories_match_the_aggregates_and_a_rebuild(stored_ledger, store_env,
                                                                      commands):
    with ProjectionService(store_env, batch_size=5) as svc:
        check_history(stored_ledger, svc, commands)
