"""A rebuild fills each view's tables before indexing them, and ends with every index the view
declares, on SQLite and PostgreSQL; reads in the meantime still answer (by scanning)."""

from __future__ import annotations

from projections.service import ProjectionService
from projections.view_tables import ViewTables, is_index
from tests.integration.test_projections_following import some_history
from tests.projection_helpers import all_views


def indexes(view: ViewTables) -> set[str]:
    rows = view.select("SELECT name FROM sqlite_master WHERE type = 'index'"
                       if view.sql("?") == "?" else
                       "SELECT indexname AS name FROM pg_indexes WHERE tablename IN "
                       f"({', '.join(repr(t) for t in view.tables)})")
    return {row["name"] for row in rows}


def declared(view: ViewTables) -> set[str]:
    return {statement.split("EXISTS ")[1].split()[0] for statement in view.ddl
            if is_index(statement)}


def test_a_rebuild_ends_with_the_views_equal_and_every_index_made(stored_ledger, store_env):
    cycle_id = some_history(stored_ledger)
    with ProjectionService(store_env) as svc:
        svc.catch_up()
        before = all_views(svc, stored_ledger, [cycle_id])
        tree = svc.views["tree"].recorder
        tree.drop(stored_ledger.name)
        assert not declared(tree) & indexes(tree)
        svc.catch_up()
        assert svc.tree(cycle_id) == before[f"tree {cycle_id}"]

        svc.rebuild()

        assert all_views(svc, stored_ledger, [cycle_id]) == before
        for view in svc.views.values():
            assert declared(view.recorder) <= indexes(view.recorder), view.name
