"""Which views exist, and how each is opened for the store the ledger uses."""

from __future__ import annotations

from typing import Any

from projections.audit import AuditProjection, PostgresAuditView, SQLiteAuditView
from projections.check_ins import CheckInProjection, PostgresCheckInView, SQLiteCheckInView
from projections.dead_letters import PostgresDeadLetters, SQLiteDeadLetters
from projections.decision_view import PostgresDecisionView, SQLiteDecisionView
from projections.decisions import DecisionProjection
from projections.environments import construct_view
from projections.following import View
from projections.tree_projection import TreeProjection
from projections.tree_view import PostgresTreeView, SQLiteTreeView

VIEWS = ("tree", "audit", "check_ins", "decisions")


class OpenViews:
    """Every view of the store `env` names: each recorder typed for the queries it answers,
    and the list the follower keeps up to date, in `VIEWS` order; and where the follower
    records the events it could not apply (`dead_letters`, which follows nothing)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.tree = construct_view("tree", env, SQLiteTreeView, PostgresTreeView)
        self.audit = construct_view("audit", env, SQLiteAuditView, PostgresAuditView)
        self.check_ins = construct_view("check_ins", env, SQLiteCheckInView, PostgresCheckInView)
        self.decisions = construct_view("decisions", env, SQLiteDecisionView,
                                        PostgresDecisionView)
        self.dead_letters = construct_view("dead_letters", env, SQLiteDeadLetters,
                                           PostgresDeadLetters)
        self.all: list[View[Any]] = [View("tree", self.tree, TreeProjection()),
                                     View("audit", self.audit, AuditProjection()),
                                     View("check_ins", self.check_ins, CheckInProjection()),
                                     View("decisions", self.decisions, DecisionProjection())]
