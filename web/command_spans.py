"""The version slider's steps, read a command at a time instead of the whole history.

The objective page needs how many commands the objective has, the one its slider shows, the
one before it and the first. Decoding every event to group them was ~60 % of the page for an
objective with 1,000 check-ins. The tree view keeps a row per event with its recorded time, and
a command's events share one time, so `ViewQueries.command_spans` gives every command's versions
in one indexed query; a step is built by `command_steps` from its own events, when asked for.
The views follow the log a moment behind: the versions they have not reached are read from the
history and grouped as `command_steps` groups them. Iterating over every step reads the whole
history once, as before (the timeline and the comparison list every actor).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, overload

from domain.objective import Objective
from projections.times import to_micros
from web.commands_view import CommandStep, command_steps
from workflows.ledger import OKRLedger


@dataclass(frozen=True)
class Span:
    """One command's versions, and its recorded time in microseconds."""

    first: int
    last: int
    time: int


class Steps(Sequence[CommandStep]):
    """The objective's commands as `CommandStep`s (index from 1), each read when asked for."""

    def __init__(self, ledger: OKRLedger, objective: Objective,
                 spans: Sequence[tuple[int, int]]) -> None:
        """`spans`: each command the views have reached, as (time in µs, events), oldest
        first (`ViewQueries.command_spans`)."""
        self.ledger, self.objective = ledger, objective
        self.objective_id = str(objective.id)
        self.titles = {kr.id: kr.title for kr in objective.key_results.values()}
        self._built: dict[int, CommandStep] = {}
        self._every: list[CommandStep] | None = None
        self.spans = self._reached(spans)
        self._add_unreached()

    def _reached(self, spans: Sequence[tuple[int, int]]) -> list[Span]:
        """The views' spans up to the objective's version (a command saved after it was read
        may already be in the views)."""
        found: list[Span] = []
        version = 0
        for time, events in spans:
            if version >= self.objective.version:
                break
            first, version = version + 1, min(version + events, self.objective.version)
            found.append(Span(first, version, time))
        return found

    def _add_unreached(self) -> None:
        """Commands past the views' position, from the history (a command split between two
        of the views' batches continues the last span)."""
        reached = self.spans[-1].last if self.spans else 0
        if reached >= self.objective.version:
            return
        entries = self.ledger.history_page(self.objective_id, after=reached).items
        for step in self._steps_of(entries):
            time = to_micros(step.time)
            if self.spans and self.spans[-1].time == time:
                self.spans[-1] = replace(self.spans[-1], last=step.version)
                self._built.pop(len(self.spans) - 1, None)
                continue
            self.spans.append(Span(step.first_version, step.version, time))
            self._built[len(self.spans) - 1] = replace(step, index=len(self.spans))

    def _steps_of(self, entries: Sequence[Mapping[str, Any]]) -> list[CommandStep]:
        return command_steps(entries, self.objective.owner, self.objective.reviewer, self.titles)

    def _step(self, index: int) -> CommandStep:
        if self._every is not None:
            return self._every[index]
        if index not in self._built:
            span = self.spans[index]
            entries = self.ledger.history_page(self.objective_id, after=span.first - 1,
                                               limit=span.last - span.first + 1).items
            steps = self._steps_of(entries)
            if not steps:
                return self.every()[index]
            self._built[index] = replace(steps[0], index=index + 1, version=span.last)
        return self._built[index]

    def every(self) -> list[CommandStep]:
        """Every step, from one read of the whole history."""
        if self._every is None:
            history = self.ledger.history_page(self.objective_id).items
            self._every = self._steps_of(history)
        return self._every

    def __len__(self) -> int:
        return len(self.spans)

    @overload
    def __getitem__(self, index: int) -> CommandStep: ...

    @overload
    def __getitem__(self, index: slice) -> list[CommandStep]: ...

    def __getitem__(self, index: int | slice) -> CommandStep | list[CommandStep]:
        if isinstance(index, slice):
            return [self._step(i) for i in range(len(self))[index]]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return self._step(index % len(self))

    def __iter__(self) -> Iterator[CommandStep]:
        return iter(self.every())
