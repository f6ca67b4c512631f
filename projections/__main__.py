"""Run the projections in a process of their own, on the store the server uses.

    python -m projections follow            keep every view up to date until stopped
    python -m projections catch-up          apply everything stored now, print the position
    python -m projections rebuild [VIEW]    drop a view (or all) and replay the whole log

The store comes from OKR_DATABASE_URL or OKR_DATA_DIR, as for the server.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from projections.service import ProjectionService
from projections.views import VIEWS
from workflows.settings import persistence_env


def parser() -> argparse.ArgumentParser:
    parsed = argparse.ArgumentParser(prog="python -m projections", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parsed.add_subparsers(dest="command", required=True)
    commands.add_parser("follow", help="keep every view up to date until stopped")
    commands.add_parser("catch-up", help="apply everything stored now")
    rebuild = commands.add_parser("rebuild", help="drop a view (or all) and replay the log")
    rebuild.add_argument("view", nargs="?", choices=list(VIEWS))
    return parsed


def follow(svc: ProjectionService) -> None:
    """Follow until SIGINT or SIGTERM, then stop after the batch in hand."""
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    svc.start()
    print(f"following from position {svc.position()}", flush=True)
    stopping.wait()
    svc.stop()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    with ProjectionService(persistence_env()) as svc:
        if args.command == "follow":
            follow(svc)
        elif args.command == "catch-up":
            print(svc.catch_up())
        else:
            print(svc.rebuild(args.view))
    return 0


if __name__ == "__main__":
    sys.exit(main())
