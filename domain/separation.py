"""Separation of duties: whoever has owned an objective never approves it, decides its
adjustments or gives its final score, whatever role they hold now.

The owner and reviewer of an objective are never the same person (`objective_fields`); this
rule closes the other path, an owner who becomes reviewer by a change of hands, by looking at
every owner the objective has had.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import PermissionDeniedError

SEPARATED_ACTIONS = frozenset({"approve", "approve_adjustment", "reject_adjustment",
                               "finalize"})
"""The reviewer's decisions that someone who owned the objective may never take."""
PEOPLE_FIELDS = frozenset({"owner", "reviewer"})
"""Who owns and who reviews: changed on a draft by an admin, or handed over by the reviewer."""


def refuse_former_owner(action: str, actor: str, owners: Iterable[str]) -> None:
    """Refuse `action` to an actor who has owned the objective at any time."""
    if action in SEPARATED_ACTIONS and actor in set(owners):
        raise PermissionDeniedError(
            f"{actor} may not {action}: they have been this objective's owner, and an owner "
            "never approves, decides adjustments to or finalizes their own objective")
