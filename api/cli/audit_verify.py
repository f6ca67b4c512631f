"""`okr audit verify`: recompute the tamper-evident log from the stored events and report every
fault (see `integrity.audit`). Exits 1 when it finds any, so a cron job or a CI step fails.
`okr audit acknowledge`: an admin's acknowledgement of the faults the server's own check found,
recorded as an event, after which the server writes again."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from api.cli.audit import _opened
from api.cli.options import DatabaseUrl, DataDir, reading_settings
from api.cli.progress import progress
from integrity.audit import AuditReport
from integrity.snapshots import snapshot_faults
from projections.service import ProjectionService
from projections.view_check import ViewCheck
from workflows.actors import Actor

FAULTS_FOUND = 1


def verify(ctx: typer.Context,
           public_key: Annotated[str | None, typer.Option(
               "--public-key", help="the C2SP verifier key to check checkpoints with (as "
               "`okr audit public-key` printed it, kept apart from the server); default: the "
               "key of the signing key file")] = None,
           as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")
                              ] = False,
           snapshots: Annotated[bool, typer.Option(
               "--snapshots", help="also check every stored snapshot against the replay of "
               "its events")] = False,
           views: Annotated[bool, typer.Option(
               "--views", help="also rebuild every read model into scratch tables and "
               "compare it, row by row, with the live one")] = False,
           data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Check every stored event against its sealed leaf and every signed checkpoint; list
    each fault (edited, deleted, inserted, reordered, truncated, forked, forged) with its log
    position. Exit status 1 when any is found (or, with --views, a view differs)."""
    ledger, integrity = _opened(ctx)
    checked: ViewCheck | None = None
    try:
        vkey = public_key or integrity.signer.vkey()
        with progress("verifying the log") as report:
            found = integrity.verify(vkey, progress=report)
        if snapshots:
            found.faults = sorted([*found.faults, *snapshot_faults(ledger)])
        if views:
            with ProjectionService(reading_settings(ctx).persistence_env(),
                                   ledger=ledger) as projections:
                checked = projections.check_against_rebuild()
    finally:
        integrity.close()
        ledger.close()
    if as_json:
        print(json.dumps({**found.as_dict(), **({"views": checked.as_dict()} if checked
                                                else {})}, default=str))
    else:
        print("\n".join([described(found), *([described_views(checked)] if checked else [])]))
    if not found.ok or (checked is not None and not checked.ok):
        raise typer.Exit(FAULTS_FOUND)


def acknowledge(ctx: typer.Context,
                reason: Annotated[str, typer.Option(
                    "--reason", help="why the faults are acknowledged: what was found and "
                    "what was done about it (recorded in the log)")],
                by: Annotated[str, typer.Option(
                    "--by", help="the admin acknowledging, as recorded")] = "admin",
                data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Acknowledge the integrity faults the server found, so it takes writes again; the
    acknowledgement (who, why, which faults) is recorded as an event."""
    ledger, integrity = _opened(ctx)
    try:
        alarms = integrity.alarms.open()
        for alarm in alarms:
            ledger.acknowledge_faults(Actor(by, "admin"), alarm.fingerprint, alarm.faults,
                                      reason)
            integrity.alarms.acknowledge(alarm, by, reason)
    finally:
        integrity.close()
        ledger.close()
    print(f"acknowledged {len(alarms)} alarms" if alarms else "no alarm to acknowledge")


def described(report: AuditReport) -> str:
    """The report for a person: a summary line, then one line per fault."""
    summary = (f"{report.events} events, {report.sealed} sealed, {report.unsealed} not yet "
               f"sealed; {report.checkpoints} signed checkpoints, verified to tree size "
               f"{report.verified_size}")
    if report.ok:
        return f"ok: {summary}"
    lines = [f"{len(report.faults)} faults: {summary}"]
    lines += [f"{fault.kind} at position {fault.position}: {fault.detail}"
              for fault in report.faults]
    return "\n".join(lines)


def described_views(checked: ViewCheck) -> str:
    """The views' comparison for a person: a summary line, then one line per difference."""
    at = ", ".join(f"{name} at {position}" for name, position in checked.positions.items())
    if checked.ok:
        return f"views ok: each equals its rebuild from the log ({at})"
    lines = [f"{checked.counted} view differences ({at}):"]
    lines += [difference.describe() for difference in checked.differences]
    if checked.counted > len(checked.differences):
        lines.append(f"... and {checked.counted - len(checked.differences)} more")
    return "\n".join(lines)
