"""Rules that look at a whole objective: the method's limits, check-ins and scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.key_result import KeyResult, span_faults
from domain.rules import MethodologyRules
from domain.scoring import allowed_scores, is_allowed_score
from domain.validation import is_number, text_faults
from domain.values import KeyResultKind


def methodology_violations(owner: str, active: Sequence[KeyResult], rules: MethodologyRules,
                           owner_objective_count: int) -> list[tuple[str, str]]:
    """Every way an objective breaks the method, all at once, checked at submit."""
    faults = key_result_count_faults("key_results", f"has {len(active)}", len(active), rules)
    for kr in active:
        if kr.kind == KeyResultKind.METRIC.value:
            faults += span_faults(f"key_results.{kr.id}.target", kr.title, kr.start, kr.target)
    if owner_objective_count > rules.max_objectives_per_owner:
        faults.append(("owner", f"{owner} would have {owner_objective_count} objectives "
                                f"in this cycle; allowed: {rules.max_objectives_per_owner}"))
    return faults


def key_result_count_faults(field: str, has: str, count: int,
                            rules: MethodologyRules) -> list[tuple[str, str]]:
    """The method's limits on active KRs; `has` says whose count it is ("has 6")."""
    if rules.min_key_results <= count <= rules.max_key_results:
        return []
    return [(field, f"{has} active key results; allowed: "
                    f"{rules.min_key_results} to {rules.max_key_results}")]


def check_in_violations(kr: KeyResult, value: object, done: object,
                        confidence: object) -> list[tuple[str, str]]:
    faults: list[tuple[str, str]] = []
    if not is_number(confidence) or not 0.0 <= confidence <= 1.0:
        faults.append(("confidence", "must be a number from 0.0 to 1.0"))
    if kr.kind == KeyResultKind.MILESTONE.value:
        if not isinstance(done, bool) or value is not None:
            faults.append(("done", "a milestone check-in gives done: true or false, and no value"))
    elif not is_number(value) or done is not None:
        faults.append(("value", f"a {kr.kind} check-in gives a numeric value, and no done flag"))
    return faults


def score_violations(active: Sequence[KeyResult], policy: str, scores: list[dict[str, Any]], *,
                     require_all: bool, require_reason: bool) -> list[tuple[str, str]]:
    """Faults in a self-assessment (every active KR, once) or in a reviewer's overrides."""
    active_ids = {kr.id for kr in active}
    allowed = ", ".join(str(score) for score in allowed_scores(policy))
    faults: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, entry in enumerate(scores):
        where = f"scores[{index}]"
        kr_id = str(entry.get("key_result_id"))
        if kr_id not in active_ids:
            faults.append((f"{where}.key_result_id", f"no active key result {kr_id!r}"))
        elif kr_id in seen:
            faults.append((f"{where}.key_result_id", "scored twice"))
        seen.add(kr_id)
        score = entry.get("score")
        if not is_number(score) or not is_allowed_score(score, policy):
            faults.append((f"{where}.score", f"policy {policy} allows {allowed}; got {score!r}"))
        if require_reason and not str(entry.get("reason") or "").strip():
            faults.append((f"{where}.reason", "an override needs a reason"))
        for text in ("note", "reason"):
            faults += [(f"{where}.{field}", message) for field, message in
                       text_faults(entry, text, required=False)]
    missing = active_ids - seen
    if require_all and missing:
        faults.append(("scores", f"every active key result needs a score; missing: "
                                 f"{', '.join(sorted(missing))}"))
    return faults


def final_entry(kr: KeyResult, override: Mapping[str, Any] | None) -> dict[str, Any]:
    """A KR's final score: the self-assessed one unless the reviewer overrode it."""
    if override is None:
        return {"key_result_id": kr.id, "score": kr.self_score, "overridden": False, "reason": ""}
    return {"key_result_id": kr.id, "score": float(override["score"]), "overridden": True,
            "reason": override["reason"]}
