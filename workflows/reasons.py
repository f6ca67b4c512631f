"""A deployment may want a reason for chosen actions (`OKR_REASON_REQUIRED=cancel,...`).

Every command takes an optional reason (or comment, or a check-in's note); for the actions the
policy names, a blank one is refused with the action named, before anything is loaded.
"""

from __future__ import annotations

from domain.errors import ValidationError
from domain.rules import MethodologyRules
from workflows.objective_workflow import POLICY_ACTIONS, reason_field


def require_policy_reason(rules: MethodologyRules, action: str, text: object) -> None:
    if action not in rules.reasons_required:
        return
    if isinstance(text, str) and text.strip():
        return
    field = reason_field(action)
    raise ValidationError([(field, f"is required to {action}: this deployment asks for the "
                                   f"why of every {action} (OKR_REASON_REQUIRED)")])


def parse_policy(names: str) -> frozenset[str]:
    """`cancel,request_changes` as a set of actions; ValueError naming any unknown one."""
    actions = frozenset(name.strip() for name in names.split(",") if name.strip())
    unknown = sorted(actions - set(POLICY_ACTIONS))
    if unknown:
        raise ValueError(f"unknown action(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(POLICY_ACTIONS)}")
    return actions
