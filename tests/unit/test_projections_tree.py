"""The alignment tree: nodes, children, cross-links, roll-up, and the tree as it stood."""

from datetime import UTC, datetime

import pytest

from domain.errors import NotFoundError, ValidationError
from projections.service import ProjectionService
from projections.tree_shape import assemble, reshape, shape
from tests.builders import active, draft, first_kr, metric_kr, open_cycle
from tests.conftest import ADMIN, OWNER
from tests.projection_helpers import flatten, running


@pytest.fixture
def svc(ledger):
    service = ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"}, ledger=ledger)
    yield service
    service.close()


def node(node_id, progress, parent=None, state="active"):
    return {"id": node_id, "progress": progress, "parent_id": parent, "state": state}


def test_aligned_progress_averages_a_node_with_its_live_children():
    roots = assemble([node("co", 0.2), node("a", 0.6, "co"), node("b", 0.4, "co"),
                      node("b1", 1.0, "b"), node("gone", 0.9, "co", state="cancelled")])

    tree = flatten(roots)
    assert [root["id"] for root in roots] == ["co"]
    assert tree["b1"]["aligned_progress"] == 1.0
    assert tree["b"]["aligned_progress"] == pytest.approx((0.4 + 1.0) / 2)
    assert tree["gone"]["aligned_progress"] == 0.9
    assert tree["co"]["aligned_progress"] == pytest.approx((0.2 + 0.6 + 0.7) / 3)


def test_a_subtree_starts_at_the_objective_asked_for():
    roots = assemble([node("co", 0.0), node("a", 0.5, "co"), node("a1", 1.0, "a")],
                     root_id="a")
    assert [n["id"] for n in roots] == ["a"]
    assert [child["id"] for child in roots[0]["children"]] == ["a1"]


def test_a_changed_node_reshapes_to_what_assembling_anew_gives_and_old_trees_stay_as_they_were():
    nodes = [node("co", 0.2), node("a", 0.6, "co"), node("b", 0.4, "co"), node("b1", 1.0, "b"),
             node("other", 0.5)]
    before = shape(nodes)
    changed = [node("b1", 0.0, "b", state="cancelled"), node("a", 0.9, "co")]

    after = reshape(before, changed)

    assert after is not None
    order = [n["id"] for n in nodes]
    updated = sorted([*(n for n in nodes if n["id"] not in ("a", "b1")), *changed],
                     key=lambda n: order.index(n["id"]))
    assert after.roots == assemble(updated)
    assert after.trees("b") == assemble(updated, root_id="b")
    assert before.roots == assemble(nodes)
    assert after.by_id["other"] is before.by_id["other"]


def test_a_new_or_moved_node_asks_for_the_cycle_to_be_assembled_again():
    before = shape([node("co", 0.2), node("a", 0.6, "co"), node("b", 0.4, "co")])

    assert reshape(before, [node("c", 0.1, "co")]) is None
    assert reshape(before, [node("b", 0.4, "a")]) is None


def test_the_current_tree_follows_check_ins_after_it_was_read(ledger, svc):
    cycle_id = open_cycle(ledger)
    parent_id = active(ledger, cycle_id, title="Grow", level="department")
    child_id = active(ledger, cycle_id, title="Ship", parent_id=parent_id)
    svc.catch_up()
    first = svc.tree(cycle_id)
    ledger.check_in(OWNER, child_id, first_kr(ledger, child_id), value=50, confidence=0.6)
    svc.catch_up()

    assert svc.tree(cycle_id) == assemble(svc._tree.nodes(cycle_id))
    assert flatten(svc.tree(cycle_id))[parent_id]["aligned_progress"] == pytest.approx(0.25)
    assert flatten(first)[parent_id]["aligned_progress"] == 0.0


