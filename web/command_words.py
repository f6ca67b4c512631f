"""What each recorded event says a person did, in the words the pages use: one table for the
objective page's steps ("bob checked in") and the cycle replay's captions, which name the
objective after the verb ("bob checked in on ‘Cut lead time’"). A new event type is worded
here once, for both."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "Drafted": ("drafted", "drafted"),
    "Edited": ("edited", "edited"),
    "KeyResultAdded": ("added a key result", "added a key result to"),
    "KeyResultEdited": ("edited a key result", "edited a key result of"),
    "KeyResultRemoved": ("removed a key result", "removed a key result of"),
    "Submitted": ("submitted for review", "submitted"),
    "Approved": ("approved", "approved"),
    "ChangesRequested": ("requested changes", "requested changes to"),
    "CheckedIn": ("checked in", "checked in on"),
    "CheckInCorrected": ("corrected a check-in", "corrected a check-in on"),
    "AdjustmentProposed": ("proposed an adjustment", "proposed an adjustment to"),
    "AdjustmentApproved": ("approved an adjustment", "approved an adjustment to"),
    "AdjustmentRejected": ("rejected an adjustment", "rejected an adjustment to"),
    "ClosingStarted": ("started closing", "started closing"),
    "SelfAssessed": ("self-assessed", "self-assessed"),
    "AssessmentReturned": ("returned the self-assessment", "returned the assessment of"),
    "Finalized": ("finalized", "finalized"),
    "Cancelled": ("cancelled", "cancelled"),
    "CarriedOver": ("carried over", "carried over"),
    "Reassigned": ("reassigned", "reassigned"),
}
"""Event type → (what the person did, the same said before the objective's title)."""

ACTIONS = {kind: alone for kind, (alone, _) in WORDS.items()}
"""What the person did, alone: 'checked in'."""
VERBS = {kind: before_title for kind, (_, before_title) in WORDS.items()}
"""What the person did to an objective named next: 'checked in on'."""
