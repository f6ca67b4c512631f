"""Tree heads and proofs read back from the sealed tables: each planned as ranges
(`integrity.merkle`), its nodes fetched in one query, its hashes folded."""

from __future__ import annotations

from integrity.merkle import Range, consistency_ranges, inclusion_ranges, nodes_of, range_hash
from integrity.tables import SealTables


class ProofReader:
    def __init__(self, tables: SealTables) -> None:
        self.tables = tables

    def hashes(self, ranges: list[Range]) -> list[bytes]:
        """MTH of each range; every range must lie within the sealed tree."""
        nodes = self.tables.nodes(nodes_of(ranges))
        return [range_hash(start, end, nodes) for start, end in ranges]

    def root(self, size: int) -> bytes:
        return self.hashes([(0, size)])[0]

    def inclusion(self, leaf_index: int, size: int) -> list[bytes]:
        """The audit path of leaf `leaf_index` in the tree of `size` leaves."""
        return self.hashes(inclusion_ranges(leaf_index, size))

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        """The proof that the tree of `new_size` leaves extends the one of `old_size`."""
        if old_size == new_size:
            return []
        return self.hashes(consistency_ranges(old_size, new_size))
