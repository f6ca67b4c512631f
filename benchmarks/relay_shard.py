"""One relay shard catching up, in a process of its own, for row 5:
`python -m benchmarks.relay_shard` reads a JSON job on stdin (`env`, `producer`: the fields of
`ProducerSettings`, `shard`, `shards`), opens the relay, prints "ready", waits for a line on
stdin, publishes the log batch by batch until nothing is left (`LogRelay.publish_next_batch`,
as the relay catches up after an outage), and prints the seconds that took and the events it
sent as one JSON line."""

from __future__ import annotations

import json
import sys
import time

from stream.log_relay import LogRelay
from stream.publisher import ProducerSettings
from stream.shards import Shard


def main() -> int:
    job = json.loads(sys.stdin.readline())
    relay = LogRelay(job["env"], ProducerSettings(**job["producer"]),
                     shard=Shard(job["shard"], job["shards"]))
    try:
        relay.publisher.partitions()  # connected and the topic's metadata known before timing
        print("ready", flush=True)
        sys.stdin.readline()
        started = time.perf_counter()
        while relay.publish_next_batch():
            pass
        print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)
    finally:
        relay.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
