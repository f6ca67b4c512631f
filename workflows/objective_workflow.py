"""The objective workflow: set -> review -> close, as one table.

`who` names the people who may take each action: the objective's `owner`, its `reviewer`, and
always an `admin`. Check-ins stay allowed while an adjustment is under review. `closed` and
`cancelled` are final; the only action left there is carrying the objective into a later cycle,
which creates a new draft and leaves the original as it was.
"""

from __future__ import annotations

from typing import Any

from domain.values import ObjectiveState as S
from workflows.lifecycle import Lifecycle

OWNER, REVIEWER, ADMIN = "owner", "reviewer", "admin"
BOTH = (OWNER, REVIEWER, ADMIN)

TRANSITIONS = [
    {"trigger": "edit", "source": S.DRAFT, "dest": S.DRAFT, "who": (OWNER, ADMIN)},
    {"trigger": "submit", "source": S.DRAFT, "dest": S.IN_REVIEW, "who": (OWNER, ADMIN)},
    {"trigger": "approve", "source": S.IN_REVIEW, "dest": S.ACTIVE, "who": (REVIEWER, ADMIN)},
    {"trigger": "request_changes", "source": S.IN_REVIEW, "dest": S.DRAFT,
     "who": (REVIEWER, ADMIN)},
    {"trigger": "check_in", "source": S.ACTIVE, "dest": S.ACTIVE, "who": (OWNER, ADMIN)},
    {"trigger": "check_in", "source": S.ADJUSTING, "dest": S.ADJUSTING, "who": (OWNER, ADMIN)},
    {"trigger": "propose_adjustment", "source": S.ACTIVE, "dest": S.ADJUSTING,
     "who": (OWNER, ADMIN)},
    {"trigger": "approve_adjustment", "source": S.ADJUSTING, "dest": S.ACTIVE,
     "who": (REVIEWER, ADMIN)},
    {"trigger": "reject_adjustment", "source": S.ADJUSTING, "dest": S.ACTIVE,
     "who": (REVIEWER, ADMIN)},
    {"trigger": "start_closing", "source": S.ACTIVE, "dest": S.SCORING, "who": (OWNER, ADMIN)},
    {"trigger": "self_assess", "source": S.SCORING, "dest": S.SCORE_REVIEW,
     "who": (OWNER, ADMIN)},
    {"trigger": "finalize", "source": S.SCORE_REVIEW, "dest": S.CLOSED, "who": (REVIEWER, ADMIN)},
    {"trigger": "return_assessment", "source": S.SCORE_REVIEW, "dest": S.SCORING,
     "who": (REVIEWER, ADMIN)},
    {"trigger": "cancel", "source": [S.DRAFT, S.IN_REVIEW, S.ACTIVE, S.ADJUSTING],
     "dest": S.CANCELLED, "who": BOTH},
    {"trigger": "hand_over_review",
     "source": [S.DRAFT, S.IN_REVIEW, S.ACTIVE, S.ADJUSTING, S.SCORING, S.SCORE_REVIEW],
     "dest": "=", "who": (REVIEWER, ADMIN)},
    {"trigger": "reassign_owner",
     "source": [S.DRAFT, S.IN_REVIEW, S.ACTIVE, S.ADJUSTING, S.SCORING, S.SCORE_REVIEW],
     "dest": "=", "who": (ADMIN,)},
    {"trigger": "correct_check_in", "source": [S.ACTIVE, S.ADJUSTING], "dest": "=",
     "who": (OWNER, ADMIN)},
    {"trigger": "carry_over", "source": S.CLOSED, "dest": S.CLOSED, "who": BOTH},
    {"trigger": "carry_over", "source": S.CANCELLED, "dest": S.CANCELLED, "who": BOTH},
]

def _plain(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table with enum members as their string values, as stored in events."""
    def value(item: object) -> object:
        if isinstance(item, list):
            return [state.value for state in item]
        return item.value if isinstance(item, S) else item
    return [{key: value(item) for key, item in row.items()} for row in table]


OBJECTIVE_WORKFLOW = Lifecycle([s.value for s in S], _plain(TRANSITIONS))


DRAFT = "draft"
"""Creating an objective: no transition, but an action a reason may be required for."""
POLICY_ACTIONS = (DRAFT, *OBJECTIVE_WORKFLOW.who)
"""Every action `OKR_REASON_REQUIRED` may name."""
COMMENTED_ACTIONS = frozenset({"approve", "request_changes", "approve_adjustment",
                               "reject_adjustment", "return_assessment", "finalize"})
"""The reviewer's decisions, whose why is their `comment`; a check-in's is its `note`; every
other action's is its `reason`."""


def reason_field(action: str) -> str:
    """The field that says why an action was taken."""
    if action == "check_in":
        return "note"
    return "comment" if action in COMMENTED_ACTIONS else "reason"


def relations(actor_name: str, is_admin: bool, owner: str, reviewer: str) -> set[str]:
    """How a person stands to an objective: any of owner, reviewer, admin."""
    found = {ADMIN} if is_admin else set()
    if actor_name == owner:
        found.add(OWNER)
    if actor_name == reviewer:
        found.add(REVIEWER)
    return found
