"""Which views exist, and how each is opened for the store the ledger uses."""

from __future__ import annotations

from projections.audit import AuditProjection, PostgresAuditView, SQLiteAuditView
from projections.check_ins import CheckInProjection, PostgresCheckInView, SQLiteCheckInView
from projections.environments import POSTGRES, construct_view, view_module
from projections.follower import View
from projections.tree_projection import TreeProjection
from projections.tree_view import PostgresTreeView, SQLiteTreeView

VIEWS = {  # name: (projection, SQLite recorder, PostgreSQL recorder)
    "tree": (TreeProjection, SQLiteTreeView, PostgresTreeView),
    "audit": (AuditProjection, SQLiteAuditView, PostgresAuditView),
    "check_ins": (CheckInProjection, SQLiteCheckInView, PostgresCheckInView),
}


def open_views(env: dict[str, str]) -> dict[str, View]:
    postgres = view_module(env) == POSTGRES
    return {name: View(name, construct_view(name, pg if postgres else lite, env), projection())
            for name, (projection, lite, pg) in VIEWS.items()}
