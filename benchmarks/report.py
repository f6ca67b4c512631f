"""The run's results as one Markdown table and as `results.json`, with the machine they ran on."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.sizes import Sizes
from benchmarks.spec import Outcome, Row


def machine() -> dict[str, Any]:
    return {"cpu_count": os.cpu_count(), "python": platform.python_version(),
            "implementation": platform.python_implementation(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "eventsourcing": version("eventsourcing")}


def entry(row: Row, store: str | None, outcome: Outcome | None, error: str = "",
          seconds: float = 0.0) -> dict[str, Any]:
    """One row on one store; `outcome` None means not measured (see `note`) or failed."""
    verdict = "not yet measured" if row.run is None else "error" if error else (
        "met" if outcome and all(t.met(outcome) for t in row.targets) else "missed")
    return {
        "row": row.number, "what": row.what, "baseline": row.baseline, "store": store,
        "target": " and ".join(str(t) for t in row.targets),
        "targets": [asdict(t) for t in row.targets],
        "measured": asdict(outcome.measured) if outcome else None,
        "baseline_measured": asdict(outcome.baseline) if outcome and outcome.baseline else None,
        "ratio": round(outcome.ratio, 4) if outcome and outcome.ratio is not None else None,
        "extras": dict(outcome.extras) if outcome else {},
        "verdict": verdict, "note": error or row.note, "seconds": round(seconds, 2),
        "shown": list(row.shown),
    }


def document(entries: list[dict[str, Any]], sizes: Sizes, quick: bool,
             stores: dict[str, str]) -> dict[str, Any]:
    return {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
            "quick": quick, "sizes": asdict(sizes), "stores": stores, "results": entries}


def write(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def table(doc: dict[str, Any]) -> str:
    head = doc["machine"]
    lines = [f"{doc['date']} · {head['cpu_count']} CPUs · Python {head['python']} · "
             f"eventsourcing {head['eventsourcing']} · {'quick' if doc['quick'] else 'full'} sizes",
             "",
             "| # | what | store | measured | baseline | ratio | target | verdict |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    lines += [_line(item) for item in doc["results"]]
    beside = [_beside(item) for item in doc["results"] if item.get("shown") and item["extras"]]
    return "\n".join(lines + ([""] + beside if beside else []))


def _beside(item: dict[str, Any]) -> str:
    """The figures a row prints beside its result: `name value` for each it shows."""
    def value(figure: Any) -> str:
        if isinstance(figure, float):
            return f"{figure:,.0f}" if figure >= 100 else f"{figure:.3g}"
        return f"{figure:,}" if isinstance(figure, int) else str(figure)
    shown = [f"{name} {value(item['extras'][name])}" for name in item["shown"]
             if name in item["extras"]]
    return f"- row {item['row']} on {item['store']}: " + " · ".join(shown)


def _line(item: dict[str, Any]) -> str:
    def shown(figure: dict[str, Any] | None) -> str:
        if not figure:
            return "—"
        value = figure["value"]
        return f"{value:,.0f} {figure['unit']}" if value >= 100 else f"{value:.3g} {figure['unit']}"
    ratio = "—" if item["ratio"] is None else f"{item['ratio']:.2f}x"
    cells = [str(item["row"]), item["what"], item["store"] or "—", shown(item["measured"]),
             shown(item["baseline_measured"]), ratio, item["target"], item["verdict"]]
    return "| " + " | ".join(cells) + " |"
