"""`okr projections rebuild|follow|catch-up` and `okr export tree|audit`: the read models."""

from __future__ import annotations

import json
import signal
import threading
from typing import Annotated

import typer

from api.cli.options import DatabaseUrl, DataDir, settings_from
from api.cli.progress import run_with_progress
from api.export import Exported, Format, render
from api.logs import configure_logging
from projections.service import ProjectionService


def open_views(ctx: typer.Context) -> ProjectionService:
    return ProjectionService(settings_from(ctx).persistence_env())


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
           what: Annotated[Exported, typer.Argument(help="the alignment tree or the "
                                                         "adjustment audit")],
           cycle: Annotated[str, typer.Option(help="the cycle id")],
           form: Annotated[Format, typer.Option(
               "--format", help="CSV has one row per objective or per change")] = Format.JSON,
           data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Print a cycle's tree or adjustment audit."""
    with open_views(ctx) as views:
        catch_up_showing_progress(views)
        data = (views.tree(cycle) if what is Exported.TREE
                else views.adjustments(cycle_id=cycle))
    print(render(what, data, form), end="")
