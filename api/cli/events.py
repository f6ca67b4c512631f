"""`okr events tail`: the event log as CloudEvents, one JSON line each."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

from api.cli.options import DatabaseUrl, DataDir, reading_settings
from stream.cloudevents import read_feed
from workflows.ledger import OKRLedger

FOLLOW_POLL_SECONDS = 0.5
PAGE = 500


def tail(ctx: typer.Context,
         after: Annotated[int, typer.Option(min=0, help="start after this log position")] = 0,
         follow: Annotated[bool, typer.Option(
             "--follow", "-f", help="keep printing new events, not stop at the log's end")] = False,
         data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Print the log's CloudEvents as JSON lines."""
    ledger = OKRLedger(reading_settings(ctx).persistence_env())
    try:
        while True:
            page, after = read_feed(ledger.recorder, ledger.mapper, after, PAGE)
            for event in page:
                print(json.dumps(event), flush=True)
            if not page and not follow:
                return
            if not page:
                time.sleep(FOLLOW_POLL_SECONDS)
    except KeyboardInterrupt:
        pass
    finally:
        ledger.close()
