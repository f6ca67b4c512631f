from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kafka.support import Store, make_store
from tests.kafka.tcp_proxy import TcpProxy
from tests.kafka_broker import TopicReader, create_topic, kafka_bootstrap, tansu_broker


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap servers of a broker shared by the session; each test uses its own topic."""
    with kafka_bootstrap(tmp_path_factory.mktemp("kafka")) as bootstrap:
        yield bootstrap


@pytest.fixture
def topic(kafka: str) -> str:
    return create_topic(kafka)


@pytest.fixture
def reader(kafka: str, topic: str) -> Iterator[TopicReader]:
    topic_reader = TopicReader(kafka, topic)
    yield topic_reader
    topic_reader.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh store the relay can open, by env (in a thread) or by CLI flags (a process)."""
    with make_store(request.param, tmp_path) as made:
        yield made


@pytest.fixture
def proxied_broker(tmp_path: Path) -> Iterator[tuple[str, TcpProxy]]:
    """A broker of this test's own that clients reach only through a proxy we can cut.

    It advertises the proxy's port, so every connection a client makes goes through it.
    """
    proxy = TcpProxy()
    with tansu_broker(tmp_path, advertised_port=proxy.port) as direct:
        proxy.target_port = int(direct.rsplit(":", 1)[1])
        proxy.start()
        yield f"127.0.0.1:{proxy.port}", proxy
    proxy.close()
