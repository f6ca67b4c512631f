"""`okr`: the one command line of OKR Ledger, a Typer command tree.

Every command builds one `Settings` from its flags and the `OKR_*` environment (see
`api.cli.options`) and hands it down. A refused command (bad input, an unknown id, a bad
setting) prints `okr: <why>` on stderr and exits with status 2, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from importlib.metadata import version
from typing import Annotated, Any

import typer

from api.cli import audit, audit_verify, events, kafka, people, serving, status, views
from api.cli.options import DatabaseUrl, DataDir
from domain.errors import LedgerError

DISTRIBUTION = "okr-ledger"
REFUSED = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run `okr` with `argv` (default: the process's arguments); the exit status."""
    try:
        typer.main.get_command(command_tree()).main(
            args=list(sys.argv[1:] if argv is None else argv), prog_name="okr")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    except LedgerError as refused:
        print(f"okr: {refused}", file=sys.stderr)
        return REFUSED
    return 0


def command_tree() -> typer.Typer:
    app = _group("OKR Ledger: an event-sourced OKR engine.")
    app.callback()(root)
    app.command("serve")(serving.serve)
    app.command("worker")(serving.worker)
    app.add_typer(_group("Bearer tokens for the HTTP API.", issue=serving.issue), name="token")
    app.add_typer(_group("The read models: rebuild, follow, catch up the views, or see how "
                         "they are doing.",
                         rebuild=views.rebuild, follow=views.follow, status=views.status,
                         **{"catch-up": views.catch_up}), name="projections")
    app.add_typer(_group("The event log: tail it, or consume its Kafka topic.",
                         tail=events.tail, consume=kafka.consume), name="events")
    app.command("relay")(kafka.relay)
    app.command("export")(views.export)
    app.command("status")(status.status)
    app.add_typer(_group("The tamper-evident log: signed checkpoints and their key.",
                         checkpoint=audit.checkpoint, verify=audit_verify.verify,
                         acknowledge=audit_verify.acknowledge,
                         **{"public-key": audit.public_key}),
                  name="audit")
    app.add_typer(_group("The people directory: who may own and review objectives.",
                         **{"import": people.import_people}), name="people")
    return app


def _group(help_text: str, **commands: Callable[..., Any]) -> typer.Typer:
    group = typer.Typer(help=help_text, no_args_is_help=True, add_completion=False,
                        rich_markup_mode=None, pretty_exceptions_enable=False)
    for name, command in commands.items():
        group.command(name)(command)
    return group


def _print_version(wanted: bool) -> None:
    if wanted:
        print(f"okr {version(DISTRIBUTION)}")
        raise typer.Exit()


def root(data_dir: DataDir = None, database_url: DatabaseUrl = None,
         show_version: Annotated[bool, typer.Option(
             "--version", is_eager=True, callback=_print_version,
             help="print the version and exit")] = False) -> None:
    """The store options given here apply to every command; a command's own win."""
