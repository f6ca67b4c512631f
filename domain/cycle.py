"""The Cycle aggregate: a period (usually a quarter) that objectives belong to.

planning -> active -> closed. The cycle fixes the scoring policy its objectives are graded by.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from eventsourcing.domain import event

from domain.errors import ValidationError
from domain.events import CommandAggregate
from domain.steps import Step, TransitionEvent
from domain.validation import TITLE_LENGTH, text_faults
from domain.values import CycleState, ScoringPolicy, parse_enum


class Cycle(CommandAggregate):
    class Event(TransitionEvent):
        """Every cycle event: who acted and the state it leads to."""

    if TYPE_CHECKING:  # set by `Event.apply`; an annotation at run time would make a dataclass
        state: str

    @event("Opened")
    def __init__(self, *, name: str, starts_on: str, ends_on: str, scoring_policy: str,
                 actor: str, state: str) -> None:
        self.name, self.starts_on, self.ends_on = name, starts_on, ends_on
        self.scoring_policy = scoring_policy

    @classmethod
    def open(cls, *, name: str, starts_on: str, ends_on: str, actor: str,
             scoring_policy: str = ScoringPolicy.GRADE.value) -> Cycle:
        faults = validate_cycle(name, starts_on, ends_on, scoring_policy)
        if faults:
            raise ValidationError(faults)
        return cls(name=name.strip(), starts_on=starts_on, ends_on=ends_on,
                   scoring_policy=scoring_policy, actor=actor,
                   state=CycleState.PLANNING.value)

    def start(self, step: Step) -> None:
        step.check("start", self.state)
        self._started(actor=step.actor, state=step.dest)

    def close(self, step: Step) -> None:
        step.check("close", self.state)
        self._closed(actor=step.actor, state=step.dest)

    @event("Started")
    def _started(self, actor: str, state: str) -> None:
        """The cycle is under way: only the state changes, in `Event.apply`."""

    @event("Closed")
    def _closed(self, actor: str, state: str) -> None:
        """The cycle is over: only the state changes, in `Event.apply`."""


def validate_cycle(name: object, starts_on: object, ends_on: object,
                   policy: object) -> list[tuple[str, str]]:
    faults: list[tuple[str, str]] = []
    if not isinstance(name, str) or not name.strip():
        faults.append(("name", "is required, e.g. 2026-Q4"))
    else:
        faults += text_faults({"name": name}, "name", required=True, max_length=TITLE_LENGTH)
    dates = {}
    for field, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        try:
            dates[field] = date.fromisoformat(str(value))
        except ValueError:
            faults.append((field, f"must be an ISO date (YYYY-MM-DD); got {value!r}"))
    if len(dates) == 2 and dates["ends_on"] <= dates["starts_on"]:
        faults.append(("ends_on", "must be after starts_on"))
    faults += parse_enum(ScoringPolicy, policy, "scoring_policy")
    return faults
