"""The application service's foundations: loading, authorising, saving and retrying.

Every command runs as get -> check -> call -> save. A save that loses a race to another writer
is retried from a fresh load, so rules are re-checked against what won; a caller that stated the
version it expected gets a conflict instead, because its premise no longer holds.

Current states come from the library's aggregate cache (`AGGREGATE_CACHE_MAXSIZE`, default
1000), which first fast-forwards with newer stored events (so other processes' writes are seen)
and hands out a deep copy (so a failed command never touches it): loading was 2/3 of a check-in.
Objectives are snapshotted every 10 events, so a past version replays at most 9 events on top
of its snapshot (benchmark row 4); at 50 that replay outweighed the rest of the read.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    JSONTranscoder,
    Recording,
)

from domain.commands import CommandContext, current_command, recording
from domain.cycle import Cycle
from domain.errors import (
    BusyError,
    ConcurrencyConflictError,
    DamagedHistoryError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    WritesRefusedError,
)
from domain.indexes import OwnerCycleIndex, PeopleDirectory
from domain.objective import Objective
from domain.person import Person, person_faults, subject_faults
from domain.rules import MethodologyRules
from domain.separation import SEPARATED_ACTIONS, refuse_former_owner
from domain.steps import Step
from workflows.actors import Actor
from workflows.event_metadata import stamp
from workflows.group_commit import GroupCommit
from workflows.idempotency import (
    IdempotencyRecord,
    IdempotencyRecords,
    IdempotentCommand,
    completion_rows,
    replaying,
    running_under,
    saved_under_key,
)
from workflows.keyed_locks import KeyedLocks
from workflows.moments import IndexesMoments
from workflows.objective_workflow import OBJECTIVE_WORKFLOW, relations
from workflows.reasons import require_policy_reason
from workflows.replay import checked_replay, replay
from workflows.transcodings import register_entity_transcodings

MAX_ATTEMPTS = 100
CHECK_DELETED_TAIL_AFTER = 2
"""Conflicts on one save before it asks whether the store lost the aggregate's last event
(`refuse_deleted_tail`): races with other writers rarely last that long."""
AnyId = UUID | str
"""An aggregate's id as callers hold it: a UUID, or its text from a URL or a form."""
A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")
T = TypeVar("T")
SavedListener = Callable[[Sequence[Recording[UUID]]], None]
"""Told what each save recorded: every event with its notification (its place in the log)."""
logger = logging.getLogger(__name__)


@dataclass
class CommandResult(Generic[A]):
    """What a command changed: the subject, the log position of its last event, any new id."""

    subject: A
    position: int
    created_id: str | None = None


@dataclass
class Created(CommandResult[A]):
    """What a command that made something returns: the new id is always there."""

    created_id: str


def made(result: CommandResult[A]) -> Created[A]:
    """The result of a command whose body reported what it made, typed as such."""
    if result.created_id is None:
        raise TypeError("the command's body reported no new id")
    return Created(result.subject, result.position, result.created_id)


@dataclass
class Changed:
    """What a command's body reports back: a new id and other aggregates to save with it."""

    created_id: str | None = None
    also_save: Sequence[Aggregate] = ()


