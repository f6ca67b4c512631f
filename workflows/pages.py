"""One page of a list read in key order (keyset pagination), for every list the API serves.

A reader asks for the items after a key and at most `limit` of them; the page says which key to
read after next, or None on the last page. Reading one row more than the limit tells whether a
next page exists without counting the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
Key = tuple[int | str, ...]
"""Where a page ends in its list's order: what the next page starts after."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_key: Key | None = None


def page_of(rows: Sequence[R], limit: int | None, key: Callable[[R], Key],
            item: Callable[[R], T]) -> Page[T]:
    """The first `limit` of `rows` (read with one more, if there were that many) as a page."""
    if limit is None or len(rows) <= limit:
        return Page([item(row) for row in rows])
    shown = rows[:limit]
    return Page([item(row) for row in shown], key(shown[-1]))


def fetch_size(limit: int | None) -> int | None:
    """How many rows to read for a page of `limit`: one more, to know if another follows."""
    return None if limit is None else limit + 1
