"""The decision log: every decision a reviewer or admin made and every act that needs
accounting for, across objectives, one entry per decision in log order.

An entry says which objective (and its title then), the action, who acted and in which role
(owner, reviewer, admin), when, at which log position and in which command, and why (the
reason or comment given). The details an auditor asks next travel with it: an adjustment's
changes with before and after, its proposer and reason; each KR's suggested, self and final
score at finalize, with the reason for every override; where a carry-over went; who owned an
objective before and after an admin reassigned it. A cancellation
that found an adjustment pending also withdraws it: that is a second entry, at the same
position, in the cancellation's name and with its reason.
"""

from __future__ import annotations

import json
from functools import singledispatchmethod
from inspect import getattr_static
from typing import Any

from eventsourcing.domain import Aggregate

from domain.objective import Objective
from domain.values import AdjustmentStatus
from projections.projection import Event, EventProjection, event_class
from projections.times import to_micros
from workflows.event_metadata import metadata_of
from workflows.roles import acted_as

ACTIONS = {"Submitted": "submitted", "Approved": "approved",
           "ChangesRequested": "changes_requested", "AdjustmentProposed": "adjustment_proposed",
           "AdjustmentApproved": "adjustment_approved",
           "AdjustmentRejected": "adjustment_rejected", "ClosingStarted": "closing_started",
           "SelfAssessed": "self_assessed", "AssessmentReturned": "assessment_returned",
           "Finalized": "finalized", "Cancelled": "cancelled", "CarriedOver": "carried_over",
           "CheckInCorrected": "check_in_corrected", "Reassigned": "reassigned"}
"""Which events are decisions, and the action each records."""
WITHDRAWN = "adjustment_withdrawn"
DECISION_ACTIONS = (*ACTIONS.values(), WITHDRAWN)
Rows = list[tuple[Any, ...]]


class DecisionProjection(EventProjection[Rows]):
    def new_changes(self) -> Rows:
        return []

    @singledispatchmethod
    def process(self, event: Event, aggregate: Aggregate | None, position: int) -> None:
        """Not a decision: the position still moves on."""

    def _decided(self, event: Any, objective: Objective, position: int) -> None:
        action = ACTIONS[type(event).__name__]
        details = DETAILS.get(action, _nothing)(event, objective)
        self.changes.append(_row(event, objective, position, 0, action, details))
        if action == "cancelled":
            for adjustment_id in _withdrawn_by(event, objective):
                self.changes.append(_row(event, objective, position, 1, WITHDRAWN,
                                         _adjustment(objective, adjustment_id)))


for _name in ACTIONS:
    getattr_static(DecisionProjection, "process").register(
        event_class(Objective, _name), DecisionProjection._decided)


def _row(event: Any, objective: Objective, position: int, seq: int, action: str,
         details: dict[str, Any]) -> tuple[Any, ...]:
    metadata = metadata_of(event)
    role = acted_as(event.actor, metadata, objective.owner, objective.reviewer)
    why = getattr(event, "reason", None) or getattr(event, "comment", None) or ""
    return (position, seq, str(objective.id), objective.title, objective.cycle_id, action,
            event.actor, role, to_micros(event.timestamp), metadata.get("command_id"), why,
            json.dumps(details))


def _withdrawn_by(event: Any, objective: Objective) -> list[str]:
    """The adjustments this cancellation withdrew (at most the one pending)."""
    return [adjustment.id for adjustment in objective.adjustments.values()
            if adjustment.status == AdjustmentStatus.WITHDRAWN.value]


def _nothing(event: Any, objective: Objective) -> dict[str, Any]:
    return {}


def _adjustment(objective: Objective, adjustment_id: str) -> dict[str, Any]:
    adjustment = objective.adjustments[adjustment_id]
    changes = [{**change, "key_result_title": _kr_title(objective, change.get("key_result_id"))
                or change["after"].get("title")} if "key_result_id" in change else change
               for change in adjustment.changes]
    return {"adjustment_id": adjustment.id, "proposed_by": adjustment.proposed_by,
            "proposal_reason": adjustment.reason, "changes": changes}


def _kr_title(objective: Objective, key_result_id: str | None) -> str | None:
    kr = objective.key_results.get(key_result_id or "")
    return None if kr is None else kr.title


def _self_assessed(event: Any, objective: Objective) -> dict[str, Any]:
    return {"key_results": [{"key_result_id": entry["key_result_id"],
                             "title": _kr_title(objective, entry["key_result_id"]),
                             "self_score": entry["score"], "note": entry["note"]}
                            for entry in event.scores]}


def _finalized(event: Any, objective: Objective) -> dict[str, Any]:
    scored = []
    for entry in event.scores:
        kr = objective.key_results[entry["key_result_id"]]
        scored.append({"key_result_id": kr.id, "title": kr.title,
                       "suggested_score": kr.suggested_score(objective.scoring_policy),
                       "self_score": kr.self_score, "final_score": entry["score"],
                       "overridden": entry["overridden"], "reason": entry["reason"]})
    return {"score": event.score, "key_results": scored}


def _carried_over(event: Any, objective: Objective) -> dict[str, Any]:
    return {"to_objective_id": event.to_objective_id, "to_cycle_id": event.to_cycle_id}


def _corrected(event: Any, objective: Objective) -> dict[str, Any]:
    after = {name: getattr(event, name) for name in ("value", "done", "confidence", "note")}
    before = {name: event.was.get(name) for name in after}
    return {"key_result_id": event.key_result_id,
            "key_result_title": _kr_title(objective, event.key_result_id),
            "check_in_id": event.check_in_id, "before": before, "after": after}


DETAILS = {
    "check_in_corrected": _corrected,
    "adjustment_proposed": lambda event, objective: _adjustment(objective, event.adjustment_id),
    "adjustment_approved": lambda event, objective: _adjustment(objective, event.adjustment_id),
    "adjustment_rejected": lambda event, objective: _adjustment(objective, event.adjustment_id),
    "self_assessed": _self_assessed, "finalized": _finalized, "carried_over": _carried_over,
    "reassigned": lambda event, objective: {"before": event.before, "after": event.after},
}
