"""The cycle workflow: planning -> active -> closed, run by an admin."""

from __future__ import annotations

from domain.values import CycleState as S
from workflows.lifecycle import Lifecycle

TRANSITIONS = [
    {"trigger": "start", "source": S.PLANNING.value, "dest": S.ACTIVE.value, "who": ("admin",)},
    {"trigger": "close", "source": S.ACTIVE.value, "dest": S.CLOSED.value, "who": ("admin",)},
]

CYCLE_WORKFLOW = Lifecycle([s.value for s in S], TRANSITIONS)
