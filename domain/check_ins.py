"""A check-in as it stands: what was reported, or what a correction made of it.

Check-ins are recorded in the objective's events, each with a stable id (`check_in_id`). The
objective keeps only what follows from them (a KR's current value, confidence, counts), so the
workflow reads a check-in back from the events (`workflows.check_in_corrections`) and hands it
to `Objective.correct_check_in`, which records the correction against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RecordedCheckIn:
    check_in_id: str
    key_result_id: str
    recorded_at: str
    """When the check-in was recorded, RFC 3339 (a correction does not move it)."""
    value: float | None
    done: bool | None
    confidence: float
    note: str
    met: bool | None
    latest: bool
    """Whether it is the KR's latest check-in: only then does it set the KR's current value,
    done and confidence."""

    def reported(self) -> dict[str, Any]:
        """What the check-in says now, as a correction records it under `was`."""
        found = asdict(self)
        return {name: found[name] for name in ("value", "done", "confidence", "note", "met")}
