"""`okr status`: what `/readyz` reports, read from the store by the command line.

It follows nothing itself, so it sees each view's position and lag, and the relay's, but not
an error a server's follower or relay hit in memory (a server's `/readyz` shows that).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api.cli.options import DatabaseUrl, DataDir, setting, settings_from
from api.cli.views import open_views
from api.presenters import readiness_public
from api.readiness import PartStatus, Readiness, assess
from api.status_sources import status_sources

NOT_READY = 1


def status(ctx: typer.Context,
           as_json: Annotated[bool, typer.Option("--json", help="print /readyz's JSON")] = False,
           ready_max_view_lag: Annotated[int | None, setting("ready_max_view_lag",
                                                             "--max-view-lag")] = None,
           data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Print whether the store and views are ready, with each view's position and lag.

    Exits with status 1 when not ready.
    """
    settings = settings_from(ctx)
    with open_views(ctx) as views, status_sources(settings, views) as sources:
        readiness = assess(views.ledger.recorder, sources)
    if as_json:
        print(json.dumps(readiness_public(readiness).model_dump(), indent=2))
    else:
        print(describe_readiness(readiness))
    if not readiness.ready:
        raise typer.Exit(NOT_READY)


def describe_readiness(readiness: Readiness) -> str:
    head = "unreachable" if readiness.head is None else f"at position {readiness.head}"
    lines = [f"{readiness.overall.value} (the log is {head})"]
    lines += [_part_line(part) for part in readiness.parts]
    return "\n".join(lines)


def _part_line(part: PartStatus) -> str:
    name = part.kind if part.name == part.kind else f"{part.kind} {part.name}"
    where = "" if part.position is None else f"  position {part.position}"
    lag = "" if part.lag is None else f"  lag {part.lag}"
    problem = f"  ({part.problem})" if part.problem else ""
    return f"  {name:<16} {part.state:<10}{where}{lag}{problem}"
