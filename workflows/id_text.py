"""`id_text(uuid)`: an aggregate's id as text, remembered.

The views and the relay write an event's aggregate id as text for every event they handle
(a rebuild or a catch-up handles millions), and `str(UUID)` formats the 128-bit number each
time (~2-3 µs). An aggregate has many events, so the text is kept per id, for the most
recently used ids.
"""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID


@lru_cache(maxsize=65_536)
def id_text(aggregate_id: UUID) -> str:
    return str(aggregate_id)
