"""The objective page's template context, built once for the whole page and for each
fragment htmx asks for (the version slider, the comparison)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.errors import ValidationError
from domain.objective import Objective
from domain.scoring import allowed_scores
from projections.service import ProjectionService
from web.commands_view import CommandStep
from web.form_choices import form_choices
from web.objective_page import (
    TIMELINE_SHOWN,
    action_forms,
    charts,
    check_in_series,
    diff_rows,
    pending_adjustment,
    steps_of,
    timeline_of,
    version_view,
)
from web.objective_view import key_result_rows
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state

SIMPLE_FORMS = (("submit", "Submit for review", False), ("start_closing", "Start closing", False),
                ("cancel", "Cancel this objective", True))
"""Actions whose form is a reason and a button: (action, label, reason required)."""
OWN_FIELD_IDS = frozenset({action for action, _, _ in SIMPLE_FORMS}
                          | {"propose_adjustment", "correct_check_in", "hand_over_review"})
"""Forms whose fields share names with another form's (reason, value, note): their field ids
carry the action (`field-cancel-reason`), and their faults show only on the form that failed."""
LABELS = {"key_result_id": "Key result", "value": "Value", "done": "Done",
          "confidence": "Confidence", "note": "Note", "comment": "Comment", "reason": "Reason",
          "version": "Version", "adjustment_id": "Adjustment", "scores": "Scores",
          "check_in_id": "Check-in", "reviewer": "New reviewer", "changes": "Changes",
          "objective.title": "Title", "objective.description": "Description",
          "objective.parent_id": "Parent objective", "objective.supports": "Supports",
          "new.title": "New key result: title", "new.kind": "New key result: kind",
          "new.start": "New key result: start", "new.target": "New key result: target",
          "new.unit": "New key result: unit"}
KR_FIELDS = (("score", "Score"), ("reason", "Reason"), ("note", "Note"))
"""Per-KR fields of the scoring forms (`score.<id>`) and of an adjustment (`kr.<id>.target`)."""
ADJUSTED_KR_FIELDS = ("start", "target", "unit", "title", "challenge", "weight", "remove")


def page_context(ledger: OKRLedger, views: ProjectionService, actor: Actor, objective_id: str,
                 query: Mapping[str, str], *, errors: Mapping[str, str] | None = None,
                 values: Mapping[str, str] | None = None,
                 failed_action: str = "") -> dict[str, Any]:
    objective = ledger.objective(objective_id)
    state = objective_state(objective)
    steps = steps_of(ledger, objective, views)
    krs = key_result_rows(state)
    forms = action_forms(ledger, objective, actor)
    series = check_in_series(views, objective, state)
    version = version_view(ledger, objective_id, steps, _index(query, "step", len(steps)))
    return {
        "o": state, "cycle": ledger.cycle(objective.cycle_id), "krs": krs,
        "names": names(ledger, objective, [version.step]),
        "allowed": ledger.allowed_actions(objective, actor), "forms": forms,
        "pending": pending_adjustment(objective),
        "allowed_scores": [str(score) for score in allowed_scores(objective.scoring_policy)],
        "simple_forms": SIMPLE_FORMS, **form_choices(ledger, views, objective, forms, series),
        "charts": charts(ledger, views, objective, state, series),
        "steps": steps, "version": version,
        "diff": diff_context(ledger, objective, steps, query, rows=False),
        "errors": dict(errors or {}), "values": dict(values or {}),
        "failed_action": failed_action, "labels": labels(krs),
        "anchors": anchors(failed_action, errors or {}),
    }


def timeline_context(ledger: OKRLedger, objective_id: str,
                     query: Mapping[str, str]) -> dict[str, Any]:
    """The timeline, newest first: the latest `TIMELINE_SHOWN` entries, or all on asking."""
    objective = ledger.objective(objective_id)
    entries = timeline_of(ledger, objective)
    newest_first = list(reversed(entries))
    every = query.get("all") == "1"
    return {"o": objective_state(objective), "names": names(ledger, objective, entries),
            "timeline": newest_first if every else newest_first[:TIMELINE_SHOWN],
            "timeline_total": len(entries),
            "timeline_hidden": 0 if every else max(0, len(entries) - TIMELINE_SHOWN)}


def version_context(ledger: OKRLedger, objective_id: str, query: Mapping[str, str], *,
                    views: ProjectionService | None = None) -> dict[str, Any]:
    """The version slider's fragment: the objective after the command asked for (with the
    views, its steps are read as the page reads them: only the ones shown)."""
    objective = ledger.objective(objective_id)
    steps = steps_of(ledger, objective, views)
    version = version_view(ledger, objective_id, steps, _index(query, "step", len(steps)))
    return {"o": objective_state(objective), "names": names(ledger, objective, [version.step]),
            "version": version}


def compare_context(ledger: OKRLedger, objective_id: str,
                    query: Mapping[str, str]) -> dict[str, Any]:
    """The comparison's fragment alone (or page, without JavaScript)."""
    objective = ledger.objective(objective_id)
    steps = steps_of(ledger, objective)
    return {"o": objective_state(objective), "names": names(ledger, objective, steps),
            "diff": diff_context(ledger, objective, steps, query)}


