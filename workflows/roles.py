"""The role an actor acted in, as the decision log and the timeline show it.

Events recorded since class version 2 say it themselves (`metadata["role"]`, from the step the
workflow issued). Older events do not: for them it is read from the objective, as the person
stood to it (owner, reviewer), and otherwise `admin`, the only other role that could act.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflows.objective_workflow import ADMIN, OWNER, REVIEWER


def acted_as(actor: str, metadata: Mapping[str, Any], owner: str, reviewer: str) -> str:
    recorded = metadata.get("role")
    if isinstance(recorded, str) and recorded:
        return recorded
    if actor == owner:
        return OWNER
    return REVIEWER if actor == reviewer else ADMIN
