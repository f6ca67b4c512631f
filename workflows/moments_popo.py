"""In memory: the library's POPO persistence module with the moment index (see `moments`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import eventsourcing.popo as library
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from workflows.moments import MomentIndex, MomentLookup, moments_of


class POPOMomentsRecorder(MomentIndex, library.POPOApplicationRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._moments: dict[UUID, dict[int, datetime]] = defaultdict(dict)

    def _insert_events(self, stored_events: Sequence[StoredEvent],
                       **kwargs: Any) -> Sequence[int] | None:
        with self._database_lock:  # the library's lock over its lists: events and rows at once
            notification_ids = super()._insert_events(stored_events, **kwargs)
            for originator_id, version, moment in moments_of(kwargs):
                self._moments[originator_id][version] = moment
            return notification_ids

    def last_indexed_version(self, originator_id: UUID) -> int | None:
        with self._database_lock:
            return max(self._moments.get(originator_id, {}), default=None)

    def last_indexed_versions(self) -> dict[UUID, int]:
        with self._database_lock:
            return {key: max(versions) for key, versions in self._moments.items() if versions}

    def first_version_after(self, originator_id: UUID, moment: datetime) -> MomentLookup:
        with self._database_lock:
            versions = self._moments.get(originator_id, {})
            later = [version for version, at in versions.items() if at > moment]
            return MomentLookup(indexed=1 in versions, first_version_after=min(later, default=None))

    def positions_of(self, originator_id: UUID) -> dict[int, int]:
        """The library's index of the stored list: a version's place in it, counted from 1."""
        with self._database_lock:
            index = self._stored_events_index.get(str(originator_id), {})
            return {version: place + 1 for version, place in index.items()}


class POPOMomentsFactory(library.POPOFactory):
    def application_recorder(self) -> ApplicationRecorder:
        return POPOMomentsRecorder()
