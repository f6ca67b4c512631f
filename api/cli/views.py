"""`okr projections rebuild|follow|catch-up` and `okr export tree|audit|decisions`: the read
models."""

from __future__ import annotations

import json
import signal
import threading
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.audit import _opened as opened_integrity
from api.cli.options import DatabaseUrl, DataDir, reading_settings, settings_from
from api.cli.progress import run_with_progress
from api.export import Exported, Format, render
from api.logs import configure_logging
from api.timestamps import aware
from domain.errors import ValidationError
from integrity.export import CHECKPOINTS_FILE, EVENTS_FILE, export_log
from projections.decision_view import DecisionFilter
from projections.service import ProjectionService


def open_views(ctx: typer.Context) -> ProjectionService:
    return ProjectionService(reading_settings(ctx).persistence_env())


def catch_up_showing_progress(views: ProjectionService) -> int:
    """Apply everything stored now, showing how far the views have got."""
    last = views.ledger.recorder.max_notification_id() or 0
    return run_with_progress("catching up the views", views.catch_up, views.position, last)


def rebuild(ctx: typer.Context,
            name: Annotated[str | None, typer.Argument(
                help="the view to rebuild: tree, audit or check_ins", show_default="all")] = None,
            data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Replay the log into a view (or all) built aside, then swap it in.

    The views in use stay as they are until the new ones are complete; if the replay fails,
    they are left untouched.
    """
    with open_views(ctx) as views:
        last = views.ledger.recorder.max_notification_id() or 0
        position = run_with_progress(f"rebuilding {name or 'all views'}",
                                     lambda: views.rebuild(name),
                                     lambda: rebuilt_so_far(views), last)
        names = name or ", ".join(views.view_names())
    print(f"rebuilt {names} up to position {position}")


def rebuilt_so_far(views: ProjectionService) -> int:
    """The position the views being rebuilt aside have reached."""
    rebuilding = views.rebuilding
    return 0 if rebuilding is None else rebuilding.position()


def status(ctx: typer.Context, data_dir: DataDir = None,
           database_url: DatabaseUrl = None) -> None:
    """Print each view's position and lag, and the events the views stopped on.

    One JSON document; the dead letters are those the views have not got past yet.
    """
    with open_views(ctx) as views:
        found = views.status()
    found.pop("state")  # this process follows nothing; a server's own state is in /readyz
    print(json.dumps(found, indent=2, default=str))


def catch_up(ctx: typer.Context, data_dir: DataDir = None,
             database_url: DatabaseUrl = None) -> None:
    """Apply every stored event to the views, then stop."""
    with open_views(ctx) as views:
        print(f"caught up to position {catch_up_showing_progress(views)}")


def follow(ctx: typer.Context, data_dir: DataDir = None,
           database_url: DatabaseUrl = None) -> None:
    """Keep the views up to date until stopped.

    Runs the views in a process of their own, until SIGINT or SIGTERM.
    """
    configure_logging(settings_from(ctx))
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    with open_views(ctx) as views:
        views.start()
        print(f"following from position {views.position()}", flush=True)
        stopping.wait()
        views.stop()


def export(ctx: typer.Context,
           what: Annotated[Exported, typer.Argument(help="the alignment tree, the adjustment "
                                                         "audit or the decision log")],
           cycle: Annotated[str | None, typer.Option(
               help="the cycle id (a tree needs one)", show_default="every cycle")] = None,
           objective: Annotated[str | None, typer.Option(
               help="decisions: only this objective's", show_default="every objective")] = None,
           actor: Annotated[str | None, typer.Option(
               help="decisions: only this person's", show_default="everyone's")] = None,
           action: Annotated[str | None, typer.Option(
               help="decisions: only this action, e.g. approved", show_default="every action")]
           = None,
           since: Annotated[datetime | None, typer.Option(
               help="decisions: from this moment (UTC unless a zone is given)",
               show_default="the start")] = None,
           until: Annotated[datetime | None, typer.Option(
               help="decisions: before this moment", show_default="now")] = None,
           to: Annotated[Path | None, typer.Option(
               help="log: the directory to write events.jsonl and checkpoints.json into, for "
                    "tools/verify_okr_log.py log", show_default="none: log needs one")] = None,
           form: Annotated[Format, typer.Option(
               "--format", help="CSV has one row per objective, per change or per decision")]
           = Format.JSON,
           data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Print a cycle's tree or adjustment audit, or the decision log; or write the whole
    event log with its signed checkpoints (`log --to DIR`)."""
    if what is Exported.LOG:
        export_log_to(ctx, to)
        return
    where = DecisionFilter(cycle_id=cycle, objective_id=objective, actor=actor, action=action,
                           since=aware(since), until=aware(until))
    with open_views(ctx) as views:
        catch_up_showing_progress(views)
        data = exported(views, what, where)
    print(render(what, data, form), end="")


def export_log_to(ctx: typer.Context, to: Path | None) -> None:
    if to is None:
        raise ValidationError([("--to", "is required to export the log: a directory")])
    ledger, integrity = opened_integrity(ctx)
    try:
        events, checkpoints = export_log(ledger.recorder, integrity.tables, to)
    finally:
        integrity.close()
        ledger.close()
    print(f"wrote {events} events to {to / EVENTS_FILE} and {checkpoints} signed checkpoints "
          f"to {to / CHECKPOINTS_FILE}")


def exported(views: ProjectionService, what: Exported,
             where: DecisionFilter) -> list[dict[str, Any]]:
    if what is Exported.DECISIONS:
        return views.decisions(where)[0]
    if what is Exported.AUDIT:
        return views.adjustments(cycle_id=where.cycle_id)
    if where.cycle_id is None:
        raise ValidationError([("--cycle", "is required to export a tree")])
    return views.tree(where.cycle_id)
