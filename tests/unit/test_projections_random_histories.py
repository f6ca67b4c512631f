"""For random histories, views match the aggregates and equal views rebuilt from scratch."""

from hypothesis import HealthCheck, given, settings

from projections.service import ProjectionService
from tests.projection_histories import COMMANDS, check_history


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=COMMANDS)
def test_views_of_random_histories_match_the_aggregates_and_a_rebuild(ledger, commands):
    with ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ledger=ledger,
                           batch_size=7) as svc:
        check_history(ledger, svc, commands)