def test_nodes_show_the_objectives_children_cross_links_and_key_results(ledger, svc):
    cycle_id = open_cycle(ledger)
    company = running(ledger, cycle_id, level="company", owner="cleo", title="Grow")
    team = active(ledger, cycle_id, parent_id=company,
                  key_results=[metric_kr(weight=3), metric_kr(title="NPS", weight=1)])
    helper = draft(ledger, cycle_id, owner="dan", supports=[team], kind="non_business")
    kr = first_kr(ledger, team)
    ledger.check_in(OWNER, team, kr, value=50, confidence=0.6)

    svc.catch_up()
    roots = svc.tree(cycle_id)

    assert {root["id"] for root in roots} == {company, helper}
    nodes = flatten(roots)
    assert [child["id"] for child in nodes[company]["children"]] == [team]
    assert nodes[helper]["supports"] == [team]
    assert nodes[helper]["kind"] == "non_business" and nodes[helper]["state"] == "draft"
    assert nodes[team]["progress"] == pytest.approx(ledger.objective(team).progress)
    assert nodes[team]["progress"] == pytest.approx(0.5 * 3 / 4)
    assert nodes[company]["aligned_progress"] == pytest.approx((0 + 0.375) / 2)
    assert {k["id"]: k["confidence"] for k in nodes[team]["key_results"]}[kr] == 0.6
    assert svc.tree(cycle_id, root_id=team)[0]["id"] == team


def test_the_tree_as_it_stood_at_a_position_and_at_a_moment(ledger, svc):
    cycle_id = open_cycle(ledger)
    objective_id = active(ledger, cycle_id)
    kr = first_kr(ledger, objective_id)
    first = ledger.check_in(OWNER, objective_id, kr, value=30, confidence=0.5)
    between = datetime.now(UTC)
    ledger.check_in(OWNER, objective_id, kr, value=80, confidence=0.7)
    removed_kr = ledger.propose_adjustment(OWNER, objective_id, "add one", [
        {"op": "add_key_result", **metric_kr(title="second")}]).created_id
    ledger.approve_adjustment(ADMIN, objective_id, removed_kr)

    svc.catch_up()

    assert svc.tree(cycle_id, at_position=first.position)[0]["progress"] == 0.3
    assert svc.tree(cycle_id, as_of=between)[0]["progress"] == 0.3
    assert svc.tree(cycle_id, at_position=first.position - 1)[0]["progress"] == 0.0
    now = svc.tree(cycle_id)[0]
    assert now["progress"] == pytest.approx((0.8 + 0.0) / 2)
    assert len(now["key_results"]) == 2
    assert svc.tree(cycle_id, at_position=0) == []


def test_removed_key_results_stay_in_the_node_flagged(ledger, svc):
    cycle_id = open_cycle(ledger)
    objective_id = draft(ledger, cycle_id, key_results=[metric_kr(), metric_kr(title="b")])
    kr = first_kr(ledger, objective_id)
    ledger.remove_key_result(OWNER, objective_id, kr, "not needed")

    svc.catch_up()

    flags = {k["id"]: k["removed"] for k in svc.tree(cycle_id)[0]["key_results"]}
    assert flags[kr] is True and list(flags.values()).count(False) == 1


def test_asking_for_an_unknown_cycle_or_root_or_two_moments_is_refused(ledger, svc):
    cycle_id = open_cycle(ledger)
    svc.catch_up()

    with pytest.raises(NotFoundError):
        svc.tree("no-such-cycle")
    with pytest.raises(NotFoundError):
        svc.tree(cycle_id, root_id="no-such-objective")
    with pytest.raises(ValidationError, match="not both"):
        svc.tree(cycle_id, as_of=datetime.now(UTC), at_position=3)
    with pytest.raises(ValidationError, match="at_position"):
        svc.tree(cycle_id, at_position=-1)
    with pytest.raises(ValidationError, match="as_of"):
        svc.tree(cycle_id, as_of="yesterday")
    with pytest.raises(ValidationError, match=f"reached position {svc.position()}"):
        svc.tree(cycle_id, at_position=svc.position() + 1)


def test_objectives_filter_by_cycle_owner_and_state(ledger, svc):
    cycle_id = open_cycle(ledger)
    mine = active(ledger, cycle_id)
    theirs = draft(ledger, cycle_id, owner="dan")
    svc.catch_up()

    assert [o["id"] for o in svc.objectives(owner="bob")] == [mine]
    assert [o["id"] for o in svc.objectives(cycle_id=cycle_id, state="draft")] == [theirs]
    assert len(svc.objectives(cycle_id=cycle_id)) == 2


def test_an_in_memory_ledger_must_be_shared_with_its_views():
    with pytest.raises(ValueError, match="ledger="):
        ProjectionService({"PERSISTENCE_MODULE": "eventsourcing.popo"})
