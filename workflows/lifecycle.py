"""Turns a transition table into a `transitions` machine used as a lookup table.

The machine has no model: attaching an event-sourced aggregate would let the library reset its
state attribute and clash trigger names with command methods. We only ask it which actions a
state allows and where an action leads, then hand the aggregate a `Step` to record. The answers
are asked once per state when the table is built and kept in dicts: the machine's own look-ups
scan every trigger and were about 8% of a check-in's cost in the benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from transitions import Machine

from domain.errors import PermissionDeniedError, TransitionNotAllowedError
from domain.steps import Step


class Lifecycle:
    def __init__(self, states: Iterable[str], table: list[dict[str, Any]]):
        self.table = table
        self.who = {row["trigger"]: set(row["who"]) for row in table}
        self.roles = {row["trigger"]: tuple(row["who"]) for row in table}
        self.machine = Machine(
            model=None, states=list(states), initial=None, auto_transitions=False,
            transitions=[{k: row[k] for k in ("trigger", "source", "dest")} for row in table],
        )
        self.actions = {state: list(self.machine.get_triggers(state))
                        for state in self.machine.states}
        self.dests = {(action, state): self._dest(action, state)
                      for state, actions in self.actions.items() for action in actions}

    def _dest(self, action: str, state: str) -> str:
        dest = self.machine.get_transitions(action, state)[0].dest
        if dest is None:  # an internal transition; our tables always name where a step leads
            raise ValueError(f"'{action}' from '{state}' names no destination state")
        return dest

    def _not_now(self, action: str, state: str) -> str:
        """Why `action` is refused in `state`: the states it is taken in, when there are any."""
        states = [name for name, actions in self.actions.items() if action in actions]
        where = f" (only in: {', '.join(states)})" if states else ""
        return f"'{action}' is not allowed in state '{state}'{where}"

    def actions_from(self, state: str) -> list[str]:
        return list(self.actions.get(state, ()))

    def allowed_actions(self, state: str, relations: set[str]) -> list[str]:
        """The actions a person standing in `relations` (owner, reviewer, admin) may take now."""
        return [a for a in self.actions_from(state) if relations & self.who[a]]

    def step(self, action: str, state: str, actor: str, relations: set[str]) -> Step:
        """Authorise `action` in `state` for the person, or say why not and what they may do."""
        allowed = self.allowed_actions(state, relations)
        if action not in self.actions_from(state):
            raise TransitionNotAllowedError(action, state, allowed, why=self._not_now(action,
                                                                                     state))
        if action not in allowed:
            raise PermissionDeniedError(
                f"{actor} may not {action}: it is for the {' or '.join(sorted(self.who[action]))}; "
                f"state '{state}'; allowed for {actor}: {', '.join(allowed) or 'none'}"
            )
        role = next(role for role in self.roles[action] if role in relations)
        return Step(action=action, source=state, dest=self.dests[(action, state)], actor=actor,
                    role=role)
