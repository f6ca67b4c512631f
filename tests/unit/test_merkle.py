"""The Merkle tree against RFC 6962's reference vectors and the RFC's recursive definition."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from integrity.frontier import Frontier
from integrity.merkle import (
    consistency_ranges,
    inclusion_ranges,
    leaf_hash,
    node_hash,
    range_hash,
    split_point,
    verify_consistency,
    verify_inclusion,
)

RFC_6962_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                   "606162636465666768696a6b6c6d6e6f"]
RFC_6962_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162's definition, word for word (slow; for comparison)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def grown(leaves: list[bytes]) -> tuple[Frontier, dict[tuple[int, int], bytes]]:
    frontier, nodes = Frontier(), {}
    for index, leaf in enumerate(leaves):
        nodes[(0, index)] = leaf
        new: list[tuple[int, int, bytes]] = []
        frontier.append(leaf, new)
        nodes.update({(level, at): hashed for level, at, hashed in new})
    return frontier, nodes


def test_roots_match_rfc_6962_reference_vectors():
    leaves = [leaf_hash(bytes.fromhex(data)) for data in RFC_6962_LEAVES]
    frontier, nodes = grown(leaves)
    assert frontier.root().hex() == RFC_6962_ROOTS[8]
    for size, root in RFC_6962_ROOTS.items():
        assert range_hash(0, size, nodes).hex() == root


sizes = st.integers(min_value=1, max_value=300)


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_proofs_from_stored_nodes_verify_and_catch_changes(size, data):
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    frontier, nodes = grown(leaves)
    root = frontier.root()
    assert root == mth(leaves)
    index = data.draw(st.integers(0, size - 1))
    path = [range_hash(a, b, nodes) for a, b in inclusion_ranges(index, size)]
    assert verify_inclusion(index, size, leaves[index], path, root)
    assert not verify_inclusion(index, size, leaf_hash(b"forged"), path, root)
    old = data.draw(st.integers(1, size))
    proof = [range_hash(a, b, nodes) for a, b in consistency_ranges(old, size)] \
        if old < size else []
    assert verify_consistency(old, size, mth(leaves[:old]), root, proof)
    if old < size:
        forked = mth(leaves[:old - 1] + [leaf_hash(b"forged")])
        assert not verify_consistency(old, size, forked, root, proof)


def test_a_frontier_restored_from_its_nodes_grows_the_same_tree():
    leaves = [leaf_hash(bytes([i])) for i in range(45)]
    whole, nodes = grown(leaves)
    from integrity.frontier import frontier_nodes
    half = Frontier(23, [nodes[node] for node in frontier_nodes(23)])
    for leaf in leaves[23:]:
        half.append(leaf, [])
    assert half.root() == whole.root()