class LedgerBase(IndexesMoments):
    name = "OKRLedger"
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "1000"}
    indexed_aggregates = (Objective,)
    snapshotting_intervals = {Objective: 10}
    snapshotting_projectors = {Objective: replay}

    def __init__(self, env: dict[str, str] | None = None,
                 rules: MethodologyRules | None = None) -> None:
        super().__init__(env)
        self.rules = rules or MethodologyRules()
        self._loading = KeyedLocks()
        self._saved_listeners: tuple[SavedListener, ...] = ()
        self._listeners_lock = threading.Lock()
        self._group_commit = GroupCommit(self._record, self._after_record)
        self._write_refusal: Callable[[], str | None] = lambda: None

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        if not isinstance(recorder, IdempotencyRecords):
            raise TypeError(f"{type(recorder).__name__} keeps no idempotency records")
        self.idempotency = recorder
        return recorder

    def idempotently(self, command: IdempotentCommand) -> AbstractContextManager[object]:
        """Run the commands of the block under `command`'s Idempotency-Key."""
        return running_under(command)

    def _replayed(self, record: IdempotencyRecord) -> CommandResult[Any]:
        """The result a completed command returned, rebuilt from its key's record."""
        if record.subject_id is None or record.subject_version is None:
            raise TypeError("an incomplete record has no result to replay")
        subject = self.fetch(UUID(record.subject_id), version=record.subject_version)
        position = record.position or 0
        if record.created_id is None:
            return CommandResult(subject, position)
        return Created(subject, position, record.created_id)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_entity_transcodings(transcoder)

    # ----- loading -------------------------------------------------------------------------

    def objective(self, objective_id: AnyId, version: int | None = None) -> Objective:
        return self._load(Objective, "objective", objective_id, version)

    def cycle(self, cycle_id: AnyId) -> Cycle:
        return self._load(Cycle, "cycle", cycle_id, None)

    def fetch(self, aggregate_id: UUID, version: int | None = None) -> Aggregate:
        """Any aggregate by id (current, or at `version`): the one way the ledger loads."""
        with self._loading.holding(aggregate_id) if version is None else nullcontext():
            aggregate: Aggregate = self.repository.get(aggregate_id, version=version,
                                                       projector_func=checked_replay)
            return aggregate

    def _load(self, cls: type[A], kind: str, aggregate_id: AnyId, version: int | None) -> A:
        try:
            aggregate = self.fetch(as_uuid(aggregate_id, kind), version)
        except AggregateNotFoundError:
            raise NotFoundError(kind, aggregate_id) from None
        except DamagedHistoryError as damage:
            raise damage.of(kind, aggregate_id) from damage
        if not isinstance(aggregate, cls):
            raise NotFoundError(kind, aggregate_id)
        return aggregate

    def find_objective(self, objective_id: str) -> Objective | None:
        """The objective, or None: how the domain looks up alignment targets."""
        try:
            return self.objective(objective_id)
        except NotFoundError:
            return None

    def find_person(self, subject: str) -> Person | None:
        """The person of the directory, or None: how rules that name people look them up.
        Text no sign-in could name a person by names nobody."""
        if subject_faults(subject):
            return None
        try:
            return self._load(Person, "person", Person.create_id(str(subject)), None)
        except NotFoundError:
            return None

    def people_faults(self, fields: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Faults of the owner and reviewer `fields` name: each must be a known, active
        person of the directory, unless the deployment's rules say otherwise."""
        if not self.rules.require_known_people:
            return []
        return [fault for name in ("owner", "reviewer") if fields.get(name)
                for fault in person_faults(name, str(fields[name]), self.find_person)]

    def people_directory(self) -> PeopleDirectory:
        return self._stored_or_new(PeopleDirectory, PeopleDirectory.create_id(), PeopleDirectory)

    def _owner_index(self, cycle_id: str, owner: str) -> OwnerCycleIndex:
        """The owner's objectives in the cycle (a new, empty list for their first)."""
        return self._stored_or_new(OwnerCycleIndex, OwnerCycleIndex.create_id(cycle_id, owner),
                                   lambda: OwnerCycleIndex(cycle_id, owner))

    def _stored_or_new(self, cls: type[A], aggregate_id: UUID, new: Callable[[], A]) -> A:
        """An index aggregate as stored, or `new()` until its first save."""
        try:
            return self._load(cls, cls.__name__, aggregate_id, None)
        except NotFoundError:
            return new()

    # ----- authorising ---------------------------------------------------------------------

    def objective_step(self, objective: Objective, action: str, actor: Actor) -> Step:
        """The permission slip; the command records the role it was issued for."""
        require_writer(actor)
        who = relations(actor.name, actor.is_admin, objective.owner, objective.reviewer)
        step = OBJECTIVE_WORKFLOW.step(action, objective.state, actor.name, who)
        acting_as(step.role)
        return step

    def owners_ever(self, objective: Objective) -> set[str]:
        """Everyone who has owned the objective, read from its events (the owner changes when
        it is drafted, by an edit of the draft, and when an admin reassigns it)."""
        owners = {objective.owner}
        for event in self.events.get(objective.id):
            owner = getattr(event, "owner", None)
            if isinstance(owner, str):
                owners.add(owner)
            for name in ("changes", "before", "after"):
                changed = getattr(event, name, None)
                if isinstance(changed, dict) and isinstance(changed.get("owner"), str):
                    owners.add(changed["owner"])
        return owners

    def allowed_actions(self, objective: Objective, actor: Actor) -> list[str]:
        if not actor.may_write:
            return []
        who = relations(actor.name, actor.is_admin, objective.owner, objective.reviewer)
        return OBJECTIVE_WORKFLOW.allowed_actions(objective.state, who)

    # ----- saving --------------------------------------------------------------------------

    def on_objective(self, objective_id: AnyId, action: str, actor: Actor,
                     expected_version: int | None,
                     body: Callable[[Objective, Step], Changed | None], *, why: object = ""
                     ) -> CommandResult[Objective]:
        """Run a command on one objective: load, check version, authorise, apply, save.
        `why` is the command's reason (or comment, or note), for the deployment's policy."""
        require_policy_reason(self.rules, action, why)

        def attempt() -> CommandResult[Objective]:
            objective = self.objective(objective_id)
            check_version(objective, expected_version)
            step = self.objective_step(objective, action, actor)
            if action in SEPARATED_ACTIONS:
                refuse_former_owner(action, actor.name, self.owners_ever(objective))
            changed = body(objective, step) or Changed()
            position = self.save_all(objective, *changed.also_save,
                                     created_id=changed.created_id)
            return CommandResult(objective, position, changed.created_id)
        return self.retrying(attempt, objective_id, expected_version)

    def save_all(self, subject: Aggregate, *others: Aggregate,
                 created_id: str | None = None) -> int:
        """Save the command's subject and `others` in one transaction, which commands saving
        at the same moment share (group commit, `workflows.group_commit`), with the completion
        of the command's Idempotency-Key if it has one (`workflows.idempotency`); return the
        log position of the last event written, once it is durable. Raises the library's
        IntegrityError if another writer stored one of these versions first. A command that
        changed nothing writes nothing and answers with the log's current end. The events
        record where the command came from (`workflows.event_metadata`), stamped here, in the
        command's own thread."""
        aggregates = (subject, *others)
        if not any(aggregate.pending_events for aggregate in aggregates):
            return self.recorder.max_notification_id() or 0
        refusal = self._write_refusal()
        if refusal is not None:
            raise WritesRefusedError(refusal)
        stamp(event for aggregate in aggregates for event in aggregate.pending_events)
        rows = {**self.rows_for(aggregates), **completion_rows(aggregates, created_id)}
        recordings = self._group_commit.save(aggregates, rows)
        saved_under_key()
        return max(recording.notification.id for recording in recordings)

    def _after_record(self, processing: ProcessingEvent[UUID],
                      recordings: list[Recording[UUID]]) -> None:
        """What the library's `save` does once the events are stored."""
        self._take_snapshots(processing)
        self._notify(recordings)

    def refuse_writes_when(self, refusal: Callable[[], str | None]) -> None:
        """Ask `refusal` before every write: while it says why (the server's integrity check
        found a fault no admin has acknowledged), nothing is written."""
        self._write_refusal = refusal

    def on_saved(self, listener: SavedListener) -> Callable[[], None]:
        """Call `listener` after every save that recorded events, in the saving thread, so it
        must be quick (the views only wake their follower); returns what stops the calls."""
        with self._listeners_lock:
            self._saved_listeners = (*self._saved_listeners, listener)

        def stop() -> None:
            with self._listeners_lock:
                self._saved_listeners = tuple(
                    known for known in self._saved_listeners if known is not listener)
        return stop

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        """The library's hook after each save. The events are stored by now, so a listener
        that fails is logged, never turned into a failed command."""
        super()._notify(recordings)
        if not recordings:
            return
        for listener in self._saved_listeners:
            try:
                listener(recordings)
            except Exception:
                logger.exception("a listener to saves failed; the save itself stands")

    def retrying(self, attempt: Callable[[], R], aggregate_id: AnyId,
                 expected_version: int | None) -> R:
        """Run one command: every attempt records its events under the command's context
        (one id), each attempt at a time of its own. A command retried under an
        Idempotency-Key that already completed answers from its record instead."""
        record = replaying()
        if record is not None:
            return cast(R, self._replayed(record))  # the result `attempt` made, back then
        with recording(self.command_context()) as context:
            for attempt_number in range(MAX_ATTEMPTS):
                context.recorded_at = None
                try:
                    return attempt()
                except IntegrityError:
                    if expected_version is not None:
                        current = self.fetch(as_uuid(aggregate_id, "id")).version
                        raise ConcurrencyConflictError(expected_version, current) from None
                    if attempt_number >= CHECK_DELETED_TAIL_AFTER:
                        refuse_deleted_tail(self, as_uuid(aggregate_id, "id"))
                    time.sleep(random.uniform(0, 0.002 * (attempt_number + 1)))
        raise BusyError(f"gave up after {MAX_ATTEMPTS} attempts against other writers; retry")

    def command_context(self) -> CommandContext:
        """The context one command's events share (`domain.commands`). The one place to add
        what else every event of a command should record, such as a request id."""
        return CommandContext.new()


def refuse_deleted_tail(ledger: IndexesMoments, aggregate_id: UUID) -> None:
    """Refuse to write after a deleted last event. The moment index keeps a row for each
    version saved, written with the event itself; a row for a version past the last stored
    event means that event was deleted from the store, so every write of the next version
    collides with the row and would retry for ever. Another writer's event and its row are
    committed together, and the index is read before the events (a write committed between
    the two reads only adds events), so a real race never looks like this."""
    indexed = ledger.moments.last_indexed_version(aggregate_id)
    last = next(iter(ledger.recorder.select_events(aggregate_id, desc=True, limit=1)), None)
    stored = 0 if last is None else last.originator_version
    if indexed is not None and indexed > stored:
        raise DamagedHistoryError(aggregate_id, stored + 1,
                                  "is missing (the moment index still records it)", "objective")


def check_version(aggregate: Aggregate, expected_version: int | None) -> None:
    if expected_version is not None and aggregate.version != expected_version:
        raise ConcurrencyConflictError(expected_version, aggregate.version)


def acting_as(role: str) -> None:
    """Record the role the actor acts in, in the current command's metadata."""
    context = current_command()
    if context is not None:
        context.role = role


def require_writer(actor: Actor) -> None:
    if not actor.may_write:
        raise PermissionDeniedError(f"role '{actor.role}' reads only; it may not change OKRs")


def require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionDeniedError(f"only an admin may {what}; {actor.name} is {actor.role}")


def refused_with(faults: list[tuple[str, str]], command: Callable[[], T]) -> T:
    """`command()`, unless it or `faults` find anything wrong: then every fault at once (a
    field `command` finds at fault is named once, for its own fault)."""
    try:
        done = command()
    except ValidationError as refused:
        named = {field for field, _ in refused.violations}
        raise ValidationError([*refused.violations,
                               *(fault for fault in faults if fault[0] not in named)]) from None
    if faults:
        raise ValidationError(faults)
    return done


def as_uuid(value: object, kind: str) -> UUID:
    """The id as a UUID; text that is not one names nothing, so it is not found."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFoundError(kind, value) from None
