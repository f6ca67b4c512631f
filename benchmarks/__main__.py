"""`python -m benchmarks`: run the rows, print one table, write `benchmarks/results.json`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.registry import ROWS
from benchmarks.report import document, table, write
from benchmarks.runner import profile, run_rows
from benchmarks.sizes import FULL, QUICK, Sizes
from benchmarks.spec import STORES
from benchmarks.stores import Store

DEFAULT_OUTPUT = Path(__file__).parent / "results.json"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="small sizes: all rows in under a minute")
    p.add_argument("--rows", type=_numbers, help="row numbers to run, e.g. 1,4 (default: all)")
    p.add_argument("--stores", type=_stores, default=list(STORES),
                   help="stores to run on, from sqlite,postgres (default: both)")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON")
    p.add_argument("--profile", type=int, metavar="ROW",
                   help="profile one row on the first store with pyinstrument instead")
    for name in Sizes.names():
        p.add_argument(f"--{name}", type=int, metavar="N",
                       help=f"full {getattr(FULL, name)}, quick {getattr(QUICK, name)}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sizes = (QUICK if args.quick else FULL).override(
        **{name: getattr(args, name) for name in Sizes.names()})
    rows = [row for row in ROWS if args.rows is None or row.number in args.rows]
    if args.profile is not None:
        [row] = [row for row in ROWS if row.number == args.profile]
        print(profile(row, Store(args.stores[0]), sizes))
        return 0
    entries = run_rows(rows, args.stores, sizes)
    doc = document(entries, sizes, args.quick,
                   {kind: Store(kind).describe() for kind in args.stores})
    write(doc, args.output)
    print(table(doc))
    print(f"\nwritten to {args.output}")
    return 1 if any(item["verdict"] == "error" for item in entries) else 0


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _stores(text: str) -> list[str]:
    kinds = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(kinds) - set(STORES))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"unknown store {unknown}; allowed: {', '.join(STORES)}")
    return kinds


if __name__ == "__main__":
    sys.exit(main())
