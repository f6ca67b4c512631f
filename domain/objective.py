"""The Objective aggregate: an O with its KRs, its alignment, and its whole life as events.

Every public method checks the rules and raises a named error; the private `@event` methods
only change state. The library re-runs those bodies on every load, so a rule placed inside one
would re-run on replay and a rule tightened later would make old history unreadable.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from eventsourcing.domain import event

from domain.adjustment import Adjustment, apply_changes, normalise_changes, stale_faults
from domain.alignment import Lookup, alignment_violations
from domain.check_ins import RecordedCheckIn
from domain.copying import FastDeepcopy
from domain.cycle import Cycle
from domain.drafting import (
    carried_key_result,
    carry_over_faults,
    draft_faults,
    first_key_result_faults,
)
from domain.errors import MethodologyError, NotFoundError, ValidationError
from domain.events import CommandAggregate, check_in_id_for
from domain.key_result import KeyResult, apply_fields, new_key_result, validate_key_result
from domain.objective_fields import validate_objective_fields
from domain.objective_rules import (
    check_in_violations,
    final_entry,
    key_result_count_faults,
    methodology_violations,
    score_violations,
)
from domain.rules import MethodologyRules
from domain.scoring import rounded_score, weighted_average
from domain.steps import Step, TransitionEvent
from domain.validation import text_faults
from domain.values import AdjustmentStatus, ObjectiveKind, ObjectiveState

OBJECTIVE_FIELDS = ("title", "description", "owner", "reviewer", "level", "kind", "parent_id",
                    "supports")
# Editing any of these re-checks the alignment as it then stands.
REALIGNING_FIELDS = frozenset({"parent_id", "supports", "level", "owner", "reviewer"})


class Objective(FastDeepcopy, CommandAggregate):
    class Event(TransitionEvent):
        """Every objective event: who acted and the state it leads to."""

    if TYPE_CHECKING:  # set by `Event.apply`; an annotation at run time would make a dataclass
        state: str

    @event("Drafted")
    def __init__(self, *, cycle_id: str, title: str, description: str, owner: str,
                 reviewer: str, level: str, kind: str, parent_id: str | None,
                 supports: list[str], scoring_policy: str, carried_over_from: str | None,
                 actor: str, state: str, reason: str) -> None:
        self.cycle_id, self.title, self.description = cycle_id, title, description
        self.owner, self.reviewer, self.level, self.kind = owner, reviewer, level, kind
        self.parent_id, self.supports = parent_id, list(supports)
        self.scoring_policy, self.carried_over_from = scoring_policy, carried_over_from
        self.carried_over_to: list[str] = []
        self.key_results: dict[str, KeyResult] = {}
        self.adjustments: dict[str, Adjustment] = {}
        self.pending_adjustment_id: str | None = None
        self.original: dict[str, Any] = {}
        self.score: float | None = None

    # ----- creation ------------------------------------------------------------------------

    @classmethod
    def draft(cls, cycle: Cycle, *, actor: str, owner: str, reviewer: str, title: str,
              level: str, description: str = "", kind: str = ObjectiveKind.BUSINESS.value,
              parent_id: str | None = None, supports: list[str] | None = None,
              key_results: list[dict[str, Any]] | None = None, lookup: Lookup,
              reason: str = "") -> Objective:
        """A new draft in `cycle` with its first key results; every fault is listed at once."""
        fields: dict[str, Any] = {"title": title, "description": description or "", "owner": owner,
                  "reviewer": reviewer, "level": level, "kind": kind, "parent_id": parent_id,
                  "supports": [] if supports is None else supports}
        _raise_if(draft_faults(cycle, fields, lookup) + _reason_faults(reason))
        objective = cls(cycle_id=str(cycle.id), scoring_policy=cycle.scoring_policy,
                        carried_over_from=None, actor=actor, state=ObjectiveState.DRAFT.value,
                        reason=reason, **fields)
        objective._add_first_key_results(actor, key_results or [])
        return objective

    @classmethod
    def carry_into(cls, source: Objective, step: Step, *, cycle: Cycle,
                   from_cycle: Cycle, reason: str = "") -> Objective:
        """A new draft of `source` in the later `cycle`, unaligned and with its active KRs;
        `source` records where it was carried."""
        step.check("carry_over", source.state)
        _raise_if(carry_over_faults(from_cycle, cycle) + _reason_faults(reason))
        copy = cls(cycle_id=str(cycle.id), title=source.title, description=source.description,
                   owner=source.owner, reviewer=source.reviewer, level=source.level,
                   kind=source.kind, parent_id=None, supports=[],
                   scoring_policy=cycle.scoring_policy, carried_over_from=str(source.id),
                   actor=step.actor, state=ObjectiveState.DRAFT.value, reason=reason)
        copy._add_first_key_results(
            step.actor, [carried_key_result(kr) for kr in source.active_key_results])
        source._carried_over(actor=step.actor, state=step.dest, to_objective_id=str(copy.id),
                             to_cycle_id=str(cycle.id), reason=reason)
        return copy

    def _add_first_key_results(self, actor: str, key_results: list[dict[str, Any]]) -> None:
        _raise_if(first_key_result_faults(key_results))
        for fields in key_results:
            self._key_result_added(actor=actor, state=self.state, key_result_id=str(uuid4()),
                                   fields=fields, reason="")

    # ----- reading -------------------------------------------------------------------------

    @property
    def active_key_results(self) -> list[KeyResult]:
        return [kr for kr in self.key_results.values() if not kr.removed]

    @property
    def progress(self) -> float:
        """Weight-averaged KR progress, each KR capped at 1."""
        return self.progress_from({kr.id: kr.progress for kr in self.active_key_results})

    def progress_from(self, kr_progress: Mapping[str, float]) -> float:
        """The objective's progress from its active KRs' progress, for a reader that has
        worked those out already (a view showing both)."""
        return weighted_average([(min(kr_progress[kr.id], 1.0), kr.weight)
                                 for kr in self.key_results.values() if not kr.removed])

    def public_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in OBJECTIVE_FIELDS}

    def key_result(self, key_result_id: str) -> KeyResult:
        kr = self.key_results.get(str(key_result_id))
        if kr is None or kr.removed:
            raise NotFoundError("key result", key_result_id)
        return kr

    # ----- drafting (state: draft) ---------------------------------------------------------

    def edit(self, step: Step, fields: Mapping[str, Any], lookup: Lookup,
             reason: str = "") -> None:
        step.check("edit", self.state)
        changes = {name: value for name, value in fields.items() if name in OBJECTIVE_FIELDS}
        unknown = sorted(set(fields) - set(OBJECTIVE_FIELDS))
        merged = {**self.public_fields(), **changes}
        faults = [(name, "is not an editable field") for name in unknown]
        faults += validate_objective_fields(merged, creating=False)
        if not faults and REALIGNING_FIELDS & set(fields):
            faults = alignment_violations(objective_id=str(self.id), cycle_id=self.cycle_id,
                                          fields=merged, lookup=lookup)
        _raise_if(faults + _reason_faults(reason))
        changed = {name: value for name, value in changes.items() if getattr(self, name) != value}
        if changed:  # an edit that changes nothing is not an event
            self._edited(actor=step.actor, state=step.dest, changes=changed, reason=reason)

    def add_key_result(self, step: Step, fields: dict[str, Any], reason: str = "") -> str:
        step.check("edit", self.state)
        _raise_if(validate_key_result(fields) + _reason_faults(reason))
        key_result_id = str(uuid4())
        self._key_result_added(actor=step.actor, state=step.dest, key_result_id=key_result_id,
                               fields=fields, reason=reason)
        return key_result_id

    def edit_key_result(self, step: Step, key_result_id: str, fields: dict[str, Any],
                        reason: str = "") -> None:
        step.check("edit", self.state)
        kr = self.key_result(key_result_id)
        _raise_if(validate_key_result(fields, kind=kr.kind) + _reason_faults(reason))
        changed = {name: value for name, value in fields.items() if getattr(kr, name) != value}
        if changed:  # an edit that changes nothing is not an event
            self._key_result_edited(actor=step.actor, state=step.dest, key_result_id=kr.id,
                                    changes=changed, reason=reason)

    def remove_key_result(self, step: Step, key_result_id: str, reason: str = "") -> None:
        step.check("edit", self.state)
        kr = self.key_result(key_result_id)
        _raise_if(_reason_faults(reason))
        self._key_result_removed(actor=step.actor, state=step.dest, key_result_id=kr.id,
                                 reason=reason)

    @event("Edited")
    def _edited(self, actor: str, state: str, changes: dict[str, Any], reason: str) -> None:
        for name, value in changes.items():
            setattr(self, name, list(value) if name == "supports" else value)

    @event("KeyResultAdded")
    def _key_result_added(self, actor: str, state: str, key_result_id: str,
                          fields: dict[str, Any], reason: str) -> None:
        self.key_results[key_result_id] = new_key_result(key_result_id, fields)

    @event("KeyResultEdited")
    def _key_result_edited(self, actor: str, state: str, key_result_id: str,
                           changes: dict[str, Any], reason: str) -> None:
        apply_fields(self.key_results[key_result_id], changes)

    @event("KeyResultRemoved")
    def _key_result_removed(self, actor: str, state: str, key_result_id: str,
                            reason: str) -> None:
        self.key_results[key_result_id].removed = True

    # ----- review --------------------------------------------------------------------------

    def hand_over_review(self, step: Step, reviewer: str, reason: str) -> None:
        """The review passes to `reviewer` (never the owner), recorded as an edit with why."""
        step.check("hand_over_review", self.state)
        _require_reason(reason, "reason")
        _raise_if(validate_objective_fields({**self.public_fields(), "reviewer": reviewer},
                                            creating=False))
        if reviewer != self.reviewer:
            self._edited(actor=step.actor, state=step.dest, changes={"reviewer": reviewer},
                         reason=reason)

    def reassign_owner(self, step: Step, owner: str, reason: str) -> None:
        """An open objective passes to a new owner (never its reviewer), when its owner leaves
        or changes team: recorded with who owned it before and why. A draft's owner may also
        be changed by an edit; this is the one way once it is submitted."""
        step.check("reassign_owner", self.state)
        _require_reason(reason, "reason")
        if isinstance(owner, str) and owner.strip() and owner == self.reviewer:
            raise ValidationError([("owner", f"must be someone other than the reviewer "
                                             f"({self.reviewer!r}): an owner never reviews "
                                             "their own objective")])
        _raise_if(validate_objective_fields({**self.public_fields(), "owner": owner},
                                            creating=False))
        if owner != self.owner:
            self._reassigned(actor=step.actor, state=step.dest, before={"owner": self.owner},
                             after={"owner": owner}, reason=reason)

    def submit(self, step: Step, rules: MethodologyRules, owner_objective_count: int,
               reason: str = "") -> None:
        step.check("submit", self.state)
        _raise_if(_reason_faults(reason))
        faults = methodology_violations(self.owner, self.active_key_results, rules,
                                        owner_objective_count)
        if faults:
            raise MethodologyError(faults)
        self._submitted(actor=step.actor, state=step.dest, reason=reason)

    def approve(self, step: Step, comment: str = "") -> None:
        step.check("approve", self.state)
        _raise_if(text_faults({"comment": comment}, "comment", required=False))
        self._approved(actor=step.actor, state=step.dest, comment=comment)

    def request_changes(self, step: Step, comment: str) -> None:
        step.check("request_changes", self.state)
        _require_reason(comment, "comment")
        self._changes_requested(actor=step.actor, state=step.dest, comment=comment)

    @event("Reassigned")
    def _reassigned(self, actor: str, state: str, before: dict[str, Any], after: dict[str, Any],
                    reason: str) -> None:
        """Who owns the objective changed: `before` and `after` name the people."""
        for name, value in after.items():
            setattr(self, name, value)

    @event("Submitted")
    def _submitted(self, actor: str, state: str, reason: str) -> None:
        """Sent to the reviewer: only the state changes, in `Event.apply`."""

    @event("Approved")
    def _approved(self, actor: str, state: str, comment: str) -> None:
        """Approved by the reviewer: only the state changes, in `Event.apply`."""

    @event("ChangesRequested")
    def _changes_requested(self, actor: str, state: str, comment: str) -> None:
        """Sent back to its owner: only the state changes, in `Event.apply`."""

    # ----- during the cycle ----------------------------------------------------------------

    def check_in(self, step: Step, key_result_id: str, *, value: float | None = None,
                 done: bool | None = None, confidence: float, note: str = "") -> None:
        step.check("check_in", self.state)
        kr = self.key_result(key_result_id)
        _raise_if(check_in_violations(kr, value, done, confidence)
                  + text_faults({"note": note}, "note", required=False))
        met = kr.meets_threshold(value) if kr.kind == "threshold" and value is not None else None
        self._checked_in(actor=step.actor, state=step.dest, key_result_id=kr.id, value=value,
                         done=done, confidence=confidence, note=note, met=met,
                         check_in_id=check_in_id_for(self.id, self.version + 1))

    @event("CheckedIn")
    def _checked_in(self, actor: str, state: str, key_result_id: str, value: float | None,
                    done: bool | None, confidence: float, note: str, met: bool | None,
                    check_in_id: str) -> None:
        kr = self.key_results[key_result_id]
        kr.confidence = confidence
        kr.check_ins += 1
        if met:
            kr.check_ins_met += 1
        original_threshold = kr.original_threshold()
        if original_threshold is not None and value is not None:
            kr.check_ins_met_original = (kr.check_ins_met_original or 0) + int(
                kr.meets_threshold(value, original_threshold))
        if done is not None:
            kr.done = done
        if value is not None and kr.kind == "metric":
            kr.current = value

    def correct_check_in(self, step: Step, recorded: RecordedCheckIn, *,
                         value: float | None = None, done: bool | None = None,
                         confidence: float | None = None, note: str | None = None,
                         reason: str) -> None:
        """Correct a mistaken check-in: the original stays in the history; progress follows
        the corrected value from now on. Confidence and note stay as they were unless given."""
        step.check("correct_check_in", self.state)
        _require_reason(reason, "reason")
        kr = self.key_result(recorded.key_result_id)
        confidence = recorded.confidence if confidence is None else confidence
        note = recorded.note if note is None else note
        _raise_if(check_in_violations(kr, value, done, confidence)
                  + text_faults({"note": note}, "note", required=False))
        met = kr.meets_threshold(value) if kr.kind == "threshold" and value is not None else None
        self._check_in_corrected(
            actor=step.actor, state=step.dest, key_result_id=kr.id,
            check_in_id=recorded.check_in_id, checked_in_at=recorded.recorded_at, value=value,
            done=done, confidence=confidence, note=note, met=met, was=recorded.reported(),
            latest=recorded.latest, reason=reason)

    @event("CheckInCorrected")
    def _check_in_corrected(self, actor: str, state: str, key_result_id: str,
                            check_in_id: str, checked_in_at: str, value: float | None,
                            done: bool | None, confidence: float, note: str, met: bool | None,
                            was: dict[str, Any], latest: bool, reason: str) -> None:
        kr = self.key_results[key_result_id]
        kr.check_ins_met += int(bool(met)) - int(bool(was.get("met")))
        original_threshold = kr.original_threshold()
        if original_threshold is not None and kr.check_ins_met_original is not None:
            kr.check_ins_met_original += (
                _meets(kr, value, original_threshold) - _meets(kr, was.get("value"),
                                                               original_threshold))
        if latest:
            kr.confidence = confidence
            if done is not None:
                kr.done = done
            if value is not None and kr.kind == "metric":
                kr.current = value

    def propose_adjustment(self, step: Step, reason: str, changes: list[dict[str, Any]],
                           rules: MethodologyRules, lookup: Lookup) -> str:
        step.check("propose_adjustment", self.state)
        _require_reason(reason, "reason")
        normalised, faults = normalise_changes(self, changes, lookup)
        _raise_if(faults)
        count = len(self._adjusted(normalised).active_key_results)
        _raise_if(key_result_count_faults(
            "changes", f"the adjusted objective would have {count}", count, rules))
        adjustment_id = str(uuid4())
        self._adjustment_proposed(actor=step.actor, state=step.dest,
                                  adjustment_id=adjustment_id, reason=reason, changes=normalised)
        return adjustment_id

    def approve_adjustment(self, step: Step, adjustment_id: str, lookup: Lookup,
                           comment: str = "") -> None:
        step.check("approve_adjustment", self.state)
        adjustment = self._pending(adjustment_id)
        _raise_if(stale_faults(self, adjustment.changes, lookup))
        self._adjustment_approved(actor=step.actor, state=step.dest, adjustment_id=adjustment.id,
                                  changes=adjustment.changes, comment=comment)

    def reject_adjustment(self, step: Step, adjustment_id: str, comment: str = "") -> None:
        step.check("reject_adjustment", self.state)
        adjustment = self._pending(adjustment_id)
        self._adjustment_rejected(actor=step.actor, state=step.dest,
                                  adjustment_id=adjustment.id, comment=comment)

    def _adjusted(self, changes: list[dict[str, Any]]) -> Objective:
        """A copy of the objective as it would be if the changes were approved."""
        adjusted = deepcopy(self)
        apply_changes(adjusted, changes)
        return adjusted

    def _pending(self, adjustment_id: str) -> Adjustment:
        adjustment = self.adjustments.get(str(adjustment_id))
        if adjustment is None:
            raise NotFoundError("adjustment", adjustment_id)
        if adjustment.id != self.pending_adjustment_id:
            raise ValidationError([("adjustment_id", f"adjustment is already {adjustment.status}")])
        return adjustment

    @event("AdjustmentProposed")
    def _adjustment_proposed(self, actor: str, state: str, adjustment_id: str, reason: str,
                             changes: list[dict[str, Any]]) -> None:
        self.adjustments[adjustment_id] = Adjustment(adjustment_id, reason, changes, actor)
        self.pending_adjustment_id = adjustment_id

    @event("AdjustmentApproved")
    def _adjustment_approved(self, actor: str, state: str, adjustment_id: str,
                             changes: list[dict[str, Any]], comment: str) -> None:
        apply_changes(self, changes)
        self._decide(adjustment_id, AdjustmentStatus.APPROVED.value, actor, comment)

    @event("AdjustmentRejected")
    def _adjustment_rejected(self, actor: str, state: str, adjustment_id: str,
                             comment: str) -> None:
        self._decide(adjustment_id, AdjustmentStatus.REJECTED.value, actor, comment)

    def _decide(self, adjustment_id: str, status: str, actor: str, comment: str) -> None:
        adjustment = self.adjustments[adjustment_id]
        adjustment.status, adjustment.decided_by, adjustment.comment = status, actor, comment
        self.pending_adjustment_id = None

    # ----- closing -------------------------------------------------------------------------

    def start_closing(self, step: Step, reason: str = "") -> None:
        step.check("start_closing", self.state)
        _raise_if(_reason_faults(reason))
        self._closing_started(actor=step.actor, state=step.dest, reason=reason)

    def self_assess(self, step: Step, scores: list[dict[str, Any]], reason: str = "") -> None:
        step.check("self_assess", self.state)
        _raise_if(score_violations(self.active_key_results, self.scoring_policy, scores,
                                   require_all=True, require_reason=False)
                  + _reason_faults(reason))
        entries = [{"key_result_id": str(s["key_result_id"]), "score": float(s["score"]),
                    "note": s.get("note") or ""} for s in scores]
        self._self_assessed(actor=step.actor, state=step.dest, scores=entries, reason=reason)

    def return_assessment(self, step: Step, comment: str) -> None:
        step.check("return_assessment", self.state)
        _require_reason(comment, "comment")
        self._assessment_returned(actor=step.actor, state=step.dest, comment=comment)

    def finalize(self, step: Step, overrides: list[dict[str, Any]] | None = None,
                 comment: str = "") -> None:
        step.check("finalize", self.state)
        overrides = overrides or []
        _raise_if(score_violations(self.active_key_results, self.scoring_policy, overrides,
                                   require_all=False, require_reason=True)
                  + _reason_faults(comment, "comment"))
        by_kr = {str(o["key_result_id"]): o for o in overrides}
        finals = [final_entry(kr, by_kr.get(kr.id)) for kr in self.active_key_results]
        score = rounded_score(
            (entry["score"], self.key_results[entry["key_result_id"]].weight) for entry in finals)
        self._finalized(actor=step.actor, state=step.dest, scores=finals, score=score,
                        comment=comment)

    @event("ClosingStarted")
    def _closing_started(self, actor: str, state: str, reason: str) -> None:
        """Scoring begins: only the state changes, in `Event.apply`."""

    @event("SelfAssessed")
    def _self_assessed(self, actor: str, state: str, scores: list[dict[str, Any]],
                       reason: str) -> None:
        for entry in scores:
            kr = self.key_results[entry["key_result_id"]]
            kr.self_score, kr.self_note = entry["score"], entry["note"]

    @event("AssessmentReturned")
    def _assessment_returned(self, actor: str, state: str, comment: str) -> None:
        """Sent back for another self-assessment: only the state changes, in `Event.apply`."""

    @event("Finalized")
    def _finalized(self, actor: str, state: str, scores: list[dict[str, Any]],
                   score: float, comment: str) -> None:
        for entry in scores:
            kr = self.key_results[entry["key_result_id"]]
            kr.final_score, kr.override_reason = entry["score"], entry["reason"]
        self.score = score

    # ----- ending and carrying over --------------------------------------------------------

    def cancel(self, step: Step, reason: str) -> None:
        step.check("cancel", self.state)
        _require_reason(reason, "reason")
        self._cancelled(actor=step.actor, state=step.dest, reason=reason)

    @event("Cancelled")
    def _cancelled(self, actor: str, state: str, reason: str) -> None:
        """An adjustment still pending is withdrawn, by whoever cancelled and for their reason."""
        if self.pending_adjustment_id is not None:
            self._decide(self.pending_adjustment_id, AdjustmentStatus.WITHDRAWN.value, actor,
                         reason)

    @event("CarriedOver")
    def _carried_over(self, actor: str, state: str, to_objective_id: str,
                      to_cycle_id: str, reason: str) -> None:
        self.carried_over_to.append(to_objective_id)


def _meets(kr: KeyResult, value: float | None, threshold: float) -> int:
    return int(value is not None and kr.meets_threshold(value, threshold))


def _reason_faults(text: object, field: str = "reason") -> list[tuple[str, str]]:
    """Faults of an optional reason or comment: text of sane length when given."""
    return text_faults({field: text}, field, required=False)


def _require_reason(text: str, field: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError([(field, "is required: say why")])
    _raise_if(text_faults({field: text}, field, required=True))


def _raise_if(faults: list[tuple[str, str]]) -> None:
    if faults:
        raise ValidationError(faults)
