"""The relay's partitioner puts every key where kafka-python's default (Java-compatible) one
does, so consumers keep per-aggregate order however the relay is configured."""

import uuid

import pytest
from kafka.partitioner.default import DefaultPartitioner

from stream.publisher import KeyHashingPartitioner


class Cluster:
    """The three metadata look-ups a partitioner makes, for a topic with `count` partitions."""

    def __init__(self, topic: str, count: int) -> None:
        self.partitions = {topic: set(range(count))}

    def topics(self):
        return set(self.partitions)

    def partitions_for_topic(self, topic):
        return self.partitions.get(topic)

    def available_partitions_for_topic(self, topic):
        return self.partitions.get(topic, set())


@pytest.mark.parametrize("count", [1, 3, 7, 12])
def test_every_key_lands_where_the_default_partitioner_puts_it_also_when_repeated(count):
    cluster, ours, default = Cluster("okr", count), KeyHashingPartitioner(), DefaultPartitioner()
    keys = [str(uuid.UUID(int=n * 7919)).encode() for n in range(300)] * 2

    placed = [ours.partition("okr", None, key, None, b"v", cluster) for key in keys]

    assert placed == [default.partition("okr", None, key, None, b"v", cluster) for key in keys]
    assert len(set(placed)) == count


def test_an_unknown_topic_is_refused_as_the_default_refuses_it():
    with pytest.raises(ValueError, match="not found"):
        KeyHashingPartitioner().partition("other", None, b"k", None, b"v", Cluster("okr", 3))
