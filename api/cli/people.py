"""`okr people import FILE`: load the people directory from a CSV file.

Columns (a header row names them): `subject` and `display_name` required; `email`, `manager`
and `active` (true/false, yes/no, 1/0; empty: true) optional. A subject already in the
directory is updated to the row; one not there is added. The whole file is one command: every
row is checked first, and a file with a bad row changes nothing.
"""

from __future__ import annotations

import csv
import getpass
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from api.cli.options import DatabaseUrl, DataDir, settings_from
from domain.errors import ValidationError
from workflows.actors import Actor, Role
from workflows.ledger import OKRLedger
from workflows.people_import import PersonRow

COLUMNS = ("subject", "display_name", "email", "manager", "active")
REQUIRED = ("subject", "display_name")
TRUE, FALSE = ("", "true", "yes", "1"), ("false", "no", "0")


def import_people(ctx: typer.Context,
                  file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                       help="the CSV file to load")],
                  by: Annotated[str, typer.Option(help="who is importing: recorded as the "
                                                       "admin who made each change")]
                  = getpass.getuser(),
                  data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Add or update people from a CSV file, all or nothing."""
    rows = read_rows(file)
    settings = settings_from(ctx)
    ledger = OKRLedger(settings.persistence_env(), rules=settings.rules())
    try:
        done = ledger.import_people(Actor(by, Role.ADMIN.value), rows)
    finally:
        ledger.close()
    print(f"{len(done.added)} added, {len(done.changed)} changed, "
          f"{len(done.unchanged)} unchanged")


def read_rows(file: Path) -> list[PersonRow]:
    with file.open(newline="", encoding="utf-8-sig") as opened:
        reader = csv.DictReader(opened)
        _check_header(reader.fieldnames or [])
        rows = list(reader)
    faults = [(f"line {number}: active", "must be true or false")
              for number, row in enumerate(rows, start=2)
              if (row.get("active") or "").strip().lower() not in TRUE + FALSE]
    if faults:
        raise ValidationError(faults)
    return [_row(line, row) for line, row in enumerate(rows, start=2)]


def _check_header(names: Sequence[str]) -> None:
    missing = [name for name in REQUIRED if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    faults = [("header", f"needs a {name!r} column") for name in missing]
    faults += [("header", f"{name!r} is not a column; columns: {', '.join(COLUMNS)}")
               for name in unknown]
    if faults:
        raise ValidationError(faults)


def _row(line: int, row: dict[str, str]) -> PersonRow:
    def text(column: str) -> str:
        return (row.get(column) or "").strip()
    return PersonRow(subject=text("subject"), display_name=text("display_name"),
                     email=text("email"), manager=text("manager") or None,
                     active=text("active").lower() not in FALSE, where=f"line {line}")