def diff_context(ledger: OKRLedger, objective: Objective, steps: Sequence[CommandStep],
                 query: Mapping[str, str], *, rows: bool = True) -> dict[str, Any]:
    """The comparison of two versions (by default the first and the current), or why not;
    without its `rows` for the page, which loads them after it (`compare_context`)."""
    latest = objective.version
    try:
        first = _version(query, "from", steps[0].version if steps else 1, latest)
        second = _version(query, "to", latest, latest)
    except ValidationError as error:
        return {"from_version": 1, "to_version": latest, "rows": None,
                "error": "; ".join(f"{name}: {why}" for name, why in error.violations)}
    return {"from_version": first, "to_version": second, "error": "",
            "rows": diff_rows(ledger, objective, first, second) if rows else None}


def names(ledger: OKRLedger, objective: Objective,
          steps: Sequence[CommandStep]) -> dict[str, str]:
    """Display names of the owner, the reviewer, whoever proposed the pending adjustment and
    the actors of `steps` (the page passes the step it shows: every step's actor means reading
    the whole history)."""
    pending = objective.adjustments.get(objective.pending_adjustment_id or "")
    subjects = {objective.owner, objective.reviewer, *(step.actor for step in steps),
                *([pending.proposed_by] if pending else [])}
    found = {}
    for subject in subjects:
        person = ledger.find_person(subject)
        found[subject] = person.display_name if person else subject
    return found


def labels(krs: list[Any]) -> dict[str, str]:
    per_kr = {f"{kind}.{kr.id}": f"{word} of \u201c{kr.title}\u201d" for kr in krs
              for kind, word in KR_FIELDS}
    adjusted = {f"kr.{kr.id}.{name}": f"\u201c{kr.title}\u201d: {name}" for kr in krs
                for name in ADJUSTED_KR_FIELDS}
    return {**LABELS, **per_kr, **adjusted}


def anchors(failed_action: str, errors: Mapping[str, str]) -> dict[str, str]:
    """Where the error summary links each fault: the field's id, which carries the action for
    the forms in `OWN_FIELD_IDS`."""
    if failed_action in OWN_FIELD_IDS:
        return {name: f"field-{failed_action}-{name}" for name in errors}
    return {}


def _index(query: Mapping[str, str], name: str, count: int) -> int:
    text = query.get(name, "")
    return int(text) if text.isdigit() and len(text) < 10 else count


def _version(query: Mapping[str, str], name: str, default: int, latest: int) -> int:
    text = query.get(name, "")
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text[:10]) <= latest:
        raise ValidationError([(name, f"must be a version from 1 to {latest}")])
    return int(text)
