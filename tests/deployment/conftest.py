from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.kafka_broker import kafka_bootstrap


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Kafka-protocol broker (Tansu) for the deployment's relay; each test its own topic."""
    with kafka_bootstrap(tmp_path_factory.mktemp("kafka")) as bootstrap:
        yield bootstrap
