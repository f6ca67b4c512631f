"""`okr audit checkpoint` and `okr audit public-key`: the signed log, from the command line.

Both read the store and the signing key the server uses; neither makes a key (one made here
would sign checkpoints no auditor was given the key for)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api.cli.options import DatabaseUrl, DataDir, reading_settings
from integrity.service import IntegrityService, b64
from workflows.ledger import OKRLedger


def _opened(ctx: typer.Context) -> tuple[OKRLedger, IntegrityService]:
    settings = reading_settings(ctx)
    ledger = OKRLedger(settings.persistence_env())
    try:
        return ledger, IntegrityService(settings, ledger.recorder, create_key=False)
    except BaseException:
        ledger.close()
        raise


def checkpoint(ctx: typer.Context,
               now: Annotated[bool, typer.Option(
                   "--now", help="seal every stored event and sign a checkpoint first")] = False,
               as_json: Annotated[bool, typer.Option("--json", help="print it as JSON")] = False,
               data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Print the latest signed checkpoint (a C2SP signed note): pipe it anywhere to anchor
    the log."""
    ledger, integrity = _opened(ctx)
    try:
        latest = integrity.checkpoint_now() if now else integrity.latest_checkpoint()
    finally:
        integrity.close()
        ledger.close()
    if as_json:
        print(json.dumps({"tree_size": latest.tree_size, "root_hash": b64(latest.root_hash),
                          "note": latest.note, "created_at": latest.created_at}))
    else:
        print(latest.note, end="")


def public_key(ctx: typer.Context,
               pem: Annotated[bool, typer.Option("--pem", help="print it as PEM")] = False,
               data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Print the key checkpoints are signed with, as a C2SP verifier key (or PEM)."""
    ledger, integrity = _opened(ctx)
    try:
        key = integrity.public_key()
    finally:
        integrity.close()
        ledger.close()
    print(key["public_key_pem"].rstrip() if pem else key["vkey"])
