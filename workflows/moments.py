"""Time travel by moment: a (aggregate, version, time) index written with the events.

`objective_at(as_of=...)` needs the version an objective had reached at a moment. Reading it
from the events means decoding every one of them; instead every save also writes one row per
objective event into a table beside the events, in the same transaction (the shape of the
library's "searchable timestamps" example, which extends each store's application recorder).
An `as_of` read is then one indexed query before an ordinary `version` read.

The answer is the version before the first one recorded after the moment (as when the events
were scanned), so a clock that stepped back between two events cannot make a version appear
before one it follows. Each row keeps the event's time (`recorded_at`) and the latest time
recorded up to that version (`reached_at`, which never decreases): the first version recorded
after a moment is the first row whose `reached_at` is after it, one step down the index.

The persistence modules `moments_popo`, `moments_sqlite` and `moments_postgres` are the
library's own with that recorder; `IndexesMoments` points an application at them, whichever
of the library's modules its environment names.

A store written before the index existed has no rows for its older objectives (nor does a
PostgreSQL store with `POSTGRES_ENABLE_DB_FUNCTIONS`, whose inserts bypass the recorder's
hook). The index answers whether it holds an objective's whole history (a row for version
1); when it does not, the reader scans that objective's events as before.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, Recording
from eventsourcing.utils import Environment

from domain.errors import ValidationError

MOMENTS = "moments"
"""The keyword argument that carries a save's rows from `save` down to the recorder."""
Moment = tuple[UUID, int, datetime]
PERSISTENCE_MODULE = "PERSISTENCE_MODULE"
INDEXED_MODULES = {
    "eventsourcing.popo": "workflows.ledger_popo:POPOLedgerFactory",
    "eventsourcing.sqlite": "workflows.ledger_sqlite:SQLiteLedgerFactory",
    "eventsourcing.postgres": "workflows.ledger_postgres:PostgresLedgerFactory",
}
"""The library's modules and their twins, whose recorders also keep the idempotency records
(`workflows.idempotency`)."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MomentLookup:
    indexed: bool
    """The index holds the aggregate's whole history (it has a row for version 1)."""
    first_version_after: int | None
    """The first version recorded after the moment; None if none was."""


class MomentIndex(ABC):
    @abstractmethod
    def first_version_after(self, originator_id: UUID, moment: datetime) -> MomentLookup:
        """What the index knows of the aggregate's versions recorded after `moment`."""

    @abstractmethod
    def last_indexed_version(self, originator_id: UUID) -> int | None:
        """The highest version the index holds a row for (None: none). Rows are written with
        their events, so one past the last stored event says that event was deleted."""

    @abstractmethod
    def last_indexed_versions(self) -> dict[UUID, int]:
        """`last_indexed_version` of every aggregate in the index, in one read (for
        `okr audit verify`, which compares them with the stored events)."""

    @abstractmethod
    def positions_of(self, originator_id: UUID) -> dict[int, int]:
        """Each stored version of the aggregate and its place in the log (its notification
        id): what a history or a timeline shows as `position`. Read from the events' own
        table, which holds both."""


class IndexesMoments(Application[UUID]):
    """An application whose saves index the times of `indexed_aggregates`' events."""

    indexed_aggregates: ClassVar[tuple[type[Aggregate], ...]] = ()
    moments: MomentIndex

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        return InfrastructureFactory.construct(indexed_env(env))

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        if not isinstance(recorder, MomentIndex):
            raise ValidationError([(PERSISTENCE_MODULE, "must be one of "
                                    f"{', '.join(INDEXED_MODULES)}: they keep the moment index")])
        self.moments = recorder
        return recorder

    def save(self, *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
             **kwargs: Any) -> list[Recording[UUID]]:
        kwargs.update(self.rows_for(objs))
        return super().save(*objs, **kwargs)

    def rows_for(self, objs: Sequence[object]) -> dict[str, list[Any]]:
        """The index rows of the pending events of `objs` (read before they are collected)."""
        return {MOMENTS: [(event.originator_id, event.originator_version, event.timestamp)
                          for obj in objs if isinstance(obj, self.indexed_aggregates)
                          for event in obj.pending_events]}


def indexed_env(env: Environment) -> Environment:
    """The environment with the library's persistence module swapped for its indexed twin."""
    module = env.get(PERSISTENCE_MODULE) or "eventsourcing.popo"
    key = env.create_keys(PERSISTENCE_MODULE)[0]
    return Environment(env.name, {**env, key: INDEXED_MODULES.get(module, module)})


def moments_of(kwargs: dict[str, Any]) -> Sequence[Moment]:
    """The rows a save handed to the recorder (none from a save that is not the ledger's)."""
    moments: Sequence[Moment] = kwargs.get(MOMENTS, ())
    return moments


def moments_table(events_table_name: str) -> str:
    return events_table_name.removesuffix("_events") + "_moments"


def microseconds(moment: datetime) -> int:
    """A moment as whole microseconds since 1970 (UTC): exact, and ordered as the moments are."""
    return (moment - _EPOCH) // timedelta(microseconds=1)
