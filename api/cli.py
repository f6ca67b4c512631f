"""`okr`: serve the API, issue tokens, rebuild projections, tail and export, run Kafka parts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from api import cli_commands as commands

DATA_DIR_HELP = "where SQLite events and the token key live (default $OKR_DATA_DIR or ./var)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="okr", description="OKR Ledger command line.")
    parser.add_argument("--data-dir", help=DATA_DIR_HELP)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    sub = _Subparsers(parser.add_subparsers(dest="command", required=True), common)
    _serving(sub)
    _reading(sub)
    sub.add_parser("relay", help="publish the event log to Kafka: okr relay --help")
    return parser


def _serving(sub: _Subparsers) -> None:
    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="load a demo organisation when empty")
    serve.set_defaults(run=commands.serve)

    token = sub.group("token", "bearer tokens")
    issue = token.add_parser("issue", help="print a signed bearer token")
    issue.add_argument("--subject", required=True, help="the person's name")
    issue.add_argument("--role", required=True, choices=commands.ROLES)
    issue.add_argument("--ttl", type=int, default=8 * 3600, help="seconds (default 8 hours)")
    issue.set_defaults(run=commands.token_issue)


def _reading(sub: _Subparsers) -> None:
    views = sub.group("projections", "read models")
    rebuild = views.add_parser("rebuild", help="drop a view (or all) and replay the log")
    rebuild.add_argument("name", nargs="?")
    rebuild.set_defaults(run=commands.projections_rebuild)

    events = sub.group("events", "the event log")
    tail = events.add_parser("tail", help="print CloudEvents as JSON lines")
    tail.add_argument("--after", type=int, default=0, help="start after this log position")
    tail.add_argument("--follow", "-f", action="store_true", help="keep printing new events")
    tail.set_defaults(run=commands.events_tail)
    events.add_parser("consume", help="consume the Kafka topic: okr events consume --help")

    export = sub.add_parser("export", help="export a cycle's tree or adjustment audit")
    export.add_argument("what", choices=("tree", "audit"))
    export.add_argument("--cycle", required=True, help="the cycle id")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.set_defaults(run=commands.export)


class _Subparsers:
    """Sub-commands that all accept --data-dir, also after the sub-command's name."""

    def __init__(self, action: argparse._SubParsersAction, common: argparse.ArgumentParser):
        self.action, self.common = action, common

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        return self.action.add_parser(name, parents=[self.common], **kwargs)

    def group(self, name: str, help_text: str) -> _Subparsers:
        parser = self.action.add_parser(name, help=help_text)
        return _Subparsers(parser.add_subparsers(dest="action", required=True), self.common)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        handoff = kafka_handoff(words)
        if handoff is not None:
            return commands.delegate(*handoff)
        args = build_parser().parse_args(words)
        return args.run(args) or 0
    except commands.CommandError as error:
        print(f"okr: {error}", file=sys.stderr)
        return 2


def kafka_handoff(words: list[str]) -> tuple[str, list[str]] | None:
    """`okr relay ...` and `okr events consume ...` belong to the Kafka entry points, which
    parse their own options (and --help); a leading --data-dir is passed on to the relay."""
    data_dir = words[:2] if words[:1] == ["--data-dir"] else []
    rest = words[len(data_dir):]
    if rest[:1] == ["relay"]:
        return "stream.relay", data_dir + rest[1:]
    if rest[:2] == ["events", "consume"]:
        return "stream.consumer", rest[2:]
    return None


if __name__ == "__main__":
    sys.exit(main())
