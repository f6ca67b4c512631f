"""An objective's state as plain data: what readers see, and what diffs compare."""

from __future__ import annotations

from typing import Any

from domain.key_result import KeyResult
from domain.objective import Objective
from domain.scoring import round_half_up

PROGRESS_PLACES = 4


def objective_state(objective: Objective) -> dict[str, Any]:
    return {
        "id": str(objective.id),
        "cycle_id": objective.cycle_id,
        **objective.public_fields(),
        "state": objective.state,
        "version": objective.version,
        "progress": round_half_up(objective.progress, PROGRESS_PLACES),
        "score": objective.score,
        "scoring_policy": objective.scoring_policy,
        "carried_over_from": objective.carried_over_from,
        "carried_over_to": list(objective.carried_over_to),
        "pending_adjustment_id": objective.pending_adjustment_id,
        "original": dict(objective.original),
        "created_at": objective.created_on.isoformat(),
        "modified_at": objective.modified_on.isoformat(),
        "key_results": [key_result_state(kr, objective.scoring_policy)
                        for kr in objective.key_results.values()],
    }


def key_result_state(kr: KeyResult, policy: str) -> dict[str, Any]:
    return {
        "id": kr.id, "title": kr.title, "description": kr.description, "kind": kr.kind,
        "start": kr.start, "target": kr.target, "current": kr.current, "unit": kr.unit,
        "direction": kr.direction, "done": kr.done, "due_on": kr.due_on,
        "challenge": kr.challenge, "weight": kr.weight, "confidence": kr.confidence,
        "check_ins": kr.check_ins, "progress": round_half_up(kr.progress, PROGRESS_PLACES),
        "retargeted": kr.retargeted, "original_progress": _rounded(kr.original_progress),
        "suggested_score": kr.suggested_score(policy), "self_score": kr.self_score,
        "self_note": kr.self_note, "final_score": kr.final_score,
        "override_reason": kr.override_reason, "removed": kr.removed,
        "original": dict(kr.original),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round_half_up(value, PROGRESS_PLACES)
