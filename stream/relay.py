"""`okr relay`: publish the event log to Kafka, one relay at a time per store and topic.

    python -m stream.relay --bootstrap kafka1:9092,kafka2:9092 --topic okr.events

Defaults come from OKR_DATA_DIR / OKR_DATABASE_URL (the same store as the API),
OKR_KAFKA_BOOTSTRAP and OKR_KAFKA_TOPIC (default `okr.events`). It runs until interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import time

from eventsourcing.persistence import PersistenceError

from domain.errors import ValidationError
from stream.backoff import RelayOptions
from stream.log_relay import LogRelay
from stream.publisher import ProducerSettings
from workflows.settings import persistence_env

DEFAULT_TOPIC = "okr.events"
STARTUP_ATTEMPTS = 10
BOOTSTRAP_ENTRY = re.compile(r"[^\s:,]+:\d{1,5}")
log = logging.getLogger("okr.relay")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="okr relay", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("OKR_DATA_DIR"),
                        help="SQLite data directory (env OKR_DATA_DIR, default ./var)")
    parser.add_argument("--database-url", default=os.environ.get("OKR_DATABASE_URL", ""),
                        help="postgresql://... (env OKR_DATABASE_URL); overrides --data-dir")
    parser.add_argument("--bootstrap", default=os.environ.get("OKR_KAFKA_BOOTSTRAP"),
                        help="host:port[,host:port] (env OKR_KAFKA_BOOTSTRAP)")
    parser.add_argument("--topic", default=os.environ.get("OKR_KAFKA_TOPIC", DEFAULT_TOPIC),
                        help=f"env OKR_KAFKA_TOPIC, default {DEFAULT_TOPIC}")
    parser.add_argument("--batch-size", type=int, default=RelayOptions.batch_size)
    parser.add_argument("--poll-interval", type=float, default=RelayOptions.poll_interval,
                        help="seconds between looks at the log when idle")
    parser.add_argument("--delivery-timeout-ms", type=int,
                        default=ProducerSettings.delivery_timeout_ms,
                        help="how long the broker may take to acknowledge before a retry")
    args = parser.parse_args(argv)
    if not args.bootstrap or not all(BOOTSTRAP_ENTRY.fullmatch(entry)
                                     for entry in args.bootstrap.split(",")):
        parser.error(f"--bootstrap (or OKR_KAFKA_BOOTSTRAP) must be host:port[,host:port], "
                     f"e.g. localhost:9092; got {args.bootstrap!r}")
    if args.batch_size < 1 or args.poll_interval <= 0 or args.delivery_timeout_ms < 1000:
        parser.error("--batch-size must be >= 1, --poll-interval > 0, "
                     "--delivery-timeout-ms >= 1000")
    return args


def open_relay(args: argparse.Namespace) -> LogRelay:
    """Open the relay, retrying while the store is not ready.

    Relays started together on an empty PostgreSQL database race to create the same tables,
    and the server refuses all but one ("tuple concurrently updated"); a retry finds them made.
    """
    for attempt in range(1, STARTUP_ATTEMPTS):
        try:
            return build_relay(args)
        except PersistenceError as error:
            log.warning("store not ready (%s); retrying (%d/%d)", error, attempt,
                        STARTUP_ATTEMPTS)
            time.sleep(0.1 * attempt)
    return build_relay(args)


def build_relay(args: argparse.Namespace) -> LogRelay:
    env = persistence_env(data_dir=args.data_dir, database_url=args.database_url)
    request_timeout = min(10_000, args.delivery_timeout_ms // 2)
    producer = ProducerSettings(args.bootstrap, args.topic,
                                delivery_timeout_ms=args.delivery_timeout_ms,
                                request_timeout_ms=request_timeout)
    options = RelayOptions(batch_size=args.batch_size, poll_interval=args.poll_interval)
    return LogRelay(env, producer, options)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        relay = open_relay(args)
    except ValidationError as error:
        print(f"okr relay: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: relay.stop())
    try:
        relay.run()
    except KeyboardInterrupt:
        pass
    finally:
        relay.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
