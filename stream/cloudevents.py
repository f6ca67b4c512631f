"""The one mapping from stored events to CloudEvents 1.0 (structured JSON mode).

Both the HTTP feed (`GET /v1/events`) and the Kafka relay publish exactly these documents, so
an integrator sees the same envelope, id and data wherever they read. The id is derived from
the stored event itself, its place in the log and its content (`event_id`), so the same stored
event always carries the same id and consumers can drop repeats by it, while an event written
again at a re-used aggregate version (after one was deleted from the store) never does.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from uuid import NAMESPACE_URL, UUID

from eventsourcing.domain import Aggregate, AggregateEvent
from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification

from domain.cycle import Cycle
from domain.objective import Objective
from workflows.event_metadata import ENVELOPE_FIELDS, metadata_of
from workflows.id_text import id_text
from workflows.timestamps import rfc3339

SPECVERSION = "1.0"
SCHEMA_BASE = "http://127.0.0.1:8000/v1/events/schemas"
"""Where `okr serve` serves each event type's schema by default (`Settings.schema_base`)."""
COMMAND_PEEK = 20
"""Events read at a time to find the rest of a command a page would otherwise cut."""
PUBLISHED_AGGREGATES: dict[type[Aggregate], str] = {Objective: "objective", Cycle: "cycle"}


_LIBRARY_BASE_EVENTS = ("Event", "Created", "Snapshot")
_NAMESPACE = NAMESPACE_URL.bytes


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _event_classes() -> dict[str, type]:
    """Every published event class by CloudEvent type, e.g. okr.objective.checked_in."""
    found: dict[str, type] = {}
    for aggregate, kind in PUBLISHED_AGGREGATES.items():
        for name, value in vars(aggregate).items():
            if (isinstance(value, type) and issubclass(value, aggregate.Event)
                    and name not in _LIBRARY_BASE_EVENTS):
                found[f"okr.{kind}.{_snake(name)}"] = value
    return found


EVENT_CLASSES = _event_classes()
EVENT_TYPES = {ce_type: f"{cls.__module__}:{cls.__qualname__}"
               for ce_type, cls in EVENT_CLASSES.items()}
_TYPE_BY_TOPIC = {topic: ce_type for ce_type, topic in EVENT_TYPES.items()}
PUBLISHED_TOPICS = tuple(EVENT_TYPES.values())


def cloudevent_type(topic: str) -> str | None:
    """The CloudEvent type for a stored topic, or None for internal events (index aggregates)."""
    return _TYPE_BY_TOPIC.get(topic)


def event_id(position: int, aggregate_id: UUID | str, version: int, topic: str,
             state: bytes) -> str:
    """`str(uuid5(NAMESPACE_URL, "okr-ledger:event:<position>:<aggregate id>:<version>:<topic>:
    <sha256 of the stored state, hex>"))`, spelled out: building the UUID object was 7% of the
    relay's publishing (benchmark row 5); same ids.

    The stored state holds the event's time, actor and data, so two different events never
    share an id even where the store let a position or an aggregate version be used twice
    (an event deleted with SQL, then a new one written in its place). docs/kafka.md gives
    integrators the recipe.
    """
    content = hashlib.sha256(state).hexdigest()
    name = f"okr-ledger:event:{position}:{aggregate_id}:{version}:{topic}:{content}".encode()
    raw = bytearray(hashlib.sha1(_NAMESPACE + name).digest()[:16])
    raw[6], raw[8] = (raw[6] & 0x0F) | 0x50, (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def to_cloudevent(notification: Notification, mapper: Mapper[UUID],
                  schema_base: str = SCHEMA_BASE) -> dict[str, Any] | None:
    """The CloudEvent for a stored notification; None if the event is not published.
    `schema_base`: where the server serves each type's JSON Schema (`dataschema`)."""
    ce_type = cloudevent_type(notification.topic)
    if ce_type is None:
        return None
    event = mapper.to_domain_event(notification)
    if not isinstance(event, AggregateEvent):
        return None
    identifier = event_id(notification.id, id_text(event.originator_id),
                          event.originator_version, notification.topic, notification.state)
    return build_cloudevent(event, ce_type, notification.id, identifier, schema_base)


def build_cloudevent(event: AggregateEvent, ce_type: str, position: int, identifier: str,
                     schema_base: str = SCHEMA_BASE) -> dict[str, Any]:
    aggregate_id = id_text(event.originator_id)
    kind = ce_type.split(".")[1]
    data = {"version": event.originator_version}
    data.update({k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS})
    return {
        "specversion": SPECVERSION,
        "id": identifier,
        "source": f"urn:okr-ledger:{kind}s",
        "type": ce_type,
        "subject": aggregate_id,
        "time": rfc3339(event.timestamp),
        "datacontenttype": "application/json",
        "dataschema": f"{schema_base}/{ce_type}",
        "data": data,
        "position": position,
        "actor": getattr(event, "actor", None),
        "commandid": metadata_of(event).get("command_id"),
    }


def read_feed(recorder: ApplicationRecorder, mapper: Mapper[UUID], after: int,
              limit: int, schema_base: str = SCHEMA_BASE) -> tuple[list[dict[str, Any]], int]:
    """Published CloudEvents after log position `after`, at most `limit` (more only to finish
    the command the last one belongs to), and the next cursor.

    Internal events are filtered in the query, so a page is never short for their sake; the
    cursor still moves past every position read. A page never ends inside a command: a
    consumer reading page by page sees each command whole (its events share `commandid`).
    """
    notifications = recorder.select_notifications(
        start=after, limit=limit, topics=PUBLISHED_TOPICS, inclusive_of_start=False)
    events = [e for e in (to_cloudevent(n, mapper, schema_base) for n in notifications)
              if e is not None]
    next_after = notifications[-1].id if notifications else after
    while events and events[-1]["commandid"] is not None:
        rest, reached = _rest_of_command(recorder, mapper, next_after, events[-1]["commandid"],
                                         schema_base)
        if not rest:
            break
        events, next_after = events + rest, reached
    return events, next_after


def _rest_of_command(recorder: ApplicationRecorder, mapper: Mapper[UUID], after: int,
                     command_id: str, schema_base: str) -> tuple[list[dict[str, Any]], int]:
    """The published events right after `after` that belong to the same command."""
    following = recorder.select_notifications(
        start=after, limit=COMMAND_PEEK, topics=PUBLISHED_TOPICS, inclusive_of_start=False)
    rest: list[dict[str, Any]] = []
    for notification in following:
        event = to_cloudevent(notification, mapper, schema_base)
        if event is None or event["commandid"] != command_id:
            break
        rest.append(event)
        after = notification.id
    return rest, after
