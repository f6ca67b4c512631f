"""The RFC 9162 Merkle tree (RFC 6962 hashing), as pure functions over hashes.

A tree of `size` leaves is described by *ranges* `[start, end)` of leaf indexes. Every range
the RFC's recursion meets splits into perfect subtrees (a power-of-two number of leaves,
aligned to it), and a perfect subtree is one stored node: `(level, index)` holds the hash of
leaves `[index << level, (index + 1) << level)`. So a proof is planned as ranges
(`inclusion_ranges`, `consistency_ranges`), the nodes they need are fetched at once
(`nodes_of`), and each range's hash is folded from them (`range_hash`): a proof of a tree of
any size reads O(log² n) nodes at most, never the leaves.

Verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2 step by step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

HASH_SIZE = 32
Node = tuple[int, int]
"""`(level, index)`: the perfect subtree of leaves `[index << level, (index + 1) << level)`."""
Range = tuple[int, int]
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 ‖ data): a leaf's hash (RFC 6962 section 2.1)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right): an interior node's hash."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(count: int) -> int:
    """The largest power of two smaller than `count` (count ≥ 2): where the RFC splits."""
    return 1 << ((count - 1).bit_length() - 1)


def perfect_nodes(start: int, end: int) -> list[Node]:
    """The perfect subtrees `[start, end)` is made of, left to right (largest first)."""
    nodes: list[Node] = []
    while start < end:
        count = end - start
        level = count.bit_length() - 1  # the largest power of two in it
        if start % (1 << level):
            raise ValueError(f"[{start}, {end}) is not a range of the RFC's recursion")
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def range_hash(start: int, end: int, nodes: Mapping[Node, bytes]) -> bytes:
    """MTH(D[start:end]) from the hashes of its perfect subtrees (`nodes_of` lists them)."""
    if start == end:
        return EMPTY_ROOT
    parts = [nodes[node] for node in perfect_nodes(start, end)]
    folded = parts[-1]
    for part in reversed(parts[:-1]):
        folded = node_hash(part, folded)
    return folded


def nodes_of(ranges: Iterable[Range]) -> set[Node]:
    """Every stored node the hashes of `ranges` are folded from."""
    return {node for start, end in ranges for node in perfect_nodes(start, end)}


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """RFC 9162 PATH(index, D[size]) as ranges, from the leaf's sibling up to the root's child."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        middle = start + split_point(end - start)
        if index < middle:
            path.append((middle, end))
            end = middle
        else:
            path.append((start, middle))
            start = middle
    path.reverse()
    return path


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """RFC 9162 PROOF(old_size, D[new_size]) (its SUBPROOF with b = true) as ranges."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size} leaves")
    proof: list[Range] = []
    start, end, whole = 0, new_size, True
    while old_size - start != end - start:
        middle = start + split_point(end - start)
        if old_size <= middle:
            proof.append((middle, end))
            end = middle
        else:
            proof.append((start, middle))
            start, whole = middle, False
    if not whole:
        proof.append((start, end))
    proof.reverse()
    return proof


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes],
                     root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2: whether `leaf` is leaf `index` of the tree with `root`."""
    if not 0 <= index < size:
        return False
    fn, sn, hashed = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            hashed = node_hash(sibling, hashed)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            hashed = node_hash(hashed, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hashed == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2: whether the tree with `new_root` extends the one with
    `old_root`."""
    if not 0 < old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    old_hash = new_hash = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_hash, new_hash = node_hash(node, old_hash), node_hash(node, new_hash)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            new_hash = node_hash(new_hash, node)
        fn, sn = fn >> 1, sn >> 1
    return old_hash == old_root and new_hash == new_root and sn == 0
