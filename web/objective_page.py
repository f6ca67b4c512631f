"""Everything the objective page shows, read through the ledger and the views the API reads:
the objective now, its KRs with their charts, the actions the signed-in person may take, the
timeline, the version slider's steps and the objective at the step chosen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from markupsafe import Markup

from domain.objective import Objective
from projections.service import ProjectionService
from web.action_specs import FORMS
from web.chart_data import chart_data
from web.charts import render_chart
from web.command_spans import Steps
from web.commands_view import CommandStep, command_steps, timeline_steps
from web.objective_view import Changed, FieldRow, KeyResultRow, field_rows, key_result_rows
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.objective_state import objective_state
from workflows.timeline import field_changes

UNSHOWN = frozenset({"pending_adjustment_id", "original", "retargeted", "modified_at"})
"""Bookkeeping a diff lists that a reader learns better from the fields beside it."""
TIMELINE_SHOWN = 100
"""Timeline entries shown at first, newest first; the rest on asking."""


@dataclass(frozen=True)
class VersionView:
    """The objective as it was after one command, with what that command changed."""

    step: CommandStep
    count: int
    state: dict[str, Any]
    fields: list[FieldRow]
    key_results: list[KeyResultRow]


def steps_of(ledger: OKRLedger, objective: Objective,
             views: ProjectionService | None = None) -> Sequence[CommandStep]:
    """The objective's commands: the version slider's steps. With the views, each step is
    read when asked for (`web.command_spans`); otherwise from one read of the history. Either
    is cheap where the full timeline describes each command against the objective before and
    after it, so it is served on its own (`timeline_of`)."""
    if views is not None:
        return Steps(ledger, objective, views.command_spans(str(objective.id)))
    titles = {kr.id: kr.title for kr in objective.key_results.values()}
    return command_steps(ledger.history(str(objective.id)), objective.owner, objective.reviewer,
                         titles)


def timeline_of(ledger: OKRLedger, objective: Objective) -> list[CommandStep]:
    """The timeline's entries, oldest first: the ledger's own timeline where it keeps one
    (each command summarised, with the role recorded), else the history's commands."""
    timeline = getattr(ledger, "timeline", None)
    if callable(timeline):
        return timeline_steps(timeline(str(objective.id)))
    return list(steps_of(ledger, objective))


def version_view(ledger: OKRLedger, objective_id: str, steps: Sequence[CommandStep],
                 index: int) -> VersionView:
    """The objective after the command at `index` (1-based; clamped to the steps there are)."""
    index = min(max(index, 1), len(steps))
    step = steps[index - 1]
    state = objective_state(ledger.objective_at(objective_id, version=step.version))
    if index == 1:
        changed = Changed.everything(state)
    elif step.changes is not None:
        changed = Changed.of(step.changes)
    else:
        changed = Changed.of(changes_between(ledger, objective_id, steps[index - 2].version,
                                             step.version))
    return VersionView(step, len(steps), state, field_rows(state, changed),
                       key_result_rows(state, changed))


def check_in_series(views: ProjectionService, objective: Objective,
                    state: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each KR's check-ins as the views hold them (`check_ins_page`), by KR id."""
    return {kr["id"]: views.check_ins(str(objective.id), kr["id"])
            for kr in state["key_results"]}


def charts(ledger: OKRLedger, views: ProjectionService, objective: Objective,
           state: dict[str, Any], series: dict[str, list[dict[str, Any]]]) -> dict[str, Markup]:
    """Each KR's chart as inline SVG, against its cycle's dates."""
    cycle = ledger.cycle(objective.cycle_id)
    begins, ends = _day(cycle.starts_on), _day(cycle.ends_on, time.max)
    adjustments = views.adjustments(objective_id=str(objective.id))
    found = {}
    for number, kr in enumerate(state["key_results"], start=1):
        data = chart_data(kr, series[kr["id"]], adjustments, begins=begins, ends=ends)
        found[kr["id"]] = Markup(render_chart(data, f"chart-{number}"))  # it escapes every text
    return found


def _day(text: str, at: time = time.min) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(text), at, tzinfo=UTC)
    except ValueError:
        return None


def action_forms(ledger: OKRLedger, objective: Objective, actor: Actor) -> list[str]:
    """The actions the person may take now that the page has a form for."""
    return [action for action in ledger.allowed_actions(objective, actor) if action in FORMS]


def pending_adjustment(objective: Objective) -> dict[str, Any] | None:
    if objective.pending_adjustment_id is None:
        return None
    adjustment = objective.adjustments[objective.pending_adjustment_id]
    titles = {kr.id: kr.title for kr in objective.key_results.values()}
    return {"id": adjustment.id, "reason": adjustment.reason,
            "proposed_by": adjustment.proposed_by,
            "changes": [{**change, "key_result_title": titles.get(change.get("key_result_id", ""))}
                        for change in adjustment.changes]}


def changes_between(ledger: OKRLedger, objective_id: str, from_version: int,
                    to_version: int) -> list[dict[str, Any]]:
    """Each field that differs between two versions (`workflows.timeline.field_changes`: the
    timeline's own comparison). Not `OKRLedger.diff`, which also cites every command that
    changed each field, reading every command of the objective: 330 ms for 1,000 check-ins."""
    return field_changes(ledger.objective_at(objective_id, version=from_version),
                         ledger.objective_at(objective_id, version=to_version))


def diff_rows(ledger: OKRLedger, objective: Objective, from_version: int,
              to_version: int) -> list[dict[str, Any]]:
    """What differs between two versions, each field named as a reader would, with the
    commands between them that changed it, newest first (who, in which role, when and what:
    the timeline's entries, which list every field each command changed)."""
    objective_id = str(objective.id)
    titles = {kr_id: kr.title for kr_id, kr in objective.key_results.items()}
    low, high = sorted((from_version, to_version))
    between = [step for step in reversed(timeline_of(ledger, objective))
               if step.version > low and step.first_version <= high]
    return [{"label": field_label(change["field"], titles), "field": change["field"],
             "old": change["before"], "new": change["after"],
             "commands": [step for step in between if _touches(step, change["field"])]}
            for change in changes_between(ledger, objective_id, from_version, to_version)
            if change["field"].rsplit(".", 1)[-1] not in UNSHOWN]


def _touches(step: CommandStep, field: str) -> bool:
    """Whether the command changed `field` (adding a key result changes each of its fields)."""
    return any(name == field or field.startswith(name + ".") or name.startswith(field + ".")
               for name in (change["field"] for change in step.changes or ()))


def field_label(name: str, titles: dict[str, str]) -> str:
    """`key_results.<id>.target` as '“Cut lead time”: target'."""
    if not name.startswith("key_results."):
        return name.replace("_", " ")
    kr_id, _, kr_field = name[len("key_results."):].partition(".")
    title = f"\u201c{titles.get(kr_id, kr_id)}\u201d"
    return f"{title}: {kr_field.replace('_', ' ')}" if kr_field else f"{title} (key result)"
