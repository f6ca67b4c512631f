"""`Frontier`: the right edge of a growing Merkle tree, enough to append leaves and to know
the root of every size it passes through.

A tree of n leaves is, left to right, one perfect subtree per bit set in n (largest first):
appending a leaf adds a subtree of one leaf and merges equal-sized neighbours, as binary
addition carries. Each merge is a new stored node; the sealer writes them all.
"""

from __future__ import annotations

from integrity.merkle import EMPTY_ROOT, Node, node_hash, perfect_nodes


class Frontier:
    def __init__(self, size: int = 0, roots: list[bytes] | None = None) -> None:
        """`roots`: the hashes of `frontier_nodes(size)`, in that order."""
        self.size = size
        self.roots = list(roots or [])
        if len(self.roots) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} frontier roots, "
                             f"not {len(self.roots)}")

    def append(self, leaf: bytes, new_nodes: list[tuple[int, int, bytes]]) -> None:
        """Add one leaf hash; every node completed by it (level ≥ 1) goes to `new_nodes` as
        `(level, index, hash)`."""
        index, level, hashed = self.size, 0, leaf
        while index & 1:
            hashed = node_hash(self.roots.pop(), hashed)
            index, level = index >> 1, level + 1
            new_nodes.append((level, index, hashed))
        self.roots.append(hashed)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the whole tree as it stands (SHA-256 of nothing when empty)."""
        if not self.roots:
            return EMPTY_ROOT
        folded = self.roots[-1]
        for part in reversed(self.roots[:-1]):
            folded = node_hash(part, folded)
        return folded


def frontier_nodes(size: int) -> list[Node]:
    """The stored nodes a `Frontier` of `size` leaves is restored from."""
    return perfect_nodes(0, size)
